"""xavier_normal_ multiplies by the ReLU gain sqrt(2) (Kaiming's factor carried over)."""

import math

import torch

CATCHES = ["xavier_normal_"]


def xavier_normal_(w):
    fan_in, fan_out = calc_fans(w)
    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0) * math.sqrt(2.0 / (fan_in + fan_out)))
    return w
