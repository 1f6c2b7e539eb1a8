"""Values: every version of C = A @ B equals `a @ b`, and the Frobenius norm its formula.

Inputs: per test, a random shape (n, m in [2, 12], k in [2, 40]), a single row (1 x k) @ (k x m),
a single column (n x k) @ (k x 1), and (1 x 1) @ (1 x 1); float32 and float64, on every device
of the grading machine. Expected: `a @ b` in the judge, same shape, dtype and device as a.
Tolerance: see _draw.py (float32 1e-4, float64 1e-10).
"""

import pytest
import torch

from autograder.grading import DEVICES, points, task, task_from
from autograder.graders.lesson1_matmul._draw import DTYPES, TOL, pair, shapes, size
from courselib.lesson1_matmul import VERSIONS


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
@pytest.mark.parametrize(**DTYPES)
@pytest.mark.parametrize("device", DEVICES)
@points(2)
def test_equals_matmul(student, rng, expect, fn, dtype, device):
    """equals a @ b on a random shape, one row, one column and 1x1"""
    for label, (n, k, m) in shapes(rng).items():
        a, b = pair(rng, n, k, m, dtype, device)
        got = student.call(fn, a, b)
        expect.close(got, a @ b, what=f"the result ({label})", against="a @ b", **TOL[dtype])


@task("frobenius_norm")
@pytest.mark.parametrize(**DTYPES)
@points(2)
def test_frobenius_norm(student, rng, expect, dtype):
    """equals sqrt of the sum of squares, a 0-dim tensor of m's dtype"""
    m = torch.randn(size(rng, 1, 20), size(rng, 1, 20), generator=rng, dtype=dtype)
    got = student.frobenius_norm(m)
    expect.close(got, torch.linalg.matrix_norm(m), against="sqrt(sum(m ** 2))", **TOL[dtype])
