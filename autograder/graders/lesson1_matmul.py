"""Hidden graders for lesson 1: matmul, five ways.

Values are compared with `a @ b` computed here, in the judge, on shapes and values drawn from
the grading seed. Tolerances: the loop versions add k products in a different order from the
BLAS kernel; with entries ~N(0, 1) the rounding error of a k-term float32 sum is about
sqrt(k) * 2^-24 * |terms| ~ 1e-5 for k <= 100, so rtol 1e-4 / atol 1e-4 (float32) and
rtol 1e-10 / atol 1e-10 (float64, error ~ 1e-14) leave two orders of margin.
"""

import pytest
import torch

from autograder import rules, speed
from autograder.grading import DEVICES, points, task, task_from, visible
from courselib.checks import expect_close, expect_raises, fail

LESSON, MODULE = "lesson1_matmul", "matmul"

VERSIONS = [
    "matmul_loops",
    "matmul_elementwise",
    "matmul_broadcast",
    "matmul_einsum",
    "matmul_torch",
]
NO_MATMUL = ["matmul_loops", "matmul_elementwise", "matmul_broadcast"]
TOL = {torch.float32: dict(rtol=1e-4, atol=1e-4), torch.float64: dict(rtol=1e-10, atol=1e-10)}


def _size(rng, lo, hi):
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def _pair(rng, n, k, m, dtype=torch.float32, device="cpu"):
    a = torch.randn(n, k, generator=rng, dtype=dtype)
    b = torch.randn(k, m, generator=rng, dtype=dtype)
    return a.to(device), b.to(device)


def _shapes(rng):
    """A random shape, a single row, a single column, and 1x1 @ 1x1."""
    return {
        "random": (_size(rng, 2, 12), _size(rng, 2, 40), _size(rng, 2, 12)),
        "one row": (1, _size(rng, 2, 30), _size(rng, 2, 10)),
        "one column": (_size(rng, 2, 10), _size(rng, 2, 30), 1),
        "1x1": (1, 1, 1),
    }


# ---- values --------------------------------------------------------------------------------


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("device", DEVICES)
@points(2)
def test_equals_matmul(student, rng, fn, dtype, device):
    """equals a @ b on random shapes, one row and one column"""
    for label, (n, k, m) in _shapes(rng).items():
        a, b = _pair(rng, n, k, m, dtype, device)
        got = student.call(fn, a, b)
        expect_close(fn, got, a @ b, against="a @ b", what=f"the result ({label})", **TOL[dtype])


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
def test_inputs_not_mutated(student, rng, fn):
    """leaves its inputs unchanged"""
    a, b = _pair(rng, 4, 6, 3)
    # the sandbox gets copies, so ask the child to report its inputs after the call
    got = student.probe("call_and_return_inputs", fn, a, b)
    expect_close(fn, got[0], a @ b, against="a @ b", **TOL[torch.float32])
    expect_close(fn, got[1], a, what="a after the call", against="a before", rtol=0, atol=0)
    expect_close(fn, got[2], b, what="b after the call", against="b before", rtol=0, atol=0)


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
@visible
def test_mismatched_shapes_raise(student, rng, fn):
    """raises ValueError for mismatched inner dimensions or non-matrices"""
    n, k, m = _size(rng, 2, 6), _size(rng, 2, 6), _size(rng, 2, 6)
    a, b = torch.ones(n, k), torch.ones(k + _size(rng, 1, 3), m)
    expect_raises(fn, lambda: student.call(fn, a, b), ValueError, "for inner dims that differ")
    expect_raises(fn, lambda: student.call(fn, b.T, a.T), ValueError, "for inner dims that differ")
    vec = torch.ones(k)
    expect_raises(fn, lambda: student.call(fn, vec, b), ValueError, "for a 1-d input")


