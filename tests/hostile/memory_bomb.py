"""Asks for far more memory than the cap (4 GiB address space) at import (caught) and in every
call: MemoryError in the child, never on the grading machine."""

EXPECT = 0

try:
    _hoard = bytearray(16 << 30)
except MemoryError:
    _hoard = None


def frobenius_norm(m):
    hoard = [0] * (1 << 36)  # 512 GiB of list slots
    return hoard


def matmul_torch(a, b):
    import torch

    return torch.ones(1 << 40)  # 4 TiB of float32
