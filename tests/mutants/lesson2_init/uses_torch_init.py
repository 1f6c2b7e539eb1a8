"""kaiming_normal_ hands the work to torch.nn.init: right numbers, but against the lesson rule."""

import torch

CATCHES = ["kaiming_normal_"]


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    return torch.nn.init.kaiming_normal_(w, a=a, mode=mode, nonlinearity="leaky_relu")
