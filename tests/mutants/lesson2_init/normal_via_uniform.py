"""kaiming_normal_ draws a uniform with the right std: right scale, wrong distribution."""

import math

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    std = gain(a) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.uniform_(-math.sqrt(3.0) * std, math.sqrt(3.0) * std)
    return w
