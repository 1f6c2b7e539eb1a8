"""matmul_torch multiplies one row of a at a time (`a[i] @ b` in a list comprehension): right
values, one small product per row instead of one call, ~13x slower at 256 rows."""

CATCHES = ["matmul_torch"]


def matmul_torch(a, b):
    n, k, m = check_matmul_shapes(a, b)
    return torch.stack([a[i] @ b for i in range(n)])
