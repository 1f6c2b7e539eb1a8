"""RunningBatchNorm in eval mode, and how it keeps its state.

Eval (`.eval()`) normalises with the running statistics as they stand after the last training
step, with the *current* mults and adds (the course cached factor and offset at the last
training step, so eval after an optimizer step or load_state_dict used stale numbers), updates
nothing, and treats the statistics as constants: x.grad, mults.grad and adds.grad of an eval step
are those of an affine map. Before any training step it uses mean 0 and var 1.
Inputs: C in 2..4, 3..5 training steps on batches of 2..6 images, then new mults and adds (as an
optimizer step would set them) and 2 eval steps; random output gradients.
Expected: _expected.rbn_steps (float64), tolerance _expected.TOL.

Layout: mults, adds (C, 1, 1); sums, sqrs, count, batch, step, dbias registered buffers (_state).
"""

import pytest

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import compare, rbn_steps
from autograder.graders.lesson6_batchnorm._state import (
    bad_inputs,
    check_layout,
    expect_refused,
    layout,
)
from autograder.grading import DEVICES, points, task, visible
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec

AGAINST = "the RunningBatchNorm recurrence (float64)"


def _trained_then_eval(rng):
    """(C, steps: training then 2 eval steps with new parameters, params, training steps)."""
    n_train = draw.integer(rng, 3, 5)
    c = draw.channels(rng, 4)
    steps = draw.steps(rng, c, [True] * n_train + [False, False])
    new = draw.params(rng, c)
    steps[n_train] = draw.step(rng, steps[n_train].x, False, new)
    return c, steps, draw.params(rng, c), n_train


@task("RunningBatchNorm")
@points(2)
def test_eval_uses_running_stats(student, rng, expect):
    """eval: running statistics with the current mults/adds; nothing updated"""
    c, steps, params, n = _trained_then_eval(rng)
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    want = rbn_steps(steps, params)
    compare(
        expect, got[n:], want[n:], AGAINST, where="eval step", first=n, grads=False, buffers=True
    )


@task("RunningBatchNorm")
def test_eval_gradients(student, rng, expect):
    """eval: gradients of x, mults, adds with the running statistics held constant"""
    c, steps, params, n = _trained_then_eval(rng)
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    compare(expect, got[n:], rbn_steps(steps, params)[n:], AGAINST, where="eval step", first=n)


@task("RunningBatchNorm")
def test_eval_before_training(student, rng, expect):
    """eval before any training step: mean 0, var 1"""
    c = draw.channels(rng, 4)
    steps, params = draw.steps(rng, c, [False]), draw.params(rng, c)
    got = student.probe(probes.norm_steps, LayerSpec("RunningBatchNorm", (c,)), steps, params)
    compare(expect, got, rbn_steps(steps, params), AGAINST, where="eval step")


@task("RunningBatchNorm")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_on_device(student, rng, expect, device):
    """on the GPU: outputs, gradients and buffers stay there and follow the recurrence"""
    c = draw.channels(rng, 4)
    steps = draw.steps(rng, c, [True, True, True, False], [1, 2, 8, 4])
    params = draw.params(rng, c)
    want = draw.on(device, rbn_steps(steps, params))
    spec = LayerSpec("RunningBatchNorm", (c,))
    got = student.probe(probes.norm_steps, spec, draw.on(device, steps), params)
    compare(expect, got, want, AGAINST, buffers=True)


@task("RunningBatchNorm")
@points(2)
def test_buffers_registered(student, rng, expect):
    """buffers in state_dict, moved by .double() and .to(), restored by load_state_dict"""
    c = draw.channels(rng, 4)
    r = layout(student, rng, "RunningBatchNorm", c)
    shapes = {"sums": [1, c, 1, 1], "sqrs": [1, c, 1, 1]}
    check_layout(expect, r, "RunningBatchNorm", c, shapes)


@task("RunningBatchNorm")
@visible
def test_bad_input(student, rng, expect):
    """raises ValueError for a non-4-d input or the wrong channel count"""
    c = draw.channels(rng, 4)
    expect_refused(expect, student, LayerSpec("RunningBatchNorm", (c,)), bad_inputs(c))
