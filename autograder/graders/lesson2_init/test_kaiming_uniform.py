"""kaiming_uniform_(w, a=0, mode='fan_in') fills w with U(-bound, bound),
bound = sqrt(3) * gain(a) / sqrt(fan): the same std as kaiming_normal_ (U(-b, b) has variance
b^2 / 3).

Inputs: Linear and Conv weights (fans >= 2.5 apart) with a = 0, a Linear weight with a in [1, 3];
both modes. Expected: no value beyond the bound (float32 rounding of the bound: 1e-6), the
largest |value| near it (P(max |w| < bound (1 - 30 / n)) = (1 - 30 / n)^n ~ e^-30), and the std
and mean of _stats.py with a uniform's kurtosis 1.8.
"""

import math

import pytest

from autograder.grading import points, task
from autograder.graders.lesson2_init import _draw as draw
from autograder.graders.lesson2_init._stats import UNIFORM, expect_std
from courselib.lesson2_init import MODES


@task("kaiming_uniform_")
@pytest.mark.parametrize("mode", MODES)
@points(2)
def test_kaiming_uniform_bound_and_std(student, rng, expect, mode):
    """U(-bound, bound), bound = sqrt(3) gain(a) / sqrt(fan): bound reached, std right"""
    a = draw.uniform(rng, 1.0, 3.0)
    cases = [
        ("linear weight, a=0", draw.linear_shape(rng), 0.0),
        ("conv weight, a=0", draw.conv_shape(rng), 0.0),
        ("linear weight, a in [1, 3]", draw.linear_shape(rng), a),
    ]
    for label, shape, slope in cases:
        w = draw.filled(student, expect, "kaiming_uniform_", shape, rng, a=slope, mode=mode)
        std, what = draw.kaiming_std(shape, slope, mode), f"{label}, mode={mode}"
        bound, top, n = math.sqrt(3) * std, w.double().abs().max().item(), w.numel()
        expect.that(top <= bound * (1 + 1e-6), f"values beyond the bound ({what})")
        expect.that(top >= bound * (1 - 30 / n), f"values never come near the bound ({what})")
        expect_std(expect, w, std, UNIFORM, what)
