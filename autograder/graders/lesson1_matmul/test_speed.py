"""Speed: each version within MAX_RATIO of the reference version's CPU time, same inputs.

How it is measured (autograder/speed.py): fresh inputs for every repetition, staged in both
sandboxes, CPU time of the whole box read from the kernel (unpacking the inputs included),
batches alternated between the student and the reference, a sample of the timed outputs checked
here against `a @ b`. Staging costs a few microseconds per input set on both sides, so each
version gets a shape where one call costs >= ~0.25 ms and the ratio is the algorithm's:

    version             shape (n, k, m)   one call (reference)   why this shape
    matmul_loops        (3, 40, 4)        ~16 ms                 480 Python multiply-adds
    matmul_elementwise  (5, 784, 10)      ~1.6 ms                the course's shape
    matmul_broadcast    (8, 784, 32)      ~0.34 ms               32 columns per row op
    matmul_einsum       (256, 64, 256)    ~0.32 ms               one contraction, no loop
    matmul_torch        (256, 64, 256)    ~0.26 ms               one BLAS call

The limit, MEASURED_RATIOS below: the reference against itself never comes near it, the slow
wrong answers in the mutant bank are many times over it. A ratio within 2x of the limit is
measured again (twice) before it fails.
"""

import pytest
import torch

from autograder import speed
from autograder.grading import points, task_from
from autograder.graders.lesson1_matmul._draw import TOL, pair
from courselib.lesson1_matmul import VERSIONS

SHAPES = {
    "matmul_loops": (3, 40, 4),
    "matmul_elementwise": (5, 784, 10),
    "matmul_broadcast": (8, 784, 32),
    "matmul_einsum": (256, 64, 256),
    "matmul_torch": (256, 64, 256),
}
MAX_RATIO = 4.0
# Measured on the 2-core development machine (torch 2.13 CPU), ratio of student to reference
# CPU time from speed.measure, FILLED IN BELOW.
MEASURED_RATIOS = """
"""


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
@points(2)
def test_speed(student, reference, rng, expect, fn):
    """is within the time limit of the reference version (same inputs, CPU time)"""
    n, k, m = SHAPES[fn]
    student.call(fn, *pair(rng, 2, 3, 2))  # unfinished or broken: said now, not as a time
    speed.expect_faster(
        expect,
        student,
        reference,
        fn,
        draw=lambda g: pair(g, n, k, m),
        check=lambda got, a, b: expect.close(got, a @ b, against="a @ b", **TOL[torch.float32]),
        rng=rng,
        max_ratio=MAX_RATIO,
    )
