"""Reaches torch.ops.aten.mm through getattr with string names, out of sight of a name check: refused (getattr of 'ops' on torch)."""

EXPECT = 0
MESSAGE = "rule: matmul.py line"

import torch

_aten = getattr(getattr(torch, "ops"), "aten")


def matmul_torch(a, b):
    return _aten.mm(a, b)
