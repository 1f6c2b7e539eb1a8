"""kaiming_normal_ always divides by fan_in: mode='fan_out' changes nothing."""

import math

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"unknown mode {mode!r}")
    fan_in, _ = calc_fans(w)
    with torch.no_grad():
        w.normal_(0.0, gain(a) / math.sqrt(fan_in))
    return w
