"""LayerNorm(eps) = F.layer_norm(x, x.shape[1:], eps=eps) * mult + add: mean and *biased*
variance per sample over every dim but the first, for inputs of rank 2, 3 and 4; one scalar
mult and add (0-dim parameters, as in the course); the same in training and eval.

Inputs: x of rank 2..4, N in 2..5, other dims 2..6, values ~ N(1, s^2) with s in 0.5..3 (a train
step and an eval step), eps = 10^-(3..6), mult in 0.5..2, add in -1..1, random output gradients.
Tolerance: _expected.TOL (float64).
"""

import pytest
import torch
import torch.nn.functional as F

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import F64, compare, function_steps
from autograder.grading import points, task
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec


@task("LayerNorm")
@points(2)
@pytest.mark.parametrize("rank", [2, 3, 4])
def test_values(student, rng, expect, rank):
    """equals F.layer_norm(x, x.shape[1:]) * mult + add; gradients of x, mult, add"""
    eps = draw.eps(rng)
    shape = [draw.integer(rng, 2, 5)] + [draw.integer(rng, 2, 6) for _ in range(rank - 1)]
    steps = []
    for train in (True, False):
        x = torch.randn(*shape, generator=rng, dtype=F64) * draw.uniform(rng, 0.5, 3) + 1
        steps.append(draw.step(rng, x, train))
    params = {
        "mult": torch.tensor(draw.uniform(rng, 0.5, 2), dtype=F64),
        "add": torch.tensor(draw.uniform(rng, -1, 1), dtype=F64),
    }
    got = student.probe(probes.norm_steps, LayerSpec("LayerNorm", (), {"eps": eps}), steps, params)
    want = function_steps(
        lambda x, mult, add: F.layer_norm(x, x.shape[1:], eps=eps) * mult + add, steps, params
    )
    compare(expect, got, want, "F.layer_norm")


@task("LayerNorm")
def test_layout(student, rng, expect):
    """scalar (0-dim) parameters mult and add, no buffers; ValueError for a 1-d input"""
    spec = LayerSpec("LayerNorm")
    r = student.probe(
        probes.norm_layout,
        spec,
        [torch.randn(3, 2, 4, 4, dtype=F64)],
        torch.randn(3, 2, 4, 4, dtype=F64),
    )
    expect.equal(r.params, {"mult": [], "add": []}, what="the parameters (name: shape)")
    expect.equal(r.buffers, {}, what="the buffers")
    one_d = torch.randn(draw.integer(rng, 2, 6))
    why = "for a 1-d input"
    expect.raises(lambda: student.probe(probes.norm_forward, spec, one_d, True), ValueError, why)
