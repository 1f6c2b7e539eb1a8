"""Broadcasting sums over the wrong axis: .sum(dim=1) adds across the columns of b."""

CATCHES = ["matmul_broadcast"]


def matmul_broadcast(a, b):
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        c[i] = (a[i, :, None] * b).sum(dim=1)[:m]
    return c
