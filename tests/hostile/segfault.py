"""A segfault in one function: that task scores 0, the child restarts for the next task."""

EXPECT = "partial"
KEEPS = ["matmul_torch"]
LOSES = ["frobenius_norm"]


def frobenius_norm(m):
    import ctypes

    return ctypes.string_at(0)
