"""kaiming_uniform_ draws from U(0, bound) (uniform_'s defaults read as (low=0, high)): all positive."""

import math

import torch

CATCHES = ["kaiming_uniform_"]


def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = math.sqrt(3.0) * gain(a) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.uniform_(0, bound)
    return w
