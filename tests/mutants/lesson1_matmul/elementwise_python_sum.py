"""The elementwise version sums with Python's builtin sum(): it iterates over the k products
one 0-d tensor at a time, so the k loop is back, in C-level iteration no loop count sees."""

CATCHES = ["matmul_elementwise"]


def matmul_elementwise(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            c[i, j] = sum(a[i, :] * b[:, j])
    return c
