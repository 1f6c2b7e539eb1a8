"""Visible tests for lesson 3: run `make test-lesson3` (or `SUBMISSION=<folder>`).

Every gradient is compared with torch.autograd in float64 (here, in the test, autograd is the
reference; your module must not use it). The hidden graders add random shapes, batch size 1,
property tests, the no-autograd rule and a speed test of lin_grad.
"""

import pytest
import torch

from backward import (
    CrossEntropy,
    Lin,
    Model,
    Mse,
    Relu,
    forward_and_backward,
    lin,
    lin_grad,
    log_softmax,
    mse,
    mse_grad,
    nll,
    relu,
    relu_grad,
)
from courselib.checks import expect_close, expect_raises

F64 = dict(dtype=torch.float64)
TOL = dict(rtol=1e-9, atol=1e-12)  # float64: only round-off separates two correct answers


def params(n=6, m=5, nh=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(n, m, generator=g, **F64), torch.randn(n, generator=g, **F64)
    w1, b1 = torch.randn(m, nh, generator=g, **F64), torch.randn(nh, generator=g, **F64)
    w2, b2 = torch.randn(nh, 1, generator=g, **F64), torch.randn(1, generator=g, **F64)
    return x, y, w1, b1, w2, b2


def autograd_grads(x, y, w1, b1, w2, b2):
    """The reference: the same model through torch.autograd."""
    ts = [t.clone().requires_grad_() for t in (x, w1, b1, w2, b2)]
    xr, w1r, b1r, w2r, b2r = ts
    out = (xr @ w1r + b1r).clamp_min(0) @ w2r + b2r
    loss = (out.squeeze(-1) - y).pow(2).mean()
    loss.backward()
    return loss.detach(), [t.grad for t in ts]


NAMES = ["inp", "w1", "b1", "w2", "b2"]


def test_forward_pieces():
    x, y, w1, b1, w2, b2 = params()
    expect_close("lin", lin(x, w1, b1), x @ w1 + b1, against="x @ w + b", **TOL)
    expect_close("relu", relu(x), x.clamp_min(0), against="max(x, 0)", **TOL)
    out = lin(relu(lin(x, w1, b1)), w2, b2)
    expect_close("mse", mse(out, y), ((out[:, 0] - y) ** 2).mean(), against="the mean", **TOL)


def test_lin_rejects_mismatched_shapes():
    x, _, w1, b1, *_ = params()
    expect_raises("lin", lambda: lin(x.t(), w1, b1), ValueError, "when x's columns != w's rows")


def test_mse_rejects_broadcasting_shapes():
    out, targ = torch.zeros(4, 1), torch.zeros(4, 1)
    expect_raises("mse", lambda: mse(out, targ), ValueError, "for targ (n, 1) (it would broadcast)")


@pytest.mark.parametrize("n", [1, 6])
def test_forward_and_backward_matches_autograd(n):
    x, y, w1, b1, w2, b2 = params(n=n)
    loss = forward_and_backward(x, y, w1, b1, w2, b2)
    ref_loss, grads = autograd_grads(x, y, w1, b1, w2, b2)
    expect_close("forward_and_backward", loss, ref_loss, what="the loss", against="autograd", **TOL)
    for t, g, name in zip((x, w1, b1, w2, b2), grads, NAMES):
        expect_close(
            "forward_and_backward",
            t.g,
            g,
            what=f"{name}.g",
            against="autograd",
            category="gradient",
            **TOL,
        )


def test_each_grad_against_autograd():
    g = torch.Generator().manual_seed(1)
    inp, targ = torch.randn(5, 1, generator=g, **F64), torch.randn(5, generator=g, **F64)
    r = inp.clone().requires_grad_()
    mse(r, targ).backward()
    mse_grad(inp, targ)
    expect_close("mse_grad", inp.g, r.grad, what="inp.g", against="autograd", category="gradient")

    x = torch.randn(7, 3, generator=g, **F64)
    out = relu(x, sub=0.5)  # the shifted relu: out > 0 is not the same as x > 0
    out.g = torch.randn(7, 3, generator=g, **F64)
    r = x.clone().requires_grad_()
    (relu(r, sub=0.5) * out.g).sum().backward()
    relu_grad(x, out)
    expect_close("relu_grad", x.g, r.grad, what="inp.g", against="autograd", category="gradient")

    x, w, b = (torch.randn(s, generator=g, **F64) for s in [(7, 3), (3, 2), (2,)])
    out = lin(x, w, b)
    out.g = torch.randn(7, 2, generator=g, **F64)
    refs = [t.clone().requires_grad_() for t in (x, w, b)]
    (lin(*refs) * out.g).sum().backward()
    lin_grad(x, out, w, b)
    for t, r, name in zip((x, w, b), refs, ["inp", "w", "b"]):
        expect_close(
            "lin_grad", t.g, r.grad, what=f"{name}.g", against="autograd", category="gradient"
        )


def test_module_stores_args_and_out():
    x, *_ = params()
    layer = Relu()
    out = layer(x)
    assert layer.args == (x,) and layer.out is out, "Module.__call__ must store args and out"


def test_model_matches_autograd():
    x, y, w1, b1, w2, b2 = params(n=9, m=6, nh=5, seed=2)
    model = Model(w1, b1, w2, b2)
    loss = model(x, y)
    model.backward()
    ref_loss, grads = autograd_grads(x, y, w1, b1, w2, b2)
    expect_close("Model", loss, ref_loss, what="the loss", against="autograd", **TOL)
    for t, g, name in zip((x, w1, b1, w2, b2), grads, NAMES):
        expect_close("Model", t.g, g, what=f"{name}.g", against="autograd", category="gradient")
    assert [type(m) for m in model.layers] == [Lin, Relu, Lin] and isinstance(model.loss, Mse)


def test_log_softmax_is_stable():
    x = torch.tensor([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]], **F64)
    expect_close("log_softmax", log_softmax(x), torch.log_softmax(x, -1), against="torch", **TOL)


def test_nll_and_cross_entropy():
    g = torch.Generator().manual_seed(3)
    x, t = torch.randn(6, 4, generator=g, **F64), torch.randint(0, 4, (6,), generator=g)
    ref = torch.nn.functional.cross_entropy
    expect_close("nll", nll(torch.log_softmax(x, -1), t), ref(x, t), against="cross_entropy")
    ce = CrossEntropy()
    loss = ce(x, t)
    ce.backward()
    r = x.clone().requires_grad_()
    ref(r, t).backward()
    expect_close("CrossEntropy", loss, ref(x, t), what="the loss", against="cross_entropy")
    expect_close("CrossEntropy", x.g, r.grad, what="inp.g", against="autograd", category="gradient")
