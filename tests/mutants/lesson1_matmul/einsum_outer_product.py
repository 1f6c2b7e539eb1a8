"""einsum keeps k in the output ('ik,kj->ikj') and sums it afterwards: right values, but it
builds the whole (n, k, m) outer product in memory first (the broadcast version without its
loop), ~15x the time of einsum's own contraction."""

CATCHES = ["matmul_einsum"]


def matmul_einsum(a, b):
    check_matmul_shapes(a, b)
    return torch.einsum("ik,kj->ikj", a, b).sum(1)
