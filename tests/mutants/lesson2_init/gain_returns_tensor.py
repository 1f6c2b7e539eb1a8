"""gain computed with torch: a 0-d tensor instead of the float the docstring promises."""

import torch

CATCHES = ["gain"]


def gain(a):
    return torch.tensor(2.0 / (1 + a * a)).sqrt()
