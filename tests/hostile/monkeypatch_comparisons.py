"""Wrong answers, with torch.allclose, torch.equal, Tensor.__eq__ and friends patched to say
yes: the judge runs in another process, so nothing here reaches it."""

EXPECT = 0

import math

import torch

torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.isclose = lambda a, b, *args, **kwargs: torch.ones_like(a, dtype=torch.bool)
torch.Tensor.__eq__ = lambda self, other: True
torch.Tensor.__ne__ = lambda self, other: False
math.isclose = lambda *args, **kwargs: True


def frobenius_norm(m):
    return torch.zeros((), dtype=m.dtype)


def matmul_torch(a, b):
    return torch.zeros(a.shape[0], b.shape[1], dtype=a.dtype)
