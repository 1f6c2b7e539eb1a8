"""Hidden graders for lesson 6: BatchNorm, LayerNorm, InstanceNorm, GroupNorm, RunningBatchNorm.

Each layer is built from the student's module inside the sandbox and run through a sequence of
steps by the probe `norm_steps` (autograder/probes/lesson6_batchnorm.py): per step it returns
the output, the input gradient, the parameter gradients and the buffers. The judge runs the same
steps on torch's own layers (nn.BatchNorm2d, F.layer_norm, F.instance_norm, F.group_norm) or,
for RunningBatchNorm, on the float64 recurrence written out below, and compares.

Tolerances: everything runs in float64 (except the float32 test); the student's formula and
torch's kernels sum in different orders, so differences are a few ulps of the values involved
(~1e-15 relative). rtol 1e-8 / atol 1e-9 leaves a factor 1e6 of margin and still catches every
wrong answer in the bank (the smallest, the biased vs unbiased variance at n = N*H*W <= 150, is
a relative change >= 1/150 in the variance).
"""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from autograder import rules, speed
from autograder.probes import lesson6_batchnorm as probes
from autograder.grading import DEVICES, points, task, task_from, visible
from courselib.checks import expect_close, expect_raises, fail

LESSON, MODULE = "lesson6_batchnorm", "batchnorm"

F64 = torch.float64
TOL = dict(rtol=1e-8, atol=1e-9)


def _int(rng, lo, hi):
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def _uniform(rng, lo, hi):
    return float(torch.empty(1).uniform_(lo, hi, generator=rng))


def _images(rng, n, c, h, w, dtype=F64):
    """Channels with different means and scales, as activations have."""
    scale = torch.empty(1, c, 1, 1, dtype=dtype).uniform_(0.5, 3, generator=rng)
    shift = torch.empty(1, c, 1, 1, dtype=dtype).uniform_(-2, 2, generator=rng)
    return torch.randn(n, c, h, w, generator=rng, dtype=dtype) * scale + shift


def _steps(rng, c, modes, sizes=None, hw=None):
    """One step per mode (True = train); each a fresh batch and output gradient."""
    h, w = hw or (_int(rng, 1, 5), _int(rng, 2, 5))
    steps = []
    for k, train in enumerate(modes):
        n = sizes[k] if sizes else _int(rng, 2, 6)
        x = _images(rng, n, c, h, w)
        steps.append({"x": x, "g": torch.randn(x.shape, generator=rng, dtype=F64), "train": train})
    return steps


def _check(task_name, cond, summary, detail=""):
    if not cond:
        fail("values", task_name, summary, detail)


def _compare(task_name, got, want, names, what_step, buffers=False, tol=TOL):
    """Step-by-step comparison of the probe's results with the judge's."""
    for k, (g, w) in enumerate(zip(got, want)):
        where = f"{what_step} {k}"
        expect_close(
            task_name, g["out"], w["out"], what=f"the output ({where})", against=w["against"], **tol
        )
        expect_close(
            task_name,
            g["gx"],
            w["gx"],
            what=f"x.grad ({where})",
            against=w["against"],
            category="gradient",
            **tol,
        )
        for ours, grad in w["grads"].items():
            got_grad = g["grads"].get(ours)
            if got_grad is None:
                fail("gradient", task_name, f"{ours} got no gradient ({where})")
            expect_close(
                task_name,
                got_grad,
                grad,
                what=f"{ours}.grad ({where})",
                against=w["against"],
                category="gradient",
                **tol,
            )
        if buffers:
            for name, value in w["buffers"].items():
                if name not in g["buffers"]:
                    fail(
                        "values",
                        task_name,
                        f"no buffer named {name!r}",
                        f"buffers: {sorted(g['buffers'])}",
                    )
                expect_close(
                    task_name,
                    g["buffers"][name],
                    value,
                    what=f"buffer {name} after {where}",
                    against=w["against"],
                    **tol,
                )


