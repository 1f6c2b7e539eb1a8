"""calc_fans computes the receptive field with torch: the fans come back as 0-d tensors, not
the two ints the docstring promises (they then leak into every std computed from them)."""

import torch

CATCHES = ["calc_fans"]


def calc_fans(w):
    if w.dim() < 2:
        raise ValueError("calc_fans: a weight needs at least 2 dimensions")
    rf = torch.tensor(w.shape[2:]).prod()
    return w.shape[1] * rf, w.shape[0] * rf
