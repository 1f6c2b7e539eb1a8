"""The game rule of lesson 1, and what makes each version the version it claims to be.

- matmul_loops, matmul_elementwise, matmul_broadcast build the product from indexing and
  elementwise ops: no @, matmul, mm, bmm, einsum, dot, tensordot (or any of rules.MATMULS).
  Checked twice: in the source (the function and every module-level helper it calls) and at run
  time (the torch functions the call actually ran, which no spelling can hide).
- matmul_elementwise loops over i and j only (1 or 2 loops: `product(range(n), range(m))` is one),
  matmul_broadcast over the rows only (exactly 1); for, while and comprehension loops are counted
  in the function and the helpers it calls (LOOPS in courselib.lesson1_matmul).
- matmul_einsum computes the product with torch.einsum (seen at run time).
Each test first calls the version on a small product, so an unfinished version reports
"unfinished" and a module that does not import reports that, before any rule is read.
"""

import pytest
import torch

from autograder import rules
from autograder.grading import points, task, task_from
from autograder.graders.lesson1_matmul._draw import TOL, pair
from courselib.lesson1_matmul import LOOPS, NO_MATMUL

F32 = TOL[torch.float32]


@task_from("fn")
@pytest.mark.parametrize("fn", NO_MATMUL)
@points(2)
def test_no_matmul_calls(student, rng, expect, fn):
    """uses no @, matmul, mm, einsum, dot, bmm or tensordot (source and run time)"""
    a, b = pair(rng, 3, 4, 2)
    got, used = student.traced(fn, a, b)
    expect.close(got, a @ b, against="a @ b", **F32)
    rules.forbid_traced(expect.task, used, rules.MATMULS)
    rules.forbid(expect.task, student.source, fn, rules.MATMULS)


@task_from("fn")
@pytest.mark.parametrize("fn", list(LOOPS))
def test_loop_count(student, rng, expect, fn):
    """loops only where the version says: i and j (elementwise), the rows of a (broadcast)"""
    student.call(fn, *pair(rng, 2, 3, 2))  # implemented (and importable) first
    rules.expect_defined(expect.task, student.source, fn)
    found, (lo, hi) = rules.loop_count(student.source, fn), LOOPS[fn]
    allowed = f"{lo}" if lo == hi else f"{lo} to {hi}"
    expect.that(lo <= found <= hi, f"should have {allowed} loops, found {found}", category="rule")


@task("matmul_einsum")
def test_einsum_calls_einsum(student, rng, expect):
    """calls torch.einsum"""
    a, b = pair(rng, 3, 4, 2)
    got, used = student.traced("matmul_einsum", a, b)
    expect.that("einsum" in used, "should compute the product with torch.einsum", category="rule")
    expect.close(got, a @ b, against="a @ b", **F32)
