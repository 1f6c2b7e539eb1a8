"""The shape check is an assert (as in the course's notebook): AssertionError, not the
ValueError the contract asks for, and gone entirely under `python -O`."""

CATCHES = ["matmul_loops"]


def matmul_loops(a, b):
    n, k = a.shape
    k2, m = b.shape
    assert k == k2
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c
