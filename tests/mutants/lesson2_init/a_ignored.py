"""kaiming_normal_ always uses the ReLU gain sqrt(2): the leaky slope a is accepted but ignored."""

import math

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    std = math.sqrt(2.0) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.normal_(0.0, std)
    return w
