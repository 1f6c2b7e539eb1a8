"""os._exit and sys.exit inside the graded calls: a vanished process and a SystemExit."""

EXPECT = 0


def frobenius_norm(m):
    import os

    os._exit(0)


def matmul_torch(a, b):
    import sys

    sys.exit(0)
