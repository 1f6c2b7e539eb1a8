"""kaiming_uniform_ uses the normal's std as the bound: U(-std, std) has std / sqrt(3)."""

import math

import torch

CATCHES = ["kaiming_uniform_"]


def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = gain(a) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
