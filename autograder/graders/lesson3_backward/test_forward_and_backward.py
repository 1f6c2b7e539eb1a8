"""forward_and_backward(inp, targ, w1, b1, w2, b2): the lesson's model forward, then backward by
hand; returns the loss (a 0-dim tensor) and leaves dL/d of each input in its .g.

    l1 = lin(inp, w1, b1), l2 = relu(l1), out = lin(l2, w2, b2), loss = mse(out, targ)

Inputs: mlp_params (courselib.lesson3_backward): x (n, m), targ (n,) ~ N(0, 1), weights
N(0, 1/fan_in), biases N(0, 1); random shapes, batch size 1, a single hidden unit; float32 and
float64, on every device the grading machine has.
Expected: autograd's loss and gradients of mlp_loss on the same tensors; no .g and no loss
holds an autograd graph; called again with another batch on the same parameters, the .g are
the new batch's (set, never accumulated: the contract).
Tolerance: float64 round-off (_grads.TOL); float32 (_grads.TOL32).
"""

import pytest
import torch

from autograder.grading import DEVICES, points, task
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes


@task("forward_and_backward")
@points(3)
def test_forward_and_backward_matches_autograd(student, rng, expect):
    """the loss and all five .g equal autograd's, batch 1 and one hidden unit included"""
    for label, shape in draw.mlp_cases(rng).items():
        params = draw.mlp(rng, *shape)
        got = student.probe(probes.forward_and_backward_g, *params)
        grads.expect_mlp(expect, got, *params, label=f" ({label})", **grads.TOL)


@task("forward_and_backward")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("device", DEVICES)
def test_forward_and_backward_keeps_dtype_and_device(student, rng, expect, dtype, device):
    """every .g has the inputs' dtype and device, and the values of autograd"""
    shape = (draw.integer(rng, 2, 30), 8, 6)
    params = [t.to(device, dtype) for t in draw.mlp(rng, *shape)]
    got = student.probe(probes.forward_and_backward_g, *params)
    grads.expect_mlp(expect, got, *params, **(grads.TOL if dtype == torch.float64 else grads.TOL32))


@task("forward_and_backward")
def test_forward_and_backward_sets_not_accumulates(student, rng, expect):
    """called again with another batch, every .g is the new batch's (nothing added up)"""
    n, m, nh = draw.mlp_cases(rng)["random shapes"]
    x1, targ1, *params = draw.mlp(rng, n, m, nh)
    x2, targ2 = draw.randn(rng, n, m), draw.randn(rng, n)
    got = student.probe(probes.forward_and_backward_twice, x1, targ1, x2, targ2, *params)
    grads.expect_mlp(expect, got.first, x1, targ1, *params, label=" (first batch)", **grads.TOL)
    grads.expect_mlp(expect, got.second, x2, targ2, *params, label=" (second batch)", **grads.TOL)
