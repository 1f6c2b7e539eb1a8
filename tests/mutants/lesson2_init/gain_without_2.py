"""gain(a) = sqrt(1 / (1 + a^2)): the 2 that puts back the half a ReLU removes is missing."""

import math

CATCHES = ["gain", "kaiming_normal_"]


def gain(a):
    return math.sqrt(1.0 / (1 + a * a))
