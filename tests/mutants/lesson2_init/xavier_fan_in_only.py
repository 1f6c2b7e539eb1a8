"""xavier_normal_ as the course's "standard xavier init": std 1/sqrt(fan_in), the forward half
of Glorot's rule only (LeCun's init). Glorot and torch use sqrt(2 / (fan_in + fan_out))."""

import math

import torch

CATCHES = ["xavier_normal_"]


def xavier_normal_(w):
    fan_in, _ = calc_fans(w)
    with torch.no_grad():
        w.normal_(0.0, 1 / math.sqrt(fan_in))
    return w
