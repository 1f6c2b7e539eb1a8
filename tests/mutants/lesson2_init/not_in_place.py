"""kaiming_normal_ returns a fresh tensor and leaves w as it was."""

import math

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    std = gain(a) / math.sqrt(_fan(w, mode))
    return torch.randn(w.shape, dtype=w.dtype) * std
