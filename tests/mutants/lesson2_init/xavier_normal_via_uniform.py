"""xavier_normal_ draws U(-b, b) with b = sqrt(3) std (xavier_uniform_'s bound): the right
std, the wrong distribution."""

import math

import torch

CATCHES = ["xavier_normal_"]


def xavier_normal_(w):
    fan_in, fan_out = calc_fans(w)
    bound = math.sqrt(3.0) * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
