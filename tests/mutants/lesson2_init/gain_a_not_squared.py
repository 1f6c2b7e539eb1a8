"""gain(a) = sqrt(2 / (1 + a)): the slope is not squared (right only for a = 0 and a = 1)."""

import math

CATCHES = ["gain"]


def gain(a):
    return math.sqrt(2.0 / (1 + a))
