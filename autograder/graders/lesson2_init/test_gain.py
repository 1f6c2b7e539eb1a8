"""gain(a) = sqrt(2 / (1 + a^2)) as a Python float: the factor a (leaky) ReLU with negative
slope a needs to keep the second moment of its input.

Inputs: a = 0 (ReLU, sqrt 2: torch's calculate_gain('relu')), 1 (identity), sqrt(5) (PyTorch's
default for Linear and Conv, 0.577), 0.01 (the usual leaky slope) and one slope drawn in
[0.05, 3]. Tolerance: rel 1e-9 (one square root of a float: ~1e-16).
"""

import math

import torch

from autograder.grading import points, task
from autograder.graders.lesson2_init._draw import gain, uniform


@task("gain")
@points(2)
def test_gain_values(student, rng, expect):
    """gain(a) = sqrt(2 / (1 + a^2)) as a float, for relu, identity, sqrt(5) and random slopes"""
    for a in [0.0, 1.0, math.sqrt(5), 0.01, uniform(rng, 0.05, 3.0)]:
        got = student.gain(a)
        expect.that(
            isinstance(got, float), "should return a float", type(got).__name__, category="type"
        )
        expect.that(
            math.isclose(got, gain(a), rel_tol=1e-9),
            "gain(a) differs from sqrt(2 / (1 + a^2))",
            f"a={a:.4g}",
        )
    expect.that(
        math.isclose(student.gain(0.0), torch.nn.init.calculate_gain("relu"), rel_tol=1e-9),
        "gain(0) should be torch's ReLU gain sqrt(2)",
    )
