"""RunningBatchNorm(nf, mom, eps) in training follows the recurrence of its docstring
(_expected.rbn_steps, float64): debiased running sums, squares and counts with a momentum that
grows with the batch size, the variance clamped to >= 0 always and to >= RBN_MIN_VAR (0.01)
while fewer than RBN_WARMUP (20) images were seen.

Inputs: C in 2..4 channels (per-channel means and scales), batches of 2..16 images with one
random output gradient each, mults in 0.5..2, adds ~ N(0, 1); batch sizes 1 and 2 from the first
step (where the course's momentum 1 - (1 - mom) / sqrt(N - 1) divides by zero) in a test of their
own; batches of near-constant images (variance ~1e-4) before and after the 20th sample, with an
eval step in each phase, so the 0.01 clamp acts (in eval too) and then stops.
Tolerance: _expected.TOL (float64).

One bug, one test: batch size 1 is graded only by test_batch_size_one_and_two (the recurrence and
the buffers use batches of 2 or more), and the gradients of an eval step only by
test_running_batchnorm_eval::test_eval_gradients (test_variance_clamp compares the outputs of its
eval steps). The course's code crashes at batch size 1 and its eval steps cannot backward
(tests/course_check/lesson6_batchnorm.md): each of those bugs used to fail other tests too.

Large means in float32: C in 4..6 channels of mean +-10^3..10^4 and standard deviation
10^-3..10^-2, 8 training steps after the warm-up (20 images), then 2 eval steps. q / c - mean^2
is then the difference of two numbers ~10^6..10^8 whose float32 rounding (~0.06..8) swamps the
true variance (<= 1e-4): without the clamp at 0 it comes out below -eps in ~38 % of the
channel-steps (measured on 300 draws: no draw escaped with C * 8 >= 32 channel-steps; with the
old C = 2, 4 steps, 2 % did), and sqrt(var + eps) is nan. Expected: every output and gradient
finite (their values are rounding noise here; the float64 tests grade the values).
"""

import torch

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import F64, compare, rbn_steps
from autograder.grading import points, task, visible
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec

AGAINST = "the RunningBatchNorm recurrence (float64)"


def _case(rng, sizes, hw=None):
    c = draw.channels(rng, 4)
    return c, draw.steps(rng, c, [True] * len(sizes), sizes, hw), draw.params(rng, c)


@task("RunningBatchNorm")
@points(3)
def test_training(student, rng, expect):
    """training outputs and gradients follow the float64 recurrence (batch sizes 2 to 16)"""
    sizes = [draw.integer(rng, 2, 3), draw.integer(rng, 2, 3), draw.integer(rng, 4, 16)]
    c, steps, params = _case(rng, sizes + [draw.integer(rng, 2, 3), 2, 2])
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    compare(expect, got, rbn_steps(steps, params), AGAINST, where="training step")


@task("RunningBatchNorm")
@points(2)
def test_buffers(student, rng, expect):
    """sums, sqrs, count, batch, step, dbias buffers follow the recurrence"""
    c, steps, params = _case(rng, [draw.integer(rng, 2, 8) for _ in range(5)])
    mom = round(draw.uniform(rng, 0.05, 0.3), 3)
    spec = LayerSpec("RunningBatchNorm", (c,), {"mom": mom})
    got = student.probe(probes.norm_steps, spec, steps, params)
    want = rbn_steps(steps, params, mom=mom)
    compare(expect, got, want, AGAINST, outputs=False, grads=False, buffers=True)


@task("RunningBatchNorm")
@points(2)
@visible
def test_batch_size_one_and_two(student, rng, expect):
    """finite and right from the first step at batch sizes 1 and 2"""
    sizes = [1, 1, 2, 1, 2, 2]
    c, steps, params = _case(rng, sizes, hw=(1, draw.integer(rng, 1, 3)))
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    for k, (g, n) in enumerate(zip(got, sizes)):
        expect.that(
            torch.isfinite(g.out).all(), f"inf or nan in the output at batch size {n} (step {k})"
        )
    compare(expect, got, rbn_steps(steps, params), AGAINST)


@task("RunningBatchNorm")
@points(2)
def test_variance_clamp(student, rng, expect):
    """variance clamped to >= 0.01 while fewer than 20 samples were seen, in train and eval"""
    c = draw.channels(rng, 3)
    steps = []
    # images seen: 2, 4, 8 (eval: still clamped), 16, 24 (clamp over), eval
    for n, train in ((2, True), (2, True), (4, True), (3, False), (8, True), (8, True), (3, False)):
        x = 1 + 0.01 * torch.randn(n, c, 3, 3, generator=rng, dtype=F64)  # variance ~1e-4
        steps.append(draw.step(rng, x, train))
    params = draw.params(rng, c)
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    want = rbn_steps(steps, params)
    expect.equal(len(got), len(want), what="the steps the probe ran")
    for k, (g, w, step) in enumerate(zip(got, want, steps)):
        # an eval step's gradients are test_eval_gradients' (see the module docstring)
        compare(expect, [g], [w], AGAINST, first=k, grads=step.train)


@task("RunningBatchNorm")
@points(2)
def test_large_mean_float32(student, rng, expect):
    """float32 with a large mean and tiny variance: outputs and gradients stay finite"""
    c = draw.integer(rng, 4, 6)  # C * 8 channel-steps after the warm-up: see the docstring
    sign = torch.randint(0, 2, (1, c, 1, 1), generator=rng) * 2 - 1
    mean = sign * 10 ** torch.empty(1, c, 1, 1).uniform_(3, 4, generator=rng)
    std = 10 ** torch.empty(1, c, 1, 1).uniform_(-3, -2, generator=rng)
    sizes = [4, 8, 8] + [draw.integer(rng, 4, 8) for _ in range(8)] + [4, 4]  # 20 after step 2
    modes = [True] * 11 + [False] * 2
    x = [mean + std * torch.randn(n, c, 3, 3, generator=rng) for n in sizes]
    steps = [draw.step(rng, xk, train) for xk, train in zip(x, modes)]
    params = {k: v.float() for k, v in draw.params(rng, c).items()}
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    for k, g in enumerate(got):
        at = f"step {k}, {'training' if modes[k] else 'eval'}"
        expect.that(
            torch.isfinite(g.out).all(),
            f"inf or nan in the float32 output ({at}): is the variance clamped at 0?",
        )
        expect.that(
            g.backward_raised is None,
            f"backward raised {g.backward_raised} ({at})",
            category="gradient",
        )
        for name, grad in [("x", g.grad_x)] + list(g.grads.items()):
            finite = grad is not None and bool(torch.isfinite(grad).all())
            expect.that(finite, f"inf or nan in {name}.grad in float32 ({at})", category="gradient")
