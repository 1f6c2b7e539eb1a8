"""Visible tests for lesson 6: run `make test-lesson6` (or `SUBMISSION=<folder>`).

They check the same things the hidden graders check, on small fixed inputs; the graders add
random shapes and values, gradients of every parameter, more steps and a speed check.
"""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from batchnorm import BatchNorm, GroupNorm, InstanceNorm, LayerNorm, RunningBatchNorm
from courselib.checks import expect_close, expect_raises, fail

F64 = torch.float64


def _x(*shape, seed=0, scale=2.0, shift=1.0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=F64) * scale + shift


def test_batchnorm_matches_torch_in_train_and_eval():
    ours, theirs = BatchNorm(3).double(), nn.BatchNorm2d(3).double()
    for step in range(3):
        x = _x(4, 3, 5, 5, seed=step).requires_grad_()
        y = ours(x)
        gx = torch.autograd.grad(y.sum() + (y * y).sum(), x)[0]
        x2 = x.detach().requires_grad_()
        y2 = theirs(x2)
        gx2 = torch.autograd.grad(y2.sum() + (y2 * y2).sum(), x2)[0]
        expect_close("BatchNorm", y, y2, what="training output", against="nn.BatchNorm2d")
        expect_close(
            "BatchNorm",
            gx,
            gx2,
            what="x.grad",
            against="nn.BatchNorm2d",
            category="gradient",
            atol=1e-9,
        )
    expect_close(
        "BatchNorm",
        ours.means.flatten(),
        theirs.running_mean,
        what="means buffer",
        against="running_mean",
    )
    expect_close(
        "BatchNorm",
        ours.vars.flatten(),
        theirs.running_var,
        what="vars buffer",
        against="running_var (unbiased)",
    )
    ours.eval(), theirs.eval()
    x = _x(2, 3, 5, 5, seed=9)
    expect_close("BatchNorm", ours(x), theirs(x), what="eval output", against="nn.BatchNorm2d")


def test_batchnorm_buffers():
    bn = BatchNorm(4)
    keys = set(bn.state_dict())
    if not {"means", "vars"} <= keys:
        fail("values", "BatchNorm", "means and vars should be buffers (in state_dict)", f"{keys}")
    bn.double()
    if bn.means.dtype != F64 or bn.vars.dtype != F64:
        fail("dtype", "BatchNorm", "the buffers should follow .double() / .to()")
    expect_raises("BatchNorm", lambda: bn(_x(2, 3, 4, 4)), ValueError, "for 3 channels, not 4")


def test_layernorm_and_instancenorm_match_torch():
    x = _x(3, 4, 5, 6)
    expect_close(
        "LayerNorm", LayerNorm().double()(x), F.layer_norm(x, x.shape[1:]), against="F.layer_norm"
    )
    expect_close(
        "InstanceNorm", InstanceNorm(4).double()(x), F.instance_norm(x), against="F.instance_norm"
    )


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_groupnorm_matches_torch(groups):
    x = _x(3, 4, 5, 6)
    expect_close(
        "GroupNorm",
        GroupNorm(groups, 4).double()(x),
        nn.GroupNorm(groups, 4).double()(x),
        against="nn.GroupNorm",
    )


def test_groupnorm_rejects_bad_groups():
    expect_raises("GroupNorm", lambda: GroupNorm(3, 4), ValueError, "when 4 % 3 != 0")


def _rbn_reference(xs, mom=0.1, eps=1e-5):
    """The RunningBatchNorm recurrence written out in float64 (no grad)."""
    c = xs[0].shape[1]
    sums, sqrs = torch.zeros(1, c, 1, 1, dtype=F64), torch.zeros(1, c, 1, 1, dtype=F64)
    count = dbias = batch = 0.0
    outs = []
    for x in xs:
        bs = x.shape[0]
        mom1 = 1 - (1 - mom) / math.sqrt(max(bs - 1, 1))
        sums = sums * (1 - mom1) + x.sum((0, 2, 3), keepdim=True) * mom1
        sqrs = sqrs * (1 - mom1) + (x * x).sum((0, 2, 3), keepdim=True) * mom1
        count = count * (1 - mom1) + x.numel() / c * mom1
        dbias = dbias * (1 - mom1) + mom1
        batch += bs
        mean = sums / count
        var = (sqrs / count - mean * mean).clamp_min(0)
        if batch < 20:
            var = var.clamp_min(0.01)
        outs.append((x - mean) / (var + eps).sqrt())
    return outs, (mean, var)


def test_running_batchnorm_recurrence_at_batch_size_1_and_2():
    xs = [_x(bs, 3, 2, 2, seed=i) for i, bs in enumerate([1, 2, 1, 2, 8, 16, 2])]
    rbn = RunningBatchNorm(3).double()
    for step, (x, want) in enumerate(zip(xs, _rbn_reference(xs)[0])):
        expect_close(
            "RunningBatchNorm",
            rbn(x),
            want,
            what=f"output at step {step}",
            against="the float64 recurrence",
            rtol=1e-7,
            atol=1e-9,
        )


def test_running_batchnorm_eval_uses_running_stats():
    xs = [_x(2, 3, 4, 4, seed=i) for i in range(4)]
    rbn = RunningBatchNorm(3).double()
    for x in xs:
        rbn(x)
    with torch.no_grad():
        rbn.mults.fill_(2.0)  # as an optimizer step would
    rbn.eval()
    x = _x(5, 3, 4, 4, seed=7)
    mean, var = _rbn_reference(xs)[1]  # the statistics after the last training step
    want = (x - mean) / (var + 1e-5).sqrt() * 2.0
    expect_close(
        "RunningBatchNorm",
        rbn(x),
        want,
        what="eval output",
        against="running statistics and the current mults",
        rtol=1e-7,
    )
    if int(rbn.step) != 4:
        fail("values", "RunningBatchNorm", "eval mode should not update the statistics")
