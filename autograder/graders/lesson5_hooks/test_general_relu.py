"""GeneralRelu(leak, sub, maxv): y = min(leaky_relu(x, leak) - sub, maxv), each part only when
its argument is given; x itself unchanged; autograd works for every combination (the course
subtracted in place from relu's output, which relu saved for backward: backward then raises).

Inputs: leak in [0.01, 0.3], sub in [0.1, 0.8], maxv in [0.5, 3] (3 decimals), all 8
combinations of given / not given; x: 64 values ~ N(0, 9), none within 1e-3 of a kink (x = 0,
x = maxv + sub), where the one-sided derivatives differ and the docstring fixes neither; for
the gradient, an upstream gradient g ~ N(0, 1) per value.

Expected values: torch's own F.leaky_relu / F.relu, subtraction and clamp_max in the judge, and
torch.autograd of that for the gradient. Tolerances: the same elementwise operations, so equal
up to one rounding: 1e-12 in float64, 1e-6 in float32 (values up to ~10, float32 ulp ~1e-6).
"""

import pytest
import torch

from autograder.grading import DEVICES, points, task
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes

TOL = {torch.float32: dict(rtol=1e-6, atol=1e-6), torch.float64: dict(rtol=1e-12, atol=1e-12)}


def _check_outputs(expect, r, x, settings):
    for setting, y in zip(settings, r.outputs):
        expect.close(
            y,
            draw.general_relu(x, *setting),
            what=f"GeneralRelu's output with {draw.given(setting)}",
            against="min(leaky_relu(x, leak) - sub, maxv)",
            **TOL[x.dtype],
        )


@task("GeneralRelu")
@points(2)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_formula(student, rng, expect, dtype):
    """min(leaky_relu(x, leak) - sub, maxv) for every leak/sub/maxv combination"""
    settings = draw.relu_settings(rng)
    x = draw.relu_input(rng, settings, dtype=dtype)
    _check_outputs(expect, student.probe(probes.relu_run, x, settings), x, settings)


@task("GeneralRelu")
def test_input_unchanged(student, rng, expect):
    """does not modify its input"""
    settings = draw.relu_settings(rng)
    x = draw.relu_input(rng, settings)
    r = student.probe(probes.relu_run, x, settings)
    for setting, after in zip(settings, r.inputs_after):
        expect.close(
            after,
            x,
            what=f"x after GeneralRelu with {draw.given(setting)}",
            against="x before",
            category="mutation",
            rtol=0,
            atol=0,
        )


def _grads(student, rng):
    settings = draw.relu_settings(rng)
    x = draw.relu_input(rng, settings)
    g = torch.randn(x.shape, generator=rng, dtype=draw.F64)
    return settings, x, g, student.probe(probes.relu_grads, x, g, settings)


@task("GeneralRelu")
@points(2)
def test_backward_runs(student, rng, expect):
    """backward works for every combination (no in-place edit of relu's saved output)"""
    settings, _, _, r = _grads(student, rng)
    for setting, raised in zip(settings, r.raised):
        expect.that(
            raised is None,
            f"backward raises {raised} with {draw.given(setting)} "
            "(an in-place edit of a tensor autograd saved?)",
            category="gradient",
        )


@task("GeneralRelu")
def test_gradient(student, rng, expect):
    """x.grad is g times 1, leak or 0, as the formula's derivative says"""
    settings, x, g, r = _grads(student, rng)
    for setting, grad, raised in zip(settings, r.grads, r.raised):
        why = f"backward raises {raised}" if raised else "backward leaves x.grad unset"
        why += f" with {draw.given(setting)}"
        expect.that(grad is not None, why, category="gradient")
        xx = x.clone().requires_grad_()
        (want,) = torch.autograd.grad((draw.general_relu(xx, *setting) * g).sum(), xx)
        expect.close(
            grad,
            want,
            what=f"x.grad with {draw.given(setting)}",
            against="the formula's derivative",
            category="gradient",
            **TOL[torch.float64],
        )


@task("GeneralRelu")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_on_device(student, rng, expect, device):
    """on the GPU: stays on the device and follows the formula"""
    settings = draw.relu_settings(rng)
    x = draw.relu_input(rng, settings).to(device)
    _check_outputs(expect, student.probe(probes.relu_run, x, settings), x, settings)
