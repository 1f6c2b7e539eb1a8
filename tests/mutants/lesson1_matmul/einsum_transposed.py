"""einsum with the output subscripts swapped: 'ik,kj->ji' returns C transposed."""

CATCHES = ["matmul_einsum"]


def matmul_einsum(a, b):
    check_matmul_shapes(a, b)
    return torch.einsum("ik,kj->ji", a, b)
