"""The Kaiming fillers read any mode but 'fan_out' as fan_in: a typo ('fan_avg', 'fanout')
silently gives the forward-pass init instead of an error."""

import math

import torch

CATCHES = ["kaiming_normal_", "kaiming_uniform_"]


def _mode_fan(w, mode):
    fan_in, fan_out = calc_fans(w)
    return fan_out if mode == "fan_out" else fan_in


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    with torch.no_grad():
        w.normal_(0.0, gain(a) / math.sqrt(_mode_fan(w, mode)))
    return w


def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = math.sqrt(3.0) * gain(a) / math.sqrt(_mode_fan(w, mode))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
