"""Prints megabytes at import and on every call; the answers are right. The output capture is
capped, the pipe keeps draining, and the grade is full."""

EXPECT = "full"

import sys

sys.stdout.write("x" * (4 << 20) + "\n")
_reference_frobenius_norm = frobenius_norm
_reference_matmul_torch = matmul_torch


def frobenius_norm(m):
    print("y" * (1 << 20))
    return _reference_frobenius_norm(m)


def matmul_torch(a, b):
    sys.stdout.write("z" * 100_000)
    return _reference_matmul_torch(a, b)
