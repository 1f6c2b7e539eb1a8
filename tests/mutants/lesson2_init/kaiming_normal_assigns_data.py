"""kaiming_normal_ rebinds w.data to a fresh randn tensor: the right std, the same Python
object, but new storage (a view of the old weight, or an optimizer holding it, keeps the old
values) and float32 whatever w's dtype was."""

import math

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    std = gain(a) / math.sqrt(_fan(w, mode))
    w.data = torch.randn(w.shape) * std
    return w