def _on(device, tensors):
    """The steps or expected results with every tensor moved to `device`."""
    if isinstance(tensors, torch.Tensor):
        return tensors.to(device)
    if isinstance(tensors, dict):
        return {k: _on(device, v) for k, v in tensors.items()}
    if isinstance(tensors, list):
        return [_on(device, v) for v in tensors]
    return tensors


def _params(rng, c, shape=(1, 1)):
    return {
        "mults": torch.empty(c, *shape, dtype=F64).uniform_(0.5, 2, generator=rng),
        "adds": torch.randn(c, *shape, generator=rng, dtype=F64),
    }


# ---- expected values, computed in the judge ------------------------------------------------


def _run_torch(layer, steps, params, to_torch):
    """Run torch's layer through the steps; to_torch maps our param names to (torch name,
    reshape). Returns the probe's structure, gradients under our names."""
    layer = layer.double()
    named = dict(layer.named_parameters())
    with torch.no_grad():
        for ours, value in params.items():
            theirs = to_torch[ours]
            named[theirs].copy_(value.reshape(named[theirs].shape))
    results = []
    for step in steps:
        layer.train(step["train"])
        x = step["x"].clone().requires_grad_()
        y = layer(x)
        (y * step["g"]).sum().backward()
        results.append(
            {
                "out": y.detach(),
                "gx": x.grad,
                "grads": {
                    o: named[t].grad.clone().reshape(params[o].shape) for o, t in to_torch.items()
                },
                "buffers": (
                    {
                        "means": layer.running_mean.clone().reshape(1, -1, 1, 1),
                        "vars": layer.running_var.clone().reshape(1, -1, 1, 1),
                    }
                    if isinstance(layer, nn.BatchNorm2d)
                    else {}
                ),
                "against": type(layer).__name__,
            }
        )
        for p in named.values():
            p.grad = None
    return results


def _run_fn(fn, steps, params, against):
    """Expected results of a stateless layer y = fn(x, **params)."""
    results = []
    for step in steps:
        x = step["x"].clone().requires_grad_()
        ps = {k: v.clone().requires_grad_() for k, v in params.items()}
        y = fn(x, **ps)
        (y * step["g"]).sum().backward()
        results.append(
            {
                "out": y.detach(),
                "gx": x.grad,
                "grads": {k: p.grad for k, p in ps.items()},
                "buffers": {},
                "against": against,
            }
        )
    return results


