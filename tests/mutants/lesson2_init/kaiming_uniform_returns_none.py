"""kaiming_uniform_ fills w but returns nothing (as the course's kaiming2 does): the `_`
functions return the tensor they filled, so `layer.weight = init(w)` patterns work."""

import math

import torch

CATCHES = ["kaiming_uniform_"]


def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = math.sqrt(3.0) * gain(a) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.uniform_(-bound, bound)
