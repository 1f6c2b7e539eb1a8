"""lin_grad's weight gradient without the giant outer product.

dL/dw[i, j] = sum_b inp[b, i] * out.g[b, j]: the course first built every per-sample outer
product, an (n, m, k) tensor, and summed it over n (3.4 s for the 50,000 x 784 x 50 MNIST MLP);
the same sum is one matrix product (140 ms in the course). Graded as CPU time relative to the
reference on the same inputs (autograder/speed.py: a fresh input set per repetition, outputs
of random repetitions checked here).

Inputs: inp (n, m) ~ N(0, 1), w (m, k) / sqrt(m), b = 0, out.g (n, k) ~ N(0, 1) / n, float32,
SHAPE below, (n, m, k) = (256, 256, 256): one input set is 1 MiB, so a batch holds 32
repetitions; one product costs ~1 ms of CPU on one core, the outer product and sum ~40 ms.
Expected: within MAX_RATIO of the reference's time; the sampled w.g equal inp.T @ out.g.
Tolerance: float32 sums of n products of size ~1/n: rounding ~sqrt(n) * 2^-24 / sqrt(n) ~ 1e-7
absolute; rtol 1e-4 / atol 1e-5 leaves a wide margin and fails any wrong w.g (off by ~1e-2).
"""

import torch

from autograder.grading import points, task
from autograder import speed
from autograder.probes import lesson3_backward as probes

SHAPE = (256, 256, 256)
MAX_RATIO = 4.0
SPEED_TOL = dict(rtol=1e-4, atol=1e-5)


def _draw(g):
    n, m, k = SHAPE
    inp = torch.randn(n, m, generator=g)
    w, b = torch.randn(m, k, generator=g) / m**0.5, torch.zeros(k)
    return inp, inp @ w + b, torch.randn(n, k, generator=g) / n, w, b


@task("lin_grad")
@points(2)
def test_lin_grad_speed(student, reference, rng, expect):
    """w.g without the giant outer product: within 4x of the reference's time"""

    def check(got, inp, out, out_g, w, b):
        expect.close(got.w_g, inp.T @ out_g, what="w.g", against="inp.T @ out.g", **SPEED_TOL)

    # the first student call: a missing module reports the lesson-wide line, and a box that an
    # earlier test's crash closed starts here, not inside the first timed batch's wall limit
    student.probe(probes.lin_grad_g, *_draw(rng))
    speed.expect_faster(
        expect,
        student.with_timeout(30),
        reference,
        probes.lin_grad_g,
        draw=_draw,
        check=check,
        rng=rng,
        max_ratio=MAX_RATIO,
    )
