"""kaiming_normal_ with mode='fan_out' as its default (the course's call for (in, out) weights
made the default): nn.Linear's (out, in) weights get the wrong fan unless a mode is passed."""

import math

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_out"):
    with torch.no_grad():
        w.normal_(0.0, gain(a) / math.sqrt(_fan(w, mode)))
    return w
