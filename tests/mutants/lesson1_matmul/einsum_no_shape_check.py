"""einsum without the shape check: torch raises RuntimeError, not the ValueError asked for."""

CATCHES = ["matmul_einsum"]


def matmul_einsum(a, b):
    return torch.einsum("ik,kj->ij", a, b)
