"""Takes the columns of b as rows of `b.t_()`, which transposes the caller's b in place (t_
is the in-place transpose; b.t() or b.T was meant): right values, b comes back (m, k)."""

CATCHES = ["matmul_elementwise"]


def matmul_elementwise(a, b):
    n, k, m = check_matmul_shapes(a, b)
    bt = b.t_()
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i, :] * bt[j, :]).sum()
    return c
