"""Correct versions that spell their loops differently: the elementwise version walks the (i, j)
pairs with one itertools.product loop, the broadcast version builds the rows in a list
comprehension and stacks them, and both reach their work through module-level helpers (whose
loops count, and which hold no forbidden call)."""

import itertools

KEEPS = ["matmul_elementwise", "matmul_broadcast"]


def _dot(u, v):
    return (u * v).sum()


def _row(a_row, b):
    return (a_row[:, None] * b).sum(0)


def matmul_elementwise(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.empty(n, m, dtype=a.dtype, device=a.device)
    for i, j in itertools.product(range(n), range(m)):
        c[i, j] = _dot(a[i], b[:, j])
    return c


def matmul_broadcast(a, b):
    n, k, m = check_matmul_shapes(a, b)
    return torch.stack([_row(a[i], b) for i in range(n)])
