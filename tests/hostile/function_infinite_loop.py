"""Infinite loops inside the graded functions: each call times out, the budget runs out."""

EXPECT = 0


def frobenius_norm(m):
    while True:
        pass


def matmul_torch(a, b):
    x = 0
    while True:
        x += 1
