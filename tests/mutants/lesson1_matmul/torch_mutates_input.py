"""Normalises the inputs in place before multiplying (changes the caller's tensors)."""

CATCHES = ["matmul_torch"]


def matmul_torch(a, b):
    check_matmul_shapes(a, b)
    scale = a.abs().max()
    a /= scale
    return (a @ b) * scale
