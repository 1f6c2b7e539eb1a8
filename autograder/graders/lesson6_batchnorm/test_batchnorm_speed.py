"""BatchNorm is not many times slower than the reference: one training forward + backward of a
fresh BatchNorm(64) on x (32, 64, 7, 7) (a late layer of the course's CNN) with a random output
gradient g, float32, probe `norm_fwd_bwd`; the engine times batches of these calls in both
sandboxes (speed.py) and checks sampled outputs (x.grad) here against F.batch_norm's gradient.

Limit MEASURED_LATER.
Tolerance of the sampled x.grad: float32 over 32*7*7 = 1568 values per channel, the rounding of
the mean, variance and the gradient's two reductions is ~1e-6 relative: rtol 1e-3, atol 1e-4.
"""

import torch
import torch.nn.functional as F

from autograder import speed
from autograder.grading import points, task
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec

SHAPE = (32, 64, 7, 7)
LIMIT = 3.0
GRAD_TOL = dict(rtol=1e-3, atol=1e-4)


@task("BatchNorm")
@points(2)
def test_speed(student, reference, rng, expect):
    """forward + backward within 3x the reference's time (same run)"""
    spec = LayerSpec("BatchNorm", (SHAPE[1],))

    def draw(g):
        return spec, torch.randn(*SHAPE, generator=g), torch.randn(*SHAPE, generator=g)

    def check(got, spec, x, g):
        xx = x.detach().requires_grad_()
        F.batch_norm(xx, None, None, training=True, eps=1e-5).backward(g)
        expect.close(got, xx.grad, what="x.grad", against="F.batch_norm's", **GRAD_TOL)

    speed.expect_faster(
        expect,
        student,
        reference,
        probes.norm_fwd_bwd,
        draw=draw,
        check=check,
        rng=rng,
        max_ratio=LIMIT,
    )
