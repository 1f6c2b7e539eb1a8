"""What the judge expects: torch's own layers, or the RunningBatchNorm recurrence of the module's
docstring, run through the same Steps as the student's layer, as StepResult records; and the
comparison of the student's records with them, step by step.

Tolerance TOL: every step runs in float64. The student's formula and torch's kernels sum in
different orders, so outputs and gradients differ by a few ulps of the terms involved (~1e-16
relative). rtol 1e-8 with atol 1e-9: the reference against these uses at most 8e-4 of it over
100 gradings (the worst: x.grad of LayerNorm and GroupNorm, a difference of terms ~1 that can
cancel to ~0, where rounding of ~1e-13 meets the 1e-9 floor), a margin of > 1000, while the
smallest wrong answer in the bank, the biased vs the unbiased variance over n <= 150 values, is
a relative change >= 1/150.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from courselib.lesson6_batchnorm import RBN_MIN_VAR, RBN_WARMUP, StepResult

F64 = torch.float64
TOL = dict(rtol=1e-8, atol=1e-9)
OURS_TO_TORCH = {"mults": "weight", "adds": "bias"}


def torch_steps(layer: nn.Module, steps: list, params: dict) -> list:
    """torch's layer (nn.BatchNorm2d or nn.GroupNorm, float64) through the steps: its weight and
    bias play mults and adds, its running_mean and running_var the buffers means and vars."""
    layer = layer.double()
    named = dict(layer.named_parameters())
    with torch.no_grad():
        for ours, value in params.items():
            named[OURS_TO_TORCH[ours]].copy_(value.reshape(-1))
    results = []
    for step in steps:
        layer.train(step.train)
        x = step.x.clone().requires_grad_()
        y = layer(x)
        (y * step.g).sum().backward()
        buffers = {}
        if isinstance(layer, nn.BatchNorm2d):
            buffers = {
                "means": layer.running_mean.clone().reshape(1, -1, 1, 1),
                "vars": layer.running_var.clone().reshape(1, -1, 1, 1),
            }
        grads = {
            o: named[t].grad.clone().reshape(params[o].shape) for o, t in OURS_TO_TORCH.items()
        }
        results.append(StepResult(y.detach(), x.grad, grads, buffers, None))
        layer.zero_grad(set_to_none=True)
    return results


def function_steps(fn, steps: list, params: dict) -> list:
    """A stateless layer y = fn(x, **params) through the steps, gradients by autograd."""
    results = []
    for step in steps:
        x = step.x.clone().requires_grad_()
        ps = {k: v.clone().requires_grad_() for k, v in params.items()}
        y = fn(x, **ps)
        (y * step.g).sum().backward()
        grads = {k: p.grad for k, p in ps.items()}
        results.append(StepResult(y.detach(), x.grad, grads, {}, None))
    return results


def rbn_steps(steps: list, params: dict, mom: float = 0.1, eps: float = 1e-5) -> list:
    """RunningBatchNorm as its docstring states it, in float64. A training step on x (N, C, H, W)
    with n = N*H*W values per channel:
        mom1 = 1 - (1 - mom) / sqrt(max(N - 1, 1))
        sums, sqrs, count <- lerp towards x.sum, (x*x).sum over (0, 2, 3) and n, weight mom1
        dbias <- dbias * (1 - mom1) + mom1;  batch <- batch + N;  step <- step + 1
    (the current batch's part keeps its gradient, the stored buffers do not); then, in training
    and eval alike: s, q, c = sums, sqrs, count / dbias; mean = s / c;
    var = max(q / c - mean^2, 0), and >= RBN_MIN_VAR while batch < RBN_WARMUP;
    y = (x - mean) / sqrt(var + eps) * mults + adds. Before any training step: mean 0, var 1."""
    c = steps[0].x.shape[1]
    sums, sqrs = torch.zeros(1, c, 1, 1, dtype=F64), torch.zeros(1, c, 1, 1, dtype=F64)
    count = dbias = batch = step_no = torch.tensor(0.0, dtype=F64)
    params = dict(params)
    results = []
    for step in steps:
        params.update(step.params or {})
        x = step.x.clone().requires_grad_()
        ps = {k: v.clone().requires_grad_() for k, v in params.items()}
        s, q, cnt, d = sums, sqrs, count, dbias
        if step.train:
            bs = x.shape[0]
            mom1 = 1 - (1 - mom) / math.sqrt(max(bs - 1, 1))
            s = sums.lerp(x.sum((0, 2, 3), keepdim=True), mom1)
            q = sqrs.lerp((x * x).sum((0, 2, 3), keepdim=True), mom1)
            cnt = count.lerp(torch.tensor(x.numel() / c, dtype=F64), mom1)
            d = dbias * (1 - mom1) + mom1
            sums, sqrs, count, dbias = s.detach(), q.detach(), cnt.detach(), d.detach()
            batch, step_no = batch + bs, step_no + 1
        if step_no == 0:
            mean, var = torch.zeros((), dtype=F64), torch.ones((), dtype=F64)
        else:
            mean = (s / d) / (cnt / d)
            var = ((q / d) / (cnt / d) - mean * mean).clamp_min(0)
            if batch < RBN_WARMUP:
                var = var.clamp_min(RBN_MIN_VAR)
        y = (x - mean) / (var + eps).sqrt() * ps["mults"] + ps["adds"]
        (y * step.g).sum().backward()
        buffers = {"sums": sums, "sqrs": sqrs, "count": count, "batch": batch, "step": step_no}
        buffers["dbias"] = dbias
        grads = {k: p.grad for k, p in ps.items()}
        results.append(StepResult(y.detach(), x.grad, grads, buffers, None))
    return results


def compare(
    expect,
    got: list,
    want: list,
    against: str,
    *,
    where: str = "step",
    first: int = 0,
    outputs: bool = True,
    grads: bool = True,
    buffers: bool = False,
    tol: dict = TOL,
) -> None:
    """The student's StepResults `got` against `want`, step by step (numbered from `first`):
    with `outputs`, the output; with `grads`, x.grad and every parameter's grad; with `buffers`,
    every buffer `want` has (one of the right size but another shape is compared in want's)."""
    expect.equal(len(got), len(want), what="the steps the probe ran")
    for k, (g, w) in enumerate(zip(got, want), first):
        at = f"{where} {k}"
        if outputs:
            expect.close(g.out, w.out, what=f"the output ({at})", against=against, **tol)
        if grads:
            raised = g.backward_raised
            expect.that(
                raised is None, f"backward through {at} raised {raised}", category="gradient"
            )
            expect.that(g.grad_x is not None, f"x got no gradient ({at})", category="gradient")
            expect.close(
                g.grad_x,
                w.grad_x,
                what=f"x.grad ({at})",
                against=against,
                category="gradient",
                **tol,
            )
            for name, grad in w.grads.items():
                mine = g.grads.get(name)
                expect.that(mine is not None, f"{name} got no gradient ({at})", category="gradient")
                what = f"{name}.grad ({at})"
                expect.close(mine, grad, what=what, against=against, category="gradient", **tol)
        if buffers:
            for name, value in w.buffers.items():
                mine = g.buffers.get(name)
                expect.that(mine is not None, f"no buffer named {name!r} (register_buffer)")
                if isinstance(mine, torch.Tensor) and mine.numel() == value.numel():
                    mine = mine.reshape(value.shape)
                what = f"buffer {name} after {at}"
                expect.close(mine, value, what=what, against=against, **tol)
