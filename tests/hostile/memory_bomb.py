"""Allocates until the memory cap stops it, at import (caught) and in every call."""

EXPECT = 0

try:
    _hoard = [bytearray(1 << 28) for _ in range(64)]  # 16 GiB if nothing stopped it
except MemoryError:
    _hoard = None


def frobenius_norm(m):
    hoard = []
    while True:
        hoard.append(bytearray(1 << 26))


def matmul_torch(a, b):
    import torch

    return torch.empty(1 << 40)  # 4 TiB of float32
