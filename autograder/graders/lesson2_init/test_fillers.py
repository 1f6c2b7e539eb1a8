"""What every filler (kaiming_normal_, kaiming_uniform_, xavier_normal_) owes besides its std.

- It keeps the weight's dtype and device: a float64 Linear weight on every device of the grading
  machine, the std of its formula (defaults: a = 0, mode = 'fan_in').
- It fills an nn.Parameter in place (without autograd's "a leaf Variable that requires grad is
  being used in an in-place operation") and returns it, still a parameter.
- The Kaiming fillers refuse a mode other than 'fan_in' or 'fan_out' with ValueError (a typo
  such as 'fan_avg' must not silently mean fan_in).
The in-place, returned-itself and no-NaN-left checks are in _draw.filled.
"""

import pytest
import torch

from autograder.grading import DEVICES, task_from, visible
from autograder.graders.lesson2_init import _draw as draw
from autograder.graders.lesson2_init._stats import NORMAL, UNIFORM, expect_std
from autograder.probes import lesson2_init as probes
from courselib.lesson2_init import FILLERS

STD = {
    "kaiming_normal_": draw.kaiming_std,
    "kaiming_uniform_": draw.kaiming_std,
    "xavier_normal_": draw.xavier_std,
}


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS)
@pytest.mark.parametrize("device", DEVICES)
def test_fills_on_device_in_float64(student, rng, expect, fn, device):
    """keeps the weight's device and dtype (float64), with the right std"""
    shape = draw.linear_shape(rng)
    w = draw.filled(student, expect, fn, shape, rng, torch.float64, device)
    kurtosis = UNIFORM if fn == "kaiming_uniform_" else NORMAL
    expect_std(expect, w, STD[fn](shape), kurtosis, f"float64 on {device}")


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS)
def test_fills_a_parameter(student, rng, expect, fn):
    """fills an nn.Parameter in place (no autograd error) and returns it"""
    shape = [draw.integer(rng, 20, 40), draw.integer(rng, 20, 40)]
    rec = student.probe(probes.fill, fn, shape, draw.seed(rng), parameter=True)
    expect.that(rec.returned_w, "should return the parameter it was given", category="type")
    expect.that(rec.same_storage and rec.requires_grad, "should fill the parameter in place")
    expect.that(not rec.w.isnan().any(), "left part of the parameter unfilled")


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS[:2])
@visible
def test_unknown_mode_raises(student, expect, fn):
    """raises ValueError for a mode other than 'fan_in' or 'fan_out'"""
    w = torch.empty(4, 3)
    expect.raises(lambda: student.call(fn, w, mode="fan_avg"), ValueError, "for mode='fan_avg'")
