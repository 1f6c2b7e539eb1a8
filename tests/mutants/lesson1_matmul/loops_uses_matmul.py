"""The 'loops' version hides `@` inside its loops."""

CATCHES = ["matmul_loops"]


def matmul_loops(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            c[i, j] = a[i] @ b[:, j]
    return c
