"""b indexed [j, p] instead of [p, j]: an IndexError for most shapes, b's transpose for square
ones; right only for 1x1 (and symmetric) b."""

CATCHES = ["matmul_loops"]


def matmul_loops(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[j, p]
    return c
