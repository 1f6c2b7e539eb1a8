"""Wraps torch.load and Tensor.clone to precompute answers while inputs are staged: replacing torch's names is refused."""

EXPECT = 0
MESSAGE = "replaces torch.load"

import torch

_load = torch.load
torch.load = lambda *a, **k: _load(*a, **k)
torch.Tensor.clone = lambda self, *a, **k: self
