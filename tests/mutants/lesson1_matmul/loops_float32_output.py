"""The output is allocated with torch.zeros(n, m): float32 even for float64 inputs."""

CATCHES = ["matmul_loops"]


def matmul_loops(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c
