"""Reaches for ctypes to crash the process: the source rules refuse the module before it is
imported (a run-time segfault is covered in tests/test_sandbox.py)."""

EXPECT = 0
MESSAGE = "rule: matmul.py line"


def frobenius_norm(m):
    import ctypes

    return ctypes.string_at(0)
