"""GroupNorm(num_groups, nf, eps) gives nn.GroupNorm(num_groups, nf, eps)'s numbers with
weight = mults and bias = adds: mean and *biased* variance per sample over each group of
nf / num_groups *consecutive* channels and (H, W).

Inputs, one case per parameter: one group (C in 2..6), some groups (G in 2..3 groups of 2..3
channels), one channel per group (G = C in 2..6); eps = 10^-(3..6); a train and an eval step on
batches of 2..6 images with per-channel means and scales; mults in 0.5..2, adds ~ N(0, 1).
Bad arguments (visible): nf not divisible by num_groups raises ValueError when built; the wrong
channel count when called. Tolerance: _expected.TOL (float64).
"""

import pytest
import torch
from torch import nn

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import compare, torch_steps
from autograder.grading import points, task, visible
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec


def _groups_and_channels(rng, which: str) -> tuple:
    if which == "one group":
        return 1, draw.channels(rng, 6)
    if which == "some groups":
        g = draw.integer(rng, 2, 3)
        return g, g * draw.integer(rng, 2, 3)
    c = draw.channels(rng, 6)
    return c, c


@task("GroupNorm")
@points(2)
@pytest.mark.parametrize("which", ["one group", "some groups", "one channel per group"])
def test_values(student, rng, expect, which):
    """equals nn.GroupNorm (weight=mults, bias=adds); gradients of x, mults, adds"""
    groups, c = _groups_and_channels(rng, which)
    eps = draw.eps(rng)
    steps, params = draw.steps(rng, c, [True, False]), draw.params(rng, c)
    got = student.probe(
        probes.norm_steps, LayerSpec("GroupNorm", (groups, c), {"eps": eps}), steps, params
    )
    want = torch_steps(nn.GroupNorm(groups, c, eps=eps), steps, params)
    compare(expect, got, want, "nn.GroupNorm")


@task("GroupNorm")
@visible
def test_bad_arguments(student, rng, expect):
    """raises ValueError when nf is not divisible by num_groups, or for the wrong channels"""
    g = draw.integer(rng, 2, 4)
    odd = LayerSpec("GroupNorm", (g, g * 2 + 1))
    x = torch.randn(2, g * 2 + 1, 3, 3)
    why = f"for {g * 2 + 1} channels in {g} groups"
    expect.raises(lambda: student.probe(probes.norm_forward, odd, x, True), ValueError, why)
    spec, x = LayerSpec("GroupNorm", (g, g * 2)), torch.randn(2, g * 3, 3, 3)
    why = "for the wrong number of channels"
    expect.raises(lambda: student.probe(probes.norm_forward, spec, x, True), ValueError, why)
