"""Classification losses: nll, and the CrossEntropy module with its own backward.

nll(logp, targ) = -mean_i logp[i, targ[i]]: logp (n, c) log-probabilities, targ (n,) int64
class indices in [0, c).

Inputs: logp = torch.log_softmax of N(0, 1) logits, random n and c, and n = 1; targ uniform in
[0, c). Bad inputs: a class index >= c, n != len(targ).
Expected: F.nll_loss on the same tensors; ValueError for the bad inputs (an index >= c would
be an IndexError deep inside, or silently read another row's entry with logp[targ]).
Tolerance: float64 round-off (_grads.TOL).

CrossEntropy: forward nll(log_softmax(inp), targ) for logits inp (n, c) and class indices
targ (n,); its own bwd stores inp.g = (softmax(inp) - onehot(targ)) / n, the gradient of the
mean loss.

Inputs: logits ~ N(0, 1) and N(0, 1000^2) (where only a stable log_softmax stays finite),
random n and c, and n = 1; targ uniform in [0, c); on every device the grading machine has.
Expected: F.cross_entropy and its autograd gradient.
Tolerance: float64 round-off (_grads.TOL).
"""

import pytest
import torch
import torch.nn.functional as F

from autograder.grading import DEVICES, points, task, visible
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes


@task("nll")
@points(2)
def test_nll_values(student, rng, expect):
    """equals F.nll_loss (batch 1 included)"""
    for n, c in [
        (draw.integer(rng, 2, 40), draw.integer(rng, 2, 10)),
        (1, draw.integer(rng, 2, 10)),
    ]:
        logp = torch.log_softmax(draw.randn(rng, n, c), -1)
        targ = torch.randint(0, c, (n,), generator=rng)
        expect.close(
            student.nll(logp, targ), F.nll_loss(logp, targ), against="F.nll_loss", **grads.TOL
        )


@task("nll")
@visible
def test_nll_rejects_bad_targets(student, expect):
    """raises ValueError for a target outside [0, c) or mismatched shapes"""
    logp = torch.zeros(3, 4)
    bad = torch.tensor([0, 4, 1])
    expect.raises(lambda: student.nll(logp, bad), ValueError, "for a class index >= c")
    expect.raises(lambda: student.nll(logp, torch.tensor([0, 1])), ValueError, "for n != len(targ)")


@task("CrossEntropy")
@pytest.mark.parametrize("scale", [1.0, 1000.0], ids=["logits ~1", "logits ~1000"])
@pytest.mark.parametrize("device", DEVICES)
@points(2)
def test_cross_entropy_matches_autograd(student, rng, expect, scale, device):
    """the loss equals F.cross_entropy and inp.g autograd's ((softmax - onehot) / n)"""
    for n, c in [
        (draw.integer(rng, 2, 40), draw.integer(rng, 2, 10)),
        (1, draw.integer(rng, 2, 10)),
    ]:
        x = (draw.randn(rng, n, c) * scale).to(device)
        targ = torch.randint(0, c, (n,), generator=rng).to(device)
        loss, want = grads.cross_entropy_grad(x, targ)
        got = student.probe(probes.cross_entropy_g, x, targ)
        expect.close(got.loss, loss, what="the loss", against="F.cross_entropy", **grads.TOL)
        grads.expect_grad(expect, got.inp_g, want, "inp", **grads.TOL)
