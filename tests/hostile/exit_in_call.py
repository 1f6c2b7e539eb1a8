"""sys.exit and os._exit inside the graded calls."""

EXPECT = 0


def frobenius_norm(m):
    import sys

    sys.exit(0)


def matmul_torch(a, b):
    import os

    os._exit(0)
