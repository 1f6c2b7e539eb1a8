"""InstanceNorm(nf, eps) = F.instance_norm(x, weight=mults, bias=adds, eps=eps): mean and
*biased* variance per sample and channel over (H, W); the same in training and eval.

Inputs: C in 2..5, H and W in 2..5, eps = 10^-(4..6), batches of 2..6 images with per-channel
means and scales (train, eval, train; the last scaled by 0.05 so that its variances, ~1e-3, are
small enough for eps to matter), mults in 0.5..2, adds ~ N(0, 1), random output gradients.
The default eps is 1e-5 (the course's 1e0 was a typo that flattens every image): a fresh layer
on inputs of standard deviation ~0.1 against F.instance_norm(eps=1e-5).
Tolerance: _expected.TOL (float64).
"""

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import TOL, compare, function_steps
from autograder.graders.lesson6_batchnorm._state import bad_inputs, expect_refused
from autograder.grading import points, task, visible
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec
import torch.nn.functional as F


def _instance_norm(eps):
    def fn(x, mults, adds):
        return F.instance_norm(x, weight=mults.flatten(), bias=adds.flatten(), eps=eps)

    return fn


@task("InstanceNorm")
@points(2)
def test_values(student, rng, expect):
    """equals F.instance_norm with weight=mults, bias=adds, train and eval; gradients"""
    c, eps = draw.channels(rng), draw.eps(rng, 4, 6)
    steps = draw.steps(
        rng, c, [True, False, True], hw=(draw.integer(rng, 2, 5), draw.integer(rng, 2, 5))
    )
    steps[-1] = draw.step(rng, steps[-1].x * 0.05, True)
    params = draw.params(rng, c)
    spec = LayerSpec("InstanceNorm", (c,), {"eps": eps})
    got = student.probe(probes.norm_steps, spec, steps, params)
    compare(expect, got, function_steps(_instance_norm(eps), steps, params), "F.instance_norm")


@task("InstanceNorm")
def test_default_eps(student, rng, expect):
    """default eps is 1e-5 (not the course's 1e0)"""
    c = draw.channels(rng, 4)
    x = draw.images(rng, 2, c, 4, 4) * 0.1
    got = student.probe(probes.norm_forward, LayerSpec("InstanceNorm", (c,)), x, True)
    expect.close(got, F.instance_norm(x, eps=1e-5), against="F.instance_norm(eps=1e-5)", **TOL)


@task("InstanceNorm")
@visible
def test_bad_input(student, rng, expect):
    """raises ValueError for a non-4-d input or the wrong channel count"""
    c = draw.channels(rng, 4)
    expect_refused(expect, student, LayerSpec("InstanceNorm", (c,)), bad_inputs(c))
