"""The gradients of the loss and of the relu, each a function that stores inp.g.

mse_grad(inp, targ) stores in inp.g the gradient of L = mse(inp, targ) with respect to inp.

Inputs: inp (n, 1) and targ (n,) ~ N(0, 1), n random and n = 1 (where `squeeze()` without -1
drops the batch dimension too, and `len(inp.squeeze())` fails).
Expected: autograd's gradient of the mse, shape (n, 1), the inputs' dtype.
Tolerance: float64 round-off (_grads.TOL).

relu_grad(inp, out) stores in inp.g the gradient through out = relu(inp, sub): out.g where
inp > 0, and 0 where inp <= 0. At inp = 0 exactly max(x, 0) has no derivative; the course's
convention (its `(inp > 0).float()`, and torch.relu's autograd) takes 0 there, and the
docstring says so. (clamp_min's autograd takes 1 there: it is not the expected value.)

Inputs: inp ~ N(0, 1) of random shape and a single row, about a quarter of it exactly 0;
out = max(inp, 0) - sub for sub = 0 and the shifted relu's 0.5 (where out > 0 is not inp > 0);
out.g ~ N(0, 1).
Expected: torch.relu's autograd gradient; out.g is left as it was (relu_grad only reads it:
masking it in place would change the upstream layer's gradient behind its back).
Tolerance: float64 round-off (_grads.TOL); out.g unchanged means exactly equal.
"""

import pytest
import torch

from autograder.grading import points, task
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes

EXACT = dict(rtol=0.0, atol=0.0)


@task("mse_grad")
@points(2)
def test_mse_grad_matches_autograd(student, rng, expect):
    """inp.g equals autograd's gradient of the mse, batch 1 included"""
    for n in (draw.integer(rng, 2, 50), 1):
        inp, targ = draw.randn(rng, n, 1), draw.randn(rng, n)
        _, want = grads.mse_grad(inp, targ)
        got = student.probe(probes.mse_grad_g, inp, targ)
        grads.expect_grad(expect, got.inp_g, want, "inp", **grads.TOL)


@task("relu_grad")
@pytest.mark.parametrize("sub", [0.0, 0.5], ids=["relu", "shifted relu"])
@points(2)
def test_relu_grad_matches_autograd(student, rng, expect, sub):
    """inp.g equals autograd's, exact zeros of inp included, for max(x, 0) and max(x, 0) - 0.5"""
    for shape in draw.relu_shapes(rng):
        inp, out_g = draw.with_zeros(rng, *shape), draw.randn(rng, *shape)
        got = student.probe(probes.relu_grad_g, inp, torch.relu(inp) - sub, out_g)
        want = grads.relu_grad(inp, out_g, sub)
        grads.expect_grad(expect, got.inp_g, want, "inp", **grads.TOL)


@task("relu_grad")
def test_relu_grad_leaves_out_g_alone(student, rng, expect):
    """reads out.g without changing it"""
    shape = draw.relu_shapes(rng)[0]
    inp, out_g = draw.with_zeros(rng, *shape), draw.randn(rng, *shape)
    got = student.probe(probes.relu_grad_g, inp, torch.relu(inp), out_g)
    expect.that(got.out_g_after is not None, "out.g was removed", category="mutation")
    expect.close(
        got.out_g_after,
        out_g,
        what="out.g after relu_grad",
        against="out.g before it (it must not be changed in place)",
        category="mutation",
        **EXACT,
    )
