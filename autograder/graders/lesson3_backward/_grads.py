"""What the judge expects, computed by torch.autograd on the inputs it drew, and the one check
every gradient goes through.

Tolerance (float64): a hand-derived gradient and autograd's do the same products, possibly in
another order; for sums of at most a few hundred terms of size ~1 they differ by ~1e-14, so
rtol 1e-9 / atol 1e-11 leaves three orders of margin, while every mistake the graders look for
(a missing 1/n, a mean for a sum, a wrong mask, a transposed product) is off by more than 1e-3.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.graders.lesson3_backward import _draw as draw
from courselib.lesson3_backward import GRADS, autograd_grads, mlp_loss

TOL = dict(rtol=1e-9, atol=1e-11)
# float32 (sums of <= 40 terms of size ~1): round-off ~1e-6; 1e-4 relative still fails any
# real mistake (those are off by > 1e-2)
TOL32 = dict(rtol=1e-4, atol=1e-5)


def expect_grad(expect, got, want: torch.Tensor, name: str, **tol) -> None:
    """`got` (what the student's code left in name.g) equals autograd's `want`."""
    expect.that(got is not None, f"{name}.g was not set", category="gradient")
    expect.close(got, want, what=f"{name}.g", against="autograd", category="gradient", **tol)


def relu_grad(x: torch.Tensor, out_g: torch.Tensor, sub: float = 0.0) -> torch.Tensor:
    """dL/dx for out = max(x, 0) - sub and dL/d out = out_g; 0 at x = 0 (torch.relu's autograd:
    the course's convention)."""
    _, (g,) = autograd_grads(lambda t: ((torch.relu(t) - sub) * out_g).sum(), x)
    return g


def lin_grads(inp, w, b, out_g) -> list[torch.Tensor]:
    """[dL/d inp, dL/dw, dL/db] for out = inp @ w + b and dL/d out = out_g."""
    _, grads = autograd_grads(lambda x, w_, b_: ((x @ w_ + b_) * out_g).sum(), inp, w, b)
    return grads


def mse_grad(out: torch.Tensor, targ: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(the mse, dL/d out) for out (n, 1) and targ (n,)."""
    loss, (g,) = autograd_grads(lambda o: F.mse_loss(o.squeeze(-1), targ), out)
    return loss, g


def cross_entropy_grad(x: torch.Tensor, targ: torch.Tensor):
    """(F.cross_entropy(x, targ), its gradient with respect to the logits x)."""
    loss, (g,) = autograd_grads(lambda t: F.cross_entropy(t, targ), x)
    return loss, g


def expect_mlp(expect, got, x, targ, w1, b1, w2, b2, label="", **tol):
    """The loss and every .g that one forward and backward left (a MlpGrads record)."""
    loss, want = autograd_grads(lambda *t: mlp_loss(t[0], targ, *t[1:]), x, w1, b1, w2, b2)
    expect.close(got.loss, loss, what=f"the loss{label}", against="the mse", **tol)
    for name, g in zip(GRADS, want):
        expect_grad(expect, got.g.get(name), g, name, **tol)
    expect.that(
        not got.carries_graph,
        "the loss or a .g holds an autograd graph (it requires grad)",
        category="gradient",
    )


def expect_mlp_cases(expect, rng, run) -> None:
    """For random shapes, batch size 1 and one hidden unit (draw.mlp_cases): run(params) gives
    the MlpGrads of one forward and backward on those inputs, checked against autograd."""
    for label, shape in draw.mlp_cases(rng).items():
        params = draw.mlp(rng, *shape)
        expect_mlp(expect, run(params), *params, label=f" ({label})", **TOL)


def expect_two_batches(expect, got, batches, params) -> None:
    """A Twice record of MlpGrads: each batch's loss and .g, as if it had been the only one."""
    x1, targ1, x2, targ2 = batches
    expect_mlp(expect, got.first, x1, targ1, *params, label=" (first batch)", **TOL)
    expect_mlp(expect, got.second, x2, targ2, *params, label=" (second batch)", **TOL)
