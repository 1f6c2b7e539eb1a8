"""The inner loop stops one short: range(k - 1) misses the last product."""

CATCHES = ["matmul_loops"]


def matmul_loops(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            for p in range(k - 1):
                c[i, j] += a[i, p] * b[p, j]
    return c
