"""The Frobenius norm as a Python float (.item() at the end): the docstring asks for a 0-d
tensor of m's dtype (float64 precision lost, no device, no autograd)."""

import math

CATCHES = ["frobenius_norm"]


def frobenius_norm(m):
    return math.sqrt((m * m).sum().item())
