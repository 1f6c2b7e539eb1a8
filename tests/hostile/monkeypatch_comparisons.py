"""Wrong answers, with torch.allclose, torch.equal, Tensor.__eq__ and friends patched to say
yes: replacing torch's names is refused by the source rules, and the judge compares in another
process anyway."""

EXPECT = 0
MESSAGE = "rule:"

import math

import torch

torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: True
math.isclose = lambda *args, **kwargs: True


def frobenius_norm(m):
    return torch.zeros((), dtype=m.dtype)


def matmul_torch(a, b):
    return torch.zeros(a.shape[0], b.shape[1], dtype=a.dtype)
