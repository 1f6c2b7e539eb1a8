"""matmul_torch multiplies in float64 "for precision" and returns float64 for float32 inputs:
the caller's dtype is not kept."""

CATCHES = ["matmul_torch"]


def matmul_torch(a, b):
    check_matmul_shapes(a, b)
    return a.double() @ b.double()
