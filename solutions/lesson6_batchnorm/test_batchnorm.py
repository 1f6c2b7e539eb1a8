"""Visible tests for lesson 6: run `make test-lesson6` (or `SUBMISSION=<folder>`).

They check the same things the hidden graders check, on small fixed inputs; the graders add
random shapes and values, gradients of every parameter, more steps and a speed check.
"""

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


def test_running_batchnorm_first_step_is_the_batch_statistics():
    # the debiasing makes the first step's running statistics exactly this batch's: with 20
    # images or more (no clamp) training gives BatchNorm's numbers
    x = _x(24, 3, 2, 2)
    expect_close(
        "RunningBatchNorm",
        RunningBatchNorm(3).double()(x),
        F.batch_norm(x, None, None, training=True, eps=1e-5),
        what="the first training output on 24 images",
        against="the batch's own mean and biased variance",
        rtol=1e-7,
        atol=1e-9,
    )


def test_running_batchnorm_batch_size_1_and_2():
    rbn = RunningBatchNorm(3).double()
    for step, bs in enumerate([1, 2, 1, 2, 1]):
        y = rbn(_x(bs, 3, 2, 2, seed=step))
        if not torch.isfinite(y).all():
            fail("values", "RunningBatchNorm", f"inf or nan at batch size {bs} (step {step})")


def test_running_batchnorm_clamps_the_variance_while_warming_up():
    # two near-constant images (variance ~1e-6): the variance is clamped to 0.01, so the output
    # stays within 10 * |x - mean| (~0.03), not blown up to ~1
    y = RunningBatchNorm(3).double()(_x(2, 3, 4, 4, scale=1e-3))
    if y.abs().max() > 0.1:
        fail(
            "values",
            "RunningBatchNorm",
            "the first batches are blown up: is the variance clamped at 0.01 while warming up?",
            f"max |output| {y.abs().max().item():.2f}",
        )


def test_running_batchnorm_eval_uses_running_stats_and_current_mults():
    rbn = RunningBatchNorm(3).double()
    for step in range(4):
        y = rbn(_x(2, 3, 4, 4, seed=step))
    x = _x(2, 3, 4, 4, seed=3)  # the last training batch
    state = {k: v.clone() for k, v in rbn.state_dict().items()}
    rbn.eval()
    expect_close(
        "RunningBatchNorm",
        rbn(x),
        y,
        what="eval output on the last training batch",
        against="the training output (the same statistics)",
        rtol=1e-7,
    )
    with torch.no_grad():
        rbn.mults.fill_(2.0)  # as an optimizer step would
    expect_close(
        "RunningBatchNorm",
        rbn(x),
        2 * y,
        what="eval output with mults = 2",
        against="twice the output with mults = 1 (the current mults, not stale factors)",
        rtol=1e-7,
    )
    for name, value in rbn.state_dict().items():
        if name != "mults" and not torch.equal(value, state[name]):
            fail("values", "RunningBatchNorm", f"eval mode should not update {name}")