def _rbn_expected(steps, c, params, mom=0.1, eps=1e-5):
    """The RunningBatchNorm recurrence of the docstring, in float64, with autograd."""
    sums = torch.zeros(1, c, 1, 1, dtype=F64)
    sqrs = torch.zeros(1, c, 1, 1, dtype=F64)
    count = dbias = batch = step_no = torch.tensor(0.0, dtype=F64)
    params = dict(params)
    results = []
    for step in steps:
        params.update(step.get("set", {}))
        x = step["x"].clone().requires_grad_()
        ps = {k: v.clone().requires_grad_() for k, v in params.items()}
        if step["train"]:
            bs = x.shape[0]
            mom1 = 1 - (1 - mom) / math.sqrt(max(bs - 1, 1))
            s = sums * (1 - mom1) + x.sum((0, 2, 3), keepdim=True) * mom1
            q = sqrs * (1 - mom1) + (x * x).sum((0, 2, 3), keepdim=True) * mom1
            cnt = count * (1 - mom1) + (x.numel() // c) * mom1
            d = dbias * (1 - mom1) + mom1
            batch, step_no = batch + bs, step_no + 1
            sums, sqrs, count, dbias = s.detach(), q.detach(), cnt.detach(), d.detach()
        else:
            s, q, cnt, d = sums, sqrs, count, dbias
        if step_no == 0:
            y = x / math.sqrt(1 + eps) * ps["mults"] + ps["adds"]
        else:
            mean = (s / d) / (cnt / d)
            var = ((q / d) / (cnt / d) - mean * mean).clamp_min(0)
            if batch < 20:
                var = var.clamp_min(0.01)
            y = (x - mean) / (var + eps).sqrt() * ps["mults"] + ps["adds"]
        (y * step["g"]).sum().backward()
        results.append(
            {
                "out": y.detach(),
                "gx": x.grad,
                "grads": {k: p.grad for k, p in ps.items()},
                "buffers": {
                    "sums": sums.clone(),
                    "sqrs": sqrs.clone(),
                    "count": count.clone(),
                    "batch": batch.clone(),
                    "step": step_no.clone(),
                    "dbias": dbias.clone(),
                },
                "against": "the RunningBatchNorm recurrence (float64)",
            }
        )
    return results


# ---- BatchNorm -----------------------------------------------------------------------------

BN_TORCH = {"mults": "weight", "adds": "bias"}


def _bn_case(rng, modes):
    c = _int(rng, 1, 5)
    mom, eps = round(_uniform(rng, 0.05, 0.5), 3), 10 ** -_int(rng, 3, 6)
    spec = {"cls": "BatchNorm", "args": [c], "kw": {"mom": mom, "eps": eps}}
    ref = nn.BatchNorm2d(c, eps=eps, momentum=mom)
    return spec, ref, _steps(rng, c, modes), _params(rng, c)


@task("BatchNorm")
@points(3)
def test_batchnorm_training(student, rng):
    """training: outputs and gradients (x, mults, adds) equal nn.BatchNorm2d's"""
    spec, ref, steps, params = _bn_case(rng, [True] * _int(rng, 2, 4))
    got = student.probe("norm_steps", spec, steps, params)
    _compare("BatchNorm", got, _run_torch(ref, steps, params, BN_TORCH), params, "training step")


@task("BatchNorm")
@points(2)
def test_batchnorm_running_buffers(student, rng):
    """running means/vars buffers follow nn.BatchNorm2d (momentum, unbiased variance)"""
    spec, ref, steps, params = _bn_case(rng, [True] * _int(rng, 3, 5))
    got = student.probe("norm_steps", spec, steps, params)
    want = _run_torch(ref, steps, params, BN_TORCH)
    for k, (g, w) in enumerate(zip(got, want)):
        for name in ("means", "vars"):
            if name not in g["buffers"]:
                fail(
                    "values",
                    "BatchNorm",
                    f"no buffer named {name!r} (register_buffer)",
                    f"buffers: {sorted(g['buffers'])}",
                )
            expect_close(
                "BatchNorm",
                g["buffers"][name],
                w["buffers"][name],
                what=f"buffer {name} after step {k}",
                against=f"nn.BatchNorm2d's running_{name[:-1]}",
                **TOL,
            )


@task("BatchNorm")
@points(2)
def test_batchnorm_eval(student, rng):
    """eval mode: normalises with the running statistics and updates nothing"""
    modes = [True] * _int(rng, 2, 3) + [False] * 2
    spec, ref, steps, params = _bn_case(rng, modes)
    got = student.probe("norm_steps", spec, steps, params)
    want = _run_torch(ref, steps, params, BN_TORCH)
    n_train = modes.count(True)
    _compare("BatchNorm", got[n_train:], want[n_train:], params, "eval step", buffers=True)


@task("BatchNorm")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_batchnorm_on_device(student, rng, device):
    """on the GPU: outputs, gradients and buffers stay there and match nn.BatchNorm2d"""
    spec, ref, steps, params = _bn_case(rng, [True, True, False])
    want = _on(device, _run_torch(ref, steps, params, BN_TORCH))
    got = student.probe("norm_steps", spec, _on(device, steps), params)
    _compare("BatchNorm", got, want, params, "step", buffers=True)


@task("BatchNorm")
@points(2)
def test_batchnorm_buffers_registered(student, rng):
    """means/vars are buffers: in state_dict, moved by .double() and .to(), saved and loaded"""
    c = _int(rng, 1, 5)
    spec = {"cls": "BatchNorm", "args": [c]}
    r = student.probe("norm_layout", spec, _images(rng, 4, c, 3, 3, torch.float32))
    _check(
        "BatchNorm",
        r["params"] == {"mults": [c, 1, 1], "adds": [c, 1, 1]},
        "parameters should be mults and adds of shape (C, 1, 1)",
        f"got {r['params']}",
    )
    _check(
        "BatchNorm",
        {"means", "vars"} <= set(r["state_dict"]),
        "means and vars should be registered buffers (they are not in state_dict)",
        f"state_dict keys: {r['state_dict']}",
    )
    _check(
        "BatchNorm",
        r["buffers"].get("means") == [1, c, 1, 1] and r["buffers"].get("vars") == [1, c, 1, 1],
        "buffers should be (1, C, 1, 1)",
        f"got {r['buffers']}",
    )
    for how in ("double_dtypes", "to_dtypes"):
        bad = {k: v for k, v in r[how].items() if v != "torch.float64"}
        _check(
            "BatchNorm",
            not bad,
            f"{'.double()' if how == 'double_dtypes' else '.to()'} "
            "should convert every parameter and buffer",
            f"not converted: {bad}",
        )
    expect_close(
        "BatchNorm",
        r["eval_loaded"],
        r["eval_trained"],
        what="eval output after load_state_dict",
        against="the trained layer's",
        **TOL,
    )


@task("BatchNorm")
def test_batchnorm_float32(student, rng):
    """keeps float32 and matches nn.BatchNorm2d in float32"""
    c = _int(rng, 1, 4)
    x = _images(rng, _int(rng, 2, 5), c, 4, 4, torch.float32)
    got = student.probe("norm_forward", {"cls": "BatchNorm", "args": [c]}, x, True)
    expect_close(
        "BatchNorm",
        got,
        nn.BatchNorm2d(c)(x).detach(),
        against="nn.BatchNorm2d",
        rtol=1e-4,
        atol=1e-5,
    )


def _wrong_rank_or_channels(c):
    return [
        (torch.randn(2, c, 5), "for a 3-d input"),
        (torch.randn(2, c + 1, 3, 3), f"for {c + 1} channels when built for {c}"),
    ]


def _expect_bad_inputs(student, cls, c, cases):
    """A layer `cls(c)` in training raises ValueError on every (input, why) of `cases`."""
    spec = {"cls": cls, "args": [c]}
    for x, why in cases:
        expect_raises(cls, lambda: student.probe("norm_forward", spec, x, True), ValueError, why)


@task("BatchNorm")
@visible
def test_batchnorm_bad_input(student, rng):
    """raises ValueError for a non-4-d input, the wrong channel count, 1 value per channel"""
    c = _int(rng, 2, 4)
    one_value = (torch.randn(1, c, 1, 1), "for one value per channel in training")
    _expect_bad_inputs(student, "BatchNorm", c, _wrong_rank_or_channels(c) + [one_value])


# Speed: one training forward + backward of a fresh layer on (32, 64, 7, 7) (a late layer of the
# course's CNN), student vs reference in the same run. Measured here (torch 2.13 CPU, 1 thread,
# other processes loading the 2 cores): reference vs itself 0.89-1.15x in 15 runs; a Python loop over the
# 64 channels (tests/mutants bn_channel_loop) 8.2x; computing the variance as
# ((x - m) ** 2).mean() instead of x.var ~1.3x (fine). A 3x limit sits between them.
BN_SPEED_LIMIT = 3.0
# float32, 32*7*7 = 1568 values per channel: the gradient's rounding error is ~1e-6 relative
SPEED_TOL = dict(rtol=1e-3, atol=1e-4)


@task("BatchNorm")
@points(2)
def test_batchnorm_speed(student, reference, rng, expect):
    """forward + backward within 3x the reference's time (same run)"""
    spec = {"cls": "BatchNorm", "args": [64]}

    def draw(g):
        return spec, torch.randn(32, 64, 7, 7, generator=g), torch.randn(32, 64, 7, 7, generator=g)

    def check(got, spec, x, g):
        xx = x.detach().requires_grad_()
        F.batch_norm(xx, None, None, training=True, eps=1e-5).backward(g)
        expect.close(got, xx.grad, what="x.grad", against="nn.BatchNorm2d", **SPEED_TOL)

    speed.expect_faster(
        expect,
        student,
        reference,
        probes.norm_fwd_bwd,
        draw=draw,
        check=check,
        rng=rng,
        max_ratio=BN_SPEED_LIMIT,
    )


# ---- LayerNorm, InstanceNorm, GroupNorm ----------------------------------------------------


@task("LayerNorm")
@points(2)
@pytest.mark.parametrize("rank", [2, 3, 4])
def test_layernorm(student, rng, rank):
    """equals F.layer_norm(x, x.shape[1:]) * mult + add; gradients of x, mult, add"""
    eps = 10 ** -_int(rng, 3, 6)
    shape = [_int(rng, 2, 5)] + [_int(rng, 2, 6) for _ in range(rank - 1)]
    steps = []
    for train in (True, False):
        x = torch.randn(*shape, generator=rng, dtype=F64) * _uniform(rng, 0.5, 3) + 1
        steps.append({"x": x, "g": torch.randn(x.shape, generator=rng, dtype=F64), "train": train})
    params = {
        "mult": torch.tensor(_uniform(rng, 0.5, 2), dtype=F64),
        "add": torch.tensor(_uniform(rng, -1, 1), dtype=F64),
    }
    got = student.probe("norm_steps", {"cls": "LayerNorm", "kw": {"eps": eps}}, steps, params)
    want = _run_fn(
        lambda x, mult, add: F.layer_norm(x, x.shape[1:], eps=eps) * mult + add,
        steps,
        params,
        "F.layer_norm",
    )
    _compare("LayerNorm", got, want, params, "step")


@task("LayerNorm")
def test_layernorm_layout(student, rng):
    """scalar (0-dim) parameters mult and add, no buffers; ValueError for a 1-d input"""
    r = student.probe("norm_layout", {"cls": "LayerNorm"}, torch.randn(3, 2, 4, 4))
    _check(
        "LayerNorm",
        r["params"] == {"mult": [], "add": []},
        "parameters should be 0-dim mult and add",
        f"got {r['params']}",
    )
    expect_raises(
        "LayerNorm",
        lambda: student.probe("norm_forward", {"cls": "LayerNorm"}, torch.randn(5), True),
        ValueError,
        "for a 1-d input",
    )


@task("InstanceNorm")
@points(2)
def test_instancenorm(student, rng):
    """equals F.instance_norm with weight=mults, bias=adds, train and eval; gradients"""
    c, eps = _int(rng, 1, 5), 10 ** -_int(rng, 4, 6)
    steps = _steps(rng, c, [True, False, True], hw=(_int(rng, 2, 5), _int(rng, 2, 5)))
    steps[-1]["x"] = steps[-1]["x"] * 0.05  # small variances: eps matters
    params = _params(rng, c)
    got = student.probe(
        "norm_steps", {"cls": "InstanceNorm", "args": [c], "kw": {"eps": eps}}, steps, params
    )
    want = _run_fn(
        lambda x, mults, adds: F.instance_norm(
            x, weight=mults.flatten(), bias=adds.flatten(), eps=eps
        ),
        steps,
        params,
        "F.instance_norm",
    )
    _compare("InstanceNorm", got, want, params, "step")


@task("InstanceNorm")
def test_instancenorm_default_eps(student, rng):
    """default eps is 1e-5 (not the course's 1e0)"""
    c = _int(rng, 1, 4)
    x = _images(rng, 2, c, 4, 4) * 0.1
    got = student.probe("norm_forward", {"cls": "InstanceNorm", "args": [c]}, x, True)
    expect_close(
        "InstanceNorm",
        got,
        F.instance_norm(x, eps=1e-5),
        against="F.instance_norm(eps=1e-5)",
        **TOL,
    )


@task("InstanceNorm")
@visible
def test_instancenorm_bad_input(student, rng):
    """raises ValueError for a non-4-d input or the wrong channel count"""
    c = _int(rng, 2, 4)
    _expect_bad_inputs(student, "InstanceNorm", c, _wrong_rank_or_channels(c))


@task("GroupNorm")
@points(2)
@pytest.mark.parametrize("which", ["one group", "some groups", "one channel per group"])
def test_groupnorm(student, rng, which):
    """equals nn.GroupNorm (weight=mults, bias=adds); gradients of x, mults, adds"""
    g = _int(rng, 2, 3)
    c = {
        "one group": _int(rng, 2, 6),
        "some groups": g * _int(rng, 2, 3),
        "one channel per group": _int(rng, 2, 6),
    }[which]
    groups = {"one group": 1, "some groups": g, "one channel per group": c}[which]
    eps = 10 ** -_int(rng, 3, 6)
    steps = _steps(rng, c, [True, False])
    params = _params(rng, c)
    spec = {"cls": "GroupNorm", "args": [groups, c], "kw": {"eps": eps}}
    got = student.probe("norm_steps", spec, steps, params)
    want = _run_torch(nn.GroupNorm(groups, c, eps=eps), steps, params, BN_TORCH)
    _compare("GroupNorm", got, want, params, "step")


@task("GroupNorm")
@visible
def test_groupnorm_bad_arguments(student, rng):
    """raises ValueError when nf is not divisible by num_groups, or for the wrong channels"""
    g = _int(rng, 2, 4)
    bad = {"cls": "GroupNorm", "args": [g, g * 2 + 1]}
    expect_raises(
        "GroupNorm",
        lambda: student.probe("norm_forward", bad, torch.randn(2, g * 2 + 1, 3, 3), True),
        ValueError,
        f"for {g * 2 + 1} channels in {g} groups",
    )
    spec = {"cls": "GroupNorm", "args": [g, g * 2]}
    expect_raises(
        "GroupNorm",
        lambda: student.probe("norm_forward", spec, torch.randn(2, g * 3, 3, 3), True),
        ValueError,
        "for the wrong number of channels",
    )


# ---- RunningBatchNorm ----------------------------------------------------------------------


def _rbn_case(rng, modes, sizes=None, hw=None):
    c = _int(rng, 1, 4)
    return c, _steps(rng, c, modes, sizes, hw), _params(rng, c)


@task("RunningBatchNorm")
@points(3)
def test_rbn_training(student, rng):
    """training outputs and gradients follow the float64 recurrence (batch sizes 1 to 16)"""
    sizes = [_int(rng, 1, 3), _int(rng, 1, 3), _int(rng, 4, 16), _int(rng, 1, 3), 1, 2]
    c, steps, params = _rbn_case(rng, [True] * len(sizes), sizes)
    got = student.probe("norm_steps", {"cls": "RunningBatchNorm", "args": [c]}, steps, params)
    _compare("RunningBatchNorm", got, _rbn_expected(steps, c, params), params, "training step")


@task("RunningBatchNorm")
@points(2)
def test_rbn_buffers(student, rng):
    """sums, sqrs, count, batch, step, dbias buffers follow the recurrence"""
    sizes = [_int(rng, 1, 8) for _ in range(5)]
    c, steps, params = _rbn_case(rng, [True] * len(sizes), sizes)
    mom = round(_uniform(rng, 0.05, 0.3), 3)
    spec = {"cls": "RunningBatchNorm", "args": [c], "kw": {"mom": mom}}
    got = student.probe("norm_steps", spec, steps, params)
    want = _rbn_expected(steps, c, params, mom=mom)
    for k, (g, w) in enumerate(zip(got, want)):
        for name, value in w["buffers"].items():
            if name not in g["buffers"]:
                fail(
                    "values",
                    "RunningBatchNorm",
                    f"no buffer named {name!r}",
                    f"buffers: {sorted(g['buffers'])}",
                )
            expect_close(
                "RunningBatchNorm",
                g["buffers"][name].reshape(value.shape),
                value,
                what=f"buffer {name} after step {k}",
                against=w["against"],
                **TOL,
            )


@task("RunningBatchNorm")
@points(2)
@visible
def test_rbn_batch_size_one_and_two(student, rng):
    """finite and right from the first step at batch sizes 1 and 2"""
    sizes = [1, 1, 2, 1, 2, 2]
    c, steps, params = _rbn_case(rng, [True] * len(sizes), sizes, hw=(1, _int(rng, 1, 3)))
    got = student.probe("norm_steps", {"cls": "RunningBatchNorm", "args": [c]}, steps, params)
    for k, g in enumerate(got):
        if not torch.isfinite(g["out"]).all():
            fail(
                "values",
                "RunningBatchNorm",
                f"inf or nan in the output at batch size " f"{sizes[k]} (step {k})",
            )
    _compare("RunningBatchNorm", got, _rbn_expected(steps, c, params), params, "step")


@task("RunningBatchNorm")
@points(2)
def test_rbn_variance_clamp(student, rng):
    """variance clamped to >= 0.01 while fewer than 20 samples were seen"""
    c = _int(rng, 1, 3)
    steps = []
    for n in (2, 2, 4, 8, 8):  # 24 samples: the clamp ends at the last step
        x = 1 + 0.01 * torch.randn(n, c, 3, 3, generator=rng, dtype=F64)  # variance ~1e-4
        steps.append({"x": x, "g": torch.randn(x.shape, generator=rng, dtype=F64), "train": True})
    params = _params(rng, c)
    got = student.probe("norm_steps", {"cls": "RunningBatchNorm", "args": [c]}, steps, params)
    _compare("RunningBatchNorm", got, _rbn_expected(steps, c, params), params, "step")


@task("RunningBatchNorm")
@points(2)
def test_rbn_eval_uses_running_stats(student, rng):
    """eval: running statistics with the current mults/adds; nothing updated"""
    modes = [True] * _int(rng, 3, 5) + [False, False]
    c, steps, params = _rbn_case(rng, modes)
    n_train = modes.count(True)
    steps[n_train]["set"] = _params(rng, c)  # as an optimizer step would, after training
    got = student.probe("norm_steps", {"cls": "RunningBatchNorm", "args": [c]}, steps, params)
    want = _rbn_expected(steps, c, params)
    _compare("RunningBatchNorm", got[n_train:], want[n_train:], params, "eval step", buffers=True)


@task("RunningBatchNorm")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_rbn_on_device(student, rng, device):
    """on the GPU: outputs, gradients and buffers stay there and follow the recurrence"""
    c, steps, params = _rbn_case(rng, [True, True, True, False], [1, 2, 8, 4])
    want = _on(device, _rbn_expected(steps, c, params))
    spec = {"cls": "RunningBatchNorm", "args": [c]}
    got = student.probe("norm_steps", spec, _on(device, steps), params)
    _compare("RunningBatchNorm", got, want, params, "step", buffers=True)


@task("RunningBatchNorm")
def test_rbn_eval_before_training(student, rng):
    """eval before any training step: mean 0, var 1"""
    c, steps, params = _rbn_case(rng, [False])
    got = student.probe("norm_steps", {"cls": "RunningBatchNorm", "args": [c]}, steps, params)
    _compare("RunningBatchNorm", got, _rbn_expected(steps, c, params), params, "eval step")


@task("RunningBatchNorm")
@points(2)
def test_rbn_buffers_registered(student, rng):
    """buffers in state_dict, moved by .double() and .to(), restored by load_state_dict"""
    c = _int(rng, 1, 4)
    spec = {"cls": "RunningBatchNorm", "args": [c]}
    r = student.probe("norm_layout", spec, _images(rng, 2, c, 3, 3, torch.float32))
    want = {"sums", "sqrs", "count", "batch", "step", "dbias"}
    _check(
        "RunningBatchNorm",
        want <= set(r["state_dict"]),
        "sums, sqrs, count, batch, step, dbias should be registered buffers",
        f"state_dict keys: {r['state_dict']}",
    )
    _check(
        "RunningBatchNorm",
        r["params"] == {"mults": [c, 1, 1], "adds": [c, 1, 1]},
        "parameters should be mults and adds of shape (C, 1, 1)",
        f"got {r['params']}",
    )
    for how in ("double_dtypes", "to_dtypes"):
        bad = {k: v for k, v in r[how].items() if v != "torch.float64"}
        _check(
            "RunningBatchNorm",
            not bad,
            "every parameter and buffer should follow " ".double() / .to()",
            f"not converted: {bad}",
        )
    expect_close(
        "RunningBatchNorm",
        r["eval_loaded"],
        r["eval_trained"],
        what="eval output after load_state_dict",
        against="the trained layer's",
        **TOL,
    )


@task("RunningBatchNorm")
@visible
def test_rbn_bad_input(student, rng):
    """raises ValueError for a non-4-d input or the wrong channel count"""
    c = _int(rng, 2, 4)
    _expect_bad_inputs(student, "RunningBatchNorm", c, _wrong_rank_or_channels(c))


# ---- the lesson rule -----------------------------------------------------------------------
# Each layer computes its statistics itself: no torch normalisation function, checked in the
# source of every method (AST; nn.LayerNorm / nn.GroupNorm are not listed there because they
# share the student's class names, but they run F.layer_norm / F.group_norm, which the run-time
# trace sees) and at run time.
TORCH_NORMS = frozenset(
    "batch_norm layer_norm instance_norm group_norm native_batch_norm native_layer_norm "
    "native_group_norm batch_norm_elemt batch_norm_stats _batch_norm_impl_index "
    "BatchNorm1d BatchNorm2d BatchNorm3d InstanceNorm1d InstanceNorm2d InstanceNorm3d".split()
)
RULE_SPECS = {
    "BatchNorm": lambda c: {"cls": "BatchNorm", "args": [c]},
    "LayerNorm": lambda c: {"cls": "LayerNorm"},
    "InstanceNorm": lambda c: {"cls": "InstanceNorm", "args": [c]},
    "GroupNorm": lambda c: {"cls": "GroupNorm", "args": [1, c]},
    "RunningBatchNorm": lambda c: {"cls": "RunningBatchNorm", "args": [c]},
}


@task_from("cls")
@pytest.mark.parametrize("cls", list(RULE_SPECS))
def test_no_torch_normalisation(student, rng, cls):
    """computes its own statistics: no torch normalisation function (source and run time)"""
    c = _int(rng, 1, 3)
    steps = _steps(rng, c, [True, False])
    params = {"mult": torch.tensor(1.0, dtype=F64), "add": torch.tensor(0.0, dtype=F64)}
    params = params if cls == "LayerNorm" else _params(rng, c)
    _, used = student.traced_probe("norm_steps", RULE_SPECS[cls](c), steps, params)
    for method in ("__init__", "forward", "update_stats"):
        if rules.function_node(student.source, f"{cls}.{method}") is not None:
            rules.forbid(cls, student.source, f"{cls}.{method}", TORCH_NORMS)
    rules.forbid_traced(cls, used, TORCH_NORMS)
