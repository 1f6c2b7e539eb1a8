"""The loops version without the shape check: mismatched inputs give silently wrong numbers."""

CATCHES = ["matmul_loops"]


def matmul_loops(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c
