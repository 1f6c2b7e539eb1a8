"""kaiming_normal_ passes the variance gain(a)^2 / fan where normal_ takes a std."""

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    with torch.no_grad():
        w.normal_(0.0, gain(a) ** 2 / _fan(w, mode))
    return w
