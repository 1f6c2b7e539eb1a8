"""matmul_torch as one broadcast expression without `@`: (n, k, 1) * (1, k, m) summed over k.
Right values and no loop, but it materialises the (n, k, m) product: far slower than BLAS."""

CATCHES = ["matmul_torch"]


def matmul_torch(a, b):
    check_matmul_shapes(a, b)
    return (a[:, :, None] * b[None]).sum(1)
