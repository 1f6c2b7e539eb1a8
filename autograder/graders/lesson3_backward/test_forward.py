"""The forward pieces: lin(x, w, b) = x @ w + b, relu(x, sub) = max(x, 0) - sub and
mse(out, targ) = mean((out.squeeze(-1) - targ)^2).

Inputs: N(0, 1) tensors of random shapes, with batch size 1 and a single output; relu inputs
hold exact zeros; float32 and float64 (the result keeps the dtype).
Expected: torch's own ops on the same tensors. Bad shapes (x's columns != w's rows, a wrong-size
b; targ (n, 1) or out (n, 2), which would broadcast silently) raise ValueError.
Tolerance: float64 round-off (_grads.TOL); float32 sums of <= 30 products: rtol/atol 1e-5.
"""

import pytest
import torch

from autograder.grading import points, task, visible
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward._grads import TOL

F32_TOL = dict(rtol=1e-5, atol=1e-5)


@task("lin")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_lin_values(student, rng, expect, dtype):
    """equals x @ w + b (batch 1 and a single output included), keeps the dtype"""
    for n, m, k in draw.lin_shapes(rng):
        x, w, b = (draw.randn(rng, *s, dtype=dtype) for s in [(n, m), (m, k), (k,)])
        tol = TOL if dtype == torch.float64 else F32_TOL
        expect.close(student.lin(x, w, b), x @ w + b, against="x @ w + b", **tol)


@task("lin")
@visible
def test_lin_rejects_bad_shapes(student, expect):
    """raises ValueError when x, w and b do not chain"""
    x, w, b = torch.ones(4, 3), torch.ones(3, 2), torch.ones(2)
    expect.raises(lambda: student.lin(x, w.t(), b), ValueError, "when x's columns != w's rows")
    expect.raises(lambda: student.lin(x, w, torch.ones(3)), ValueError, "for a wrong-size b")


@task("relu")
@pytest.mark.parametrize("sub", [0.0, 0.5], ids=["relu", "shifted relu"])
def test_relu_values(student, rng, expect, sub):
    """equals max(x, 0) - sub (exact zeros included), keeps the dtype"""
    for shape in draw.relu_shapes(rng):
        x = draw.with_zeros(rng, *shape)
        expect.close(student.relu(x, sub), torch.relu(x) - sub, against="max(x, 0) - sub", **TOL)
        x32 = x.float()
        expect.close(student.relu(x32, sub), torch.relu(x32) - sub, against="max(x, 0) - sub")


@task("mse")
@points(2)
def test_mse_values(student, rng, expect):
    """equals the mean squared error of out (n, 1) against targ (n,), batch 1 included"""
    for n in (draw.integer(rng, 2, 50), 1):
        out, targ = draw.randn(rng, n, 1), draw.randn(rng, n)
        want = (out[:, 0] - targ).pow(2).mean()
        expect.close(student.mse(out, targ), want, against="mean((out - targ)^2)", **TOL)


@task("mse")
@visible
def test_mse_rejects_broadcasting_shapes(student, expect):
    """raises ValueError for targ (n, 1) or out (n, 2), which would broadcast silently"""
    out, targ = torch.zeros(4, 1), torch.zeros(4)
    expect.raises(lambda: student.mse(out, targ[:, None]), ValueError, "for targ (n, 1)")
    expect.raises(lambda: student.mse(torch.zeros(4, 2), targ), ValueError, "for out (n, 2)")
