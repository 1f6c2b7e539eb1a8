"""BatchNorm(nf, mom, eps) gives nn.BatchNorm2d(nf, eps, momentum=mom)'s numbers.

Inputs: C in 2..5 channels, mom in 0.05..0.5, eps = 10^-(3..6), mults in 0.5..2 and adds ~ N(0,1)
per channel, 2..4 training steps (then 2 eval steps where eval is graded) on batches of 2..6
images of 1..5 x 2..5 pixels, channels with different means and scales, a random output
gradient per step.

Expected, in training: the batch's mean and *biased* variance over (N, H, W) normalise x, the
gradient flows through them; the buffers `means`/`vars` move towards the batch mean and the
*unbiased* batch variance with weight mom (torch's convention). In eval: the buffers normalise
x and nothing changes. Tolerance: _expected.TOL (float64); the float32 test: rtol 1e-4, atol 1e-5
(float32 rounding of a 16..80-value mean and variance, ~1e-6 relative, with a margin of 100).
"""

import pytest
import torch
from torch import nn

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import compare, torch_steps
from autograder.grading import DEVICES, points, task
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec


def _case(rng, modes):
    """(the student's layer, torch's, the steps, the parameters)."""
    c, mom, eps = draw.channels(rng), round(draw.uniform(rng, 0.05, 0.5), 3), draw.eps(rng)
    spec = LayerSpec("BatchNorm", (c,), {"mom": mom, "eps": eps})
    return (
        spec,
        nn.BatchNorm2d(c, eps=eps, momentum=mom),
        draw.steps(rng, c, modes),
        draw.params(rng, c),
    )


@task("BatchNorm")
@points(3)
def test_training(student, rng, expect):
    """training: outputs and gradients (x, mults, adds) equal nn.BatchNorm2d's"""
    spec, theirs, steps, params = _case(rng, [True] * draw.integer(rng, 2, 4))
    got = student.probe(probes.norm_steps, spec, steps, params)
    want = torch_steps(theirs, steps, params)
    compare(expect, got, want, "nn.BatchNorm2d", where="training step")


@task("BatchNorm")
@points(2)
def test_running_buffers(student, rng, expect):
    """buffers means/vars follow nn.BatchNorm2d's running_mean/var (momentum, unbiased var)"""
    spec, theirs, steps, params = _case(rng, [True] * draw.integer(rng, 3, 5))
    got = student.probe(probes.norm_steps, spec, steps, params)
    want = torch_steps(theirs, steps, params)
    compare(
        expect,
        got,
        want,
        "nn.BatchNorm2d's running statistics",
        outputs=False,
        grads=False,
        buffers=True,
    )


@task("BatchNorm")
@points(2)
def test_eval(student, rng, expect):
    """eval mode: normalises with the running statistics and updates nothing"""
    n_train = draw.integer(rng, 2, 3)
    spec, theirs, steps, params = _case(rng, [True] * n_train + [False] * 2)
    got = student.probe(probes.norm_steps, spec, steps, params)
    want = torch_steps(theirs, steps, params)
    tail = dict(where="eval step", first=n_train, buffers=True)
    compare(expect, got[n_train:], want[n_train:], "nn.BatchNorm2d", **tail)


@task("BatchNorm")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_on_device(student, rng, expect, device):
    """on the GPU: outputs, gradients and buffers stay there and match nn.BatchNorm2d"""
    spec, theirs, steps, params = _case(rng, [True, True, False])
    want = draw.on(device, torch_steps(theirs, steps, params))
    got = student.probe(probes.norm_steps, spec, draw.on(device, steps), params)
    compare(expect, got, want, "nn.BatchNorm2d", buffers=True)


@task("BatchNorm")
def test_float32(student, rng, expect):
    """keeps float32 and matches nn.BatchNorm2d in float32"""
    c = draw.channels(rng, 4)
    x = draw.images(rng, draw.integer(rng, 2, 5), c, 4, 4, torch.float32)
    got = student.probe(probes.norm_forward, LayerSpec("BatchNorm", (c,)), x, True)
    want = nn.BatchNorm2d(c)(x).detach()
    expect.close(got, want, against="nn.BatchNorm2d (float32)", rtol=1e-4, atol=1e-5)
