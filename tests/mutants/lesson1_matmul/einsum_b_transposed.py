"""einsum reads b as (m, k): 'ik,jk->ij' is a @ b.T, which fails for most shapes and gives
the wrong product for square ones."""

CATCHES = ["matmul_einsum"]


def matmul_einsum(a, b):
    check_matmul_shapes(a, b)
    return torch.einsum("ik,jk->ij", a, b)
