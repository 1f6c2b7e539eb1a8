"""The modules: the Module base class, then the layers Relu, Lin and Mse built on it.

Module: __call__(*args) runs forward(*args), keeps the arguments in self.args (a tuple) and
the very output object it returns in self.out (the next layer sets .g on it), and returns it;
backward() hands the kept output and arguments to bwd(out, *args). Each call replaces what the
previous call kept.

Inputs: a small subclass defined by the probe (forward 3x, bwd inp.g = 3 out.g), called on
x1 (3, 4), then on x2 (3, 4), then backward() once with out.g = g; all ~ N(0, 1).
Expected: the second call returns 3 x2 and keeps (x2,) and that very result; backward() sets
x2.g = 3 g and leaves x1 without a .g (it must not use the arguments of an earlier call).
Tolerance: float64 round-off (_grads.TOL) on products by 3.

The layers as modules: Relu(sub), Lin(w, b) and Mse(), each forward and its own bwd.

Inputs: Relu: x ~ N(0, 1) of random shape with about a quarter exact zeros, out.g ~ N(0, 1),
sub = 0 and 0.5. Lin: inp, w, b, out.g ~ N(0, 1), random shapes and (1, 6) -> 1. Mse: out
(n, 1), targ (n,) ~ N(0, 1), n random and 1.
Expected: the forward values of torch's ops; inp.g (and w.g, b.g) of autograd, with the
course's derivative 0 at relu's kink (torch.relu's autograd).
Tolerance: float64 round-off (_grads.TOL).
"""

import pytest
import torch

from autograder.grading import points, task
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes


@task("Module")
@points(2)
def test_module_call_and_backward(student, rng, expect):
    """__call__ keeps args and out of the latest call; backward() calls bwd(out, *args)"""
    x1, x2, g = draw.randn(rng, 3, 4), draw.randn(rng, 3, 4), draw.randn(rng, 3, 4)
    got = student.probe(probes.module_contract, x1, x2, g)
    expect.close(got.out, 3 * x2, what="the result of __call__", against="forward", **grads.TOL)
    expect.that(
        got.stored_out_is_result, "__call__ should keep the very tensor it returns in self.out"
    )
    expect.that(
        got.stored_args_are_inputs, "__call__ should keep the latest call's arguments in self.args"
    )
    grads.expect_grad(expect, got.inp_g, 3 * g, "inp", **grads.TOL)
    expect.that(
        got.first_inp_g is None,
        "backward() used the arguments of an earlier call (set .g on its input)",
        category="gradient",
    )


@task("Relu")
@pytest.mark.parametrize("sub", [0.0, 0.5], ids=["relu", "shifted relu"])
def test_relu_module(student, rng, expect, sub):
    """Relu(sub) forward and backward equal max(x, 0) - sub and autograd's (exact zeros too)"""
    for shape in draw.relu_shapes(rng):
        x, g = draw.with_zeros(rng, *shape), draw.randn(rng, *shape)
        got = student.probe(probes.relu_layer, sub, x, g)
        expect.close(got.out, torch.relu(x) - sub, what="the output", **grads.TOL)
        grads.expect_grad(expect, got.inp_g, grads.relu_grad(x, g, sub), "inp", **grads.TOL)


@task("Lin")
@points(2)
def test_lin_module(student, rng, expect):
    """Lin(w, b) forward and backward equal x @ w + b and autograd's inp.g, w.g, b.g"""
    for n, m, k in [draw.lin_shapes(rng)[0], (1, 6, 1)]:
        inp, out, out_g, w, b = draw.lin_inputs(rng, n, m, k)
        got = student.probe(probes.lin_layer, w, b, inp, out_g)
        expect.close(got.out, out, what="the output", against="x @ w + b", **grads.TOL)
        want = grads.lin_grads(inp, w, b, out_g)
        for name, g, g_autograd in zip(("inp", "w", "b"), (got.inp_g, *got.param_g), want):
            grads.expect_grad(expect, g, g_autograd, name, **grads.TOL)


@task("Mse")
def test_mse_module(student, rng, expect):
    """Mse forward and backward equal the mse and autograd's inp.g, batch 1 included"""
    for n in (draw.integer(rng, 2, 40), 1):
        out, targ = draw.randn(rng, n, 1), draw.randn(rng, n)
        loss, want = grads.mse_grad(out, targ)
        got = student.probe(probes.mse_layer, out, targ)
        expect.close(got.out, loss, what="the loss", **grads.TOL)
        grads.expect_grad(expect, got.inp_g, want, "inp", **grads.TOL)
