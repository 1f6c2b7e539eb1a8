"""xavier_normal_(w) fills w with N(0, std^2), std = sqrt(2 / (fan_in + fan_out)) (Glorot and
Bengio 2010, torch.nn.init.xavier_normal_): the compromise between the forward pass (fan_in)
and the backward pass (fan_out) for layers without a ReLU.

Inputs: a Linear and a Conv weight whose fans differ by >= 2.5, so that the course's "standard
xavier init" 1/sqrt(fan_in) is >= 16 % off. Expected: the std above with torch's fans, mean 0,
a normal's kurtosis (_stats.py).
"""

from autograder.grading import points, task
from autograder.graders.lesson2_init import _draw as draw
from autograder.graders.lesson2_init._stats import NORMAL, expect_normal, expect_std


@task("xavier_normal_")
@points(2)
def test_xavier_normal_std(student, rng, expect):
    """std = sqrt(2 / (fan_in + fan_out)) for Linear and Conv weights"""
    for label, shape in {"linear": draw.linear_shape(rng), "conv": draw.conv_shape(rng)}.items():
        w = draw.filled(student, expect, "xavier_normal_", shape, rng)
        x = expect_std(expect, w, draw.xavier_std(shape), NORMAL, f"{label} weight")
        if label == "linear":
            expect_normal(expect, x, f"{label} weight")
