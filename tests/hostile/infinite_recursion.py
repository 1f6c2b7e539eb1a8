"""Infinite recursion in the graded functions (RecursionError), and a returned module
object where a tensor is expected."""

EXPECT = 0

import os


def frobenius_norm(m):
    return frobenius_norm(m)


def matmul_torch(a, b):
    return os
