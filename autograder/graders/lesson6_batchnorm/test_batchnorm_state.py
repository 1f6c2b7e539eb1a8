"""BatchNorm keeps its state as torch's layers do, and refuses inputs it cannot normalise.

Layout (probe `norm_layout`, C in 2..5): parameters mults and adds (C, 1, 1); means and vars are
registered buffers (1, C, 1, 1): in state_dict, converted by `.double()` and `.to()`, and a fresh
layer loaded from the trained one's state_dict evaluates exactly like it (_state.py).

Bad input (visible): ValueError for a 3-d input, the wrong channel count, and a single value per
channel in training (N = H = W = 1: no variance to normalise by; torch raises too).
"""

import torch

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._state import (
    bad_inputs,
    check_layout,
    expect_refused,
    layout,
)
from autograder.grading import points, task, visible
from courselib.lesson6_batchnorm import LayerSpec


@task("BatchNorm")
@points(2)
def test_buffers_registered(student, rng, expect):
    """means/vars are buffers: in state_dict, moved by .double() and .to(), saved and loaded"""
    c = draw.channels(rng)
    r = layout(student, rng, "BatchNorm", c)
    check_layout(expect, r, "BatchNorm", c, {"means": [1, c, 1, 1], "vars": [1, c, 1, 1]})


@task("BatchNorm")
@visible
def test_bad_input(student, rng, expect):
    """raises ValueError for a non-4-d input, the wrong channel count, 1 value per channel"""
    c = draw.channels(rng, 4)
    one_value = (torch.randn(1, c, 1, 1), "for one value per channel in training")
    expect_refused(expect, student, LayerSpec("BatchNorm", (c,)), bad_inputs(c) + [one_value])
