"""kaiming_normal_(w, a=0, mode='fan_in') fills w with N(0, std^2), std = gain(a) / sqrt(fan).

Inputs (_draw.py): Linear (out, in) and Conv (out, in, 5, 5) weights whose two fans differ by
>= 2.5, both modes; slopes a in [1, 3] and torch's sqrt(5) with the default mode; the course's
(784, 50) weight stored (in, out) in float64, whose true fan in is what calc_fans calls fan_out.
Expected: the std the formula gives with torch's fans, sample mean 0, a normal's kurtosis,
within the sampling tolerances of _stats.py (6 standard errors).
"""

import math

import pytest
import torch

from autograder.grading import points, task
from autograder.graders.lesson2_init import _draw as draw
from autograder.graders.lesson2_init._stats import NORMAL, expect_normal, expect_std
from courselib.lesson2_init import MODES


@task("kaiming_normal_")
@pytest.mark.parametrize("mode", MODES)
@points(2)
def test_kaiming_normal_std(student, rng, expect, mode):
    """std = gain(0) / sqrt(fan) for Linear and Conv weights, the fan the mode names"""
    for label, shape in {"linear": draw.linear_shape(rng), "conv": draw.conv_shape(rng)}.items():
        w = draw.filled(student, expect, "kaiming_normal_", shape, rng, mode=mode)
        what = f"{label} weight, mode={mode}"
        x = expect_std(expect, w, draw.kaiming_std(shape, 0.0, mode), NORMAL, what)
        if label == "linear":
            expect_normal(expect, x, what)


@task("kaiming_normal_")
@points(2)
def test_kaiming_normal_respects_a(student, rng, expect):
    """a leaky slope a changes the std by gain(a) (a in [1, 3], and torch's sqrt(5))"""
    for a, label in ((draw.uniform(rng, 1.0, 3.0), "a in [1, 3]"), (math.sqrt(5), "a=sqrt(5)")):
        shape = draw.linear_shape(rng)
        w = draw.filled(student, expect, "kaiming_normal_", shape, rng, a=a)
        expect_std(expect, w, draw.kaiming_std(shape, a, "fan_in"), NORMAL, label)


@task("kaiming_normal_")
def test_kaiming_normal_in_out_weight_with_fan_out(student, rng, expect):
    """a weight stored (in, out) = (784, 50) with mode='fan_out' gets std sqrt(2/784)"""
    w = draw.filled(
        student, expect, "kaiming_normal_", (784, 50), rng, torch.float64, mode="fan_out"
    )
    expect_std(expect, w, math.sqrt(2 / 784), NORMAL, "(784, 50), fan_out")
