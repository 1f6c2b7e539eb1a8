"""kaiming_uniform_ without torch.no_grad(): fails on an nn.Parameter (in-place op on a leaf)."""

import math

CATCHES = ["kaiming_uniform_"]


def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = math.sqrt(3.0) * gain(a) / math.sqrt(_fan(w, mode))
    w.uniform_(-bound, bound)
    return w
