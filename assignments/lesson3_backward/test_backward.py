"""Visible tests for lesson 3: run `make test-lesson3` (or `SUBMISSION=<folder>`).

Every gradient is compared with torch.autograd in float64 (here, in the test, autograd checks
your module; your module must not use it). The hidden graders add random shapes, batch size 1,
float32, property tests, a second backward on the same tensors, the no-autograd rule and a
speed test of lin_grad.
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
from courselib.lesson3_backward import GRADS, autograd_grads, mlp_loss, mlp_params

F64 = dict(dtype=torch.float64)
TOL = dict(rtol=1e-9, atol=1e-12)  # float64: only round-off separates two correct answers


def params(n=6, m=5, nh=4, seed=0):
    return mlp_params(n, m, nh, generator=torch.Generator().manual_seed(seed))


def expect_grads(task, got, autograd, names):
    for g, a, name in zip(got, autograd, names):
        what = f"{name}.g"
        expect_close(task, g, a, what=what, against="autograd", category="gradient", **TOL)


def test_forward_pieces():
    x, y, w1, b1, w2, b2 = params()
    expect_close("lin", lin(x, w1, b1), x @ w1 + b1, against="x @ w + b", **TOL)
    expect_close("relu", relu(x), torch.relu(x), against="max(x, 0)", **TOL)
    out = lin(relu(lin(x, w1, b1)), w2, b2)
    expect_close("mse", mse(out, y), mlp_loss(x, y, w1, b1, w2, b2), against="the mse", **TOL)


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
    ref_loss, grads = autograd_grads(lambda *t: mlp_loss(t[0], y, *t[1:]), x, w1, b1, w2, b2)
    expect_close("forward_and_backward", loss, ref_loss, what="the loss", against="autograd", **TOL)
    expect_grads("forward_and_backward", [t.g for t in (x, w1, b1, w2, b2)], grads, GRADS)


def test_each_grad_against_autograd():
    g = torch.Generator().manual_seed(1)
    inp, targ = torch.randn(5, 1, generator=g, **F64), torch.randn(5, generator=g, **F64)
    _, (want,) = autograd_grads(lambda o: mse(o, targ), inp)
    mse_grad(inp, targ)
    expect_grads("mse_grad", [inp.g], [want], ["inp"])

    x = torch.randn(7, 3, generator=g, **F64)
    out = relu(x, sub=0.5)  # the shifted relu: out > 0 is not the same as x > 0
    out.g = torch.randn(7, 3, generator=g, **F64)
    _, (want,) = autograd_grads(lambda t: ((torch.relu(t) - 0.5) * out.g).sum(), x)
    relu_grad(x, out)
    expect_grads("relu_grad", [x.g], [want], ["inp"])

    x, w, b = (torch.randn(s, generator=g, **F64) for s in [(7, 3), (3, 2), (2,)])
    out = lin(x, w, b)
    out.g = torch.randn(7, 2, generator=g, **F64)
    _, want = autograd_grads(lambda *t: (lin(*t) * out.g).sum(), x, w, b)
    lin_grad(x, out, w, b)
    expect_grads("lin_grad", [x.g, w.g, b.g], want, ["inp", "w", "b"])


def test_relu_grad_is_zero_at_zero():
    x = torch.tensor([[-1.0, 0.0, 2.0]], **F64)  # the kink: the course takes derivative 0
    out = relu(x)
    out.g = torch.ones_like(x)
    relu_grad(x, out)
    expect_grads("relu_grad", [x.g], [torch.tensor([[0.0, 0.0, 1.0]], **F64)], ["inp"])


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
    ref_loss, grads = autograd_grads(lambda *t: mlp_loss(t[0], y, *t[1:]), x, w1, b1, w2, b2)
    expect_close("Model", loss, ref_loss, what="the loss", against="autograd", **TOL)
    expect_grads("Model", [t.g for t in (x, w1, b1, w2, b2)], grads, GRADS)
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
    ref_loss, (want,) = autograd_grads(lambda z: ref(z, t), x)
    expect_close("CrossEntropy", loss, ref_loss, what="the loss", against="cross_entropy")
    expect_grads("CrossEntropy", [x.g], [want], ["inp"])
