"""Infinite recursion in one graded function (RecursionError), and a module object returned
where a tensor is expected (the wire format refuses to send it)."""

EXPECT = 0

import torch


def frobenius_norm(m):
    return frobenius_norm(m)


def matmul_torch(a, b):
    return torch
