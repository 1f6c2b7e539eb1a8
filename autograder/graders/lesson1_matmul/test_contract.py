"""The contract every version keeps besides its values.

- Shapes that cannot be multiplied raise ValueError (never a bare assert, never silence): inner
  dimensions that differ (a: (n, k), b: (k + d, m) with d in [1, 3], and the same transposed),
  and a 1-d input. A loops version without the check returns wrong numbers for (2 x 3) @ (4 x 2)
  instead of failing, which is why the check is graded for every version.
- The inputs are left unchanged. The call that observes them is the same as any other call
  (`call_observing_inputs`): a module cannot behave only while it is watched. Exact equality:
  a read-only function changes no bit.
"""

import pytest
import torch

from autograder.grading import task_from, visible
from autograder.graders.lesson1_matmul._draw import pair, size
from courselib.lesson1_matmul import VERSIONS


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
@visible
def test_mismatched_shapes_raise(student, rng, expect, fn):
    """raises ValueError for mismatched inner dimensions or non-matrices"""
    n, k, m = size(rng, 2, 6), size(rng, 2, 6), size(rng, 2, 6)
    a, b = torch.ones(n, k), torch.ones(k + size(rng, 1, 3), m)
    expect.raises(lambda: student.call(fn, a, b), ValueError, "for inner dims that differ")
    expect.raises(lambda: student.call(fn, b.T, a.T), ValueError, "for inner dims that differ")
    expect.raises(lambda: student.call(fn, torch.ones(k), b), ValueError, "for a 1-d input")


@task_from("fn")
@pytest.mark.parametrize("fn", VERSIONS)
def test_inputs_not_mutated(student, rng, expect, fn):
    """leaves its inputs unchanged"""
    a, b = pair(rng, size(rng, 2, 8), size(rng, 2, 12), size(rng, 2, 8))
    _, (a_after, b_after) = student.call_observing_inputs(fn, a, b)  # the values: test_values
    for name, before, after in (("a", a, a_after), ("b", b, b_after)):
        shape = tuple(expect.tensor(after, f"{name} after the call").shape)
        expect.that(shape == before.shape, f"{name} changed shape in place", category="mutation")
        expect.close(
            after,
            before,
            what=f"{name} after the call",
            against=f"{name} before",
            rtol=0,
            atol=0,
            category="mutation",
        )
