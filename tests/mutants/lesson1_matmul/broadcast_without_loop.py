"""The broadcast version with no loop at all: (n, k, 1) * (1, k, m) summed over k in one
expression. Right values, but not the task (one loop over the rows, a row at a time), and it
holds the whole (n, k, m) product in memory."""

CATCHES = ["matmul_broadcast"]


def matmul_broadcast(a, b):
    check_matmul_shapes(a, b)
    return (a[:, :, None] * b[None, :, :]).sum(dim=1)