@task("frobenius_norm")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@points(2)
def test_frobenius_norm(student, rng, dtype):
    """equals sqrt of the sum of squares"""
    m = torch.randn(_size(rng, 1, 20), _size(rng, 1, 20), generator=rng, dtype=dtype)
    expected = m.pow(2).sum().sqrt()
    got = student.frobenius_norm(m)
    expect_close("frobenius_norm", got, expected, against="sqrt(sum(m**2))", **TOL[dtype])


# ---- rules ---------------------------------------------------------------------------------


@task_from("fn")
@pytest.mark.parametrize("fn", NO_MATMUL)
@points(2)
def test_no_matmul_calls(student, rng, fn):
    """uses no @, matmul, mm, einsum, dot, bmm or tensordot (source and run time)"""
    a, b = _pair(rng, 3, 4, 2)
    got, used = student.traced(fn, a, b)
    expect_close(fn, got, a @ b, against="a @ b", **TOL[torch.float32])
    rules.forbid_traced(fn, used, rules.MATMULS)
    rules.forbid(fn, student.source, fn, rules.MATMULS)


@task("matmul_broadcast")
def test_broadcast_has_one_loop(student):
    """has exactly one loop (over the rows of a)"""
    student.matmul_broadcast(torch.ones(2, 3), torch.ones(3, 2))  # implemented first
    rules.expect_defined("matmul_broadcast", student.source, "matmul_broadcast")
    loops = rules.loop_count(student.source, "matmul_broadcast")
    if loops != 1:
        fail("rule", "matmul_broadcast", f"should have exactly one loop, found {loops}")


@task("matmul_elementwise")
def test_elementwise_has_two_loops(student):
    """loops over i and j only: the inner product is one tensor op"""
    student.matmul_elementwise(torch.ones(2, 3), torch.ones(3, 2))  # implemented first
    rules.expect_defined("matmul_elementwise", student.source, "matmul_elementwise")
    loops = rules.loop_count(student.source, "matmul_elementwise")
    if loops > 2:
        fail("rule", "matmul_elementwise", f"should loop over i and j only, found {loops} loops")


@task("matmul_einsum")
def test_einsum_calls_einsum(student, rng):
    """calls torch.einsum"""
    a, b = _pair(rng, 3, 4, 2)
    got, used = student.traced("matmul_einsum", a, b)
    if "einsum" not in used:
        fail("rule", "matmul_einsum", "should compute the product with torch.einsum")
    expect_close("matmul_einsum", got, a @ b, against="a @ b", **TOL[torch.float32])


# ---- speed ---------------------------------------------------------------------------------
# Each version against the reference of the same version, on the course's (5 x 784) @ (784 x 10)
# (smaller for the loops version, whose Python loops run n*k*m times). Measured here (torch 2.13
# CPU, 2 cores, other jobs running), ratio of minima over 5 interleaved rounds, 3 repeats:
# reference vs itself 1.0-1.5x (loops: 0.8-2.1x, the noisiest); the wrong answers the limit is
# set against: a broadcast version that still loops over columns 7.4-7.5x, an elementwise
# version that keeps the k loop ~550x; chained indexing a[i][p] in the loops version (a style,
# not an error) 0.7-0.9x. A 4x limit, with a re-measure when within 2x of it, sits between.
SPEED = {
    "matmul_loops": ((3, 40, 4), 4.0),
    "matmul_elementwise": ((5, 784, 10), 4.0),
    "matmul_broadcast": ((5, 784, 10), 4.0),
    "matmul_einsum": ((5, 784, 10), 4.0),
    "matmul_torch": ((5, 784, 10), 4.0),
}


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
@points(2)
def test_speed(student, reference, rng, fn, expect):
    """is within the time limit of the reference version (same run)"""
    (n, k, m), limit = SPEED[fn]
    speed.expect_faster(
        expect,
        student,
        reference,
        fn,
        draw=lambda g: _pair(g, n, k, m),
        check=lambda got, a, b: expect.close(got, a @ b, against="a @ b", **TOL[torch.float32]),
        rng=rng,
        max_ratio=limit,
    )
