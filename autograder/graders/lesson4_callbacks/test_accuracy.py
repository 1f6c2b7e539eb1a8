"""accuracy: the fraction of rows whose highest score is at the label.

Inputs drawn: out (n, c) float32 scores from randn (n in 3..40, c in 2..10: no ties), labels yb
(n,) right for about half the rows; for the errors, a yb of another length and a 1-D out.

Expected: a 0-dim floating-point tensor equal to mean(argmax == yb) computed here; its value is
k/n for whole k, exact in float32 up to rounding of k/n (< 1e-7 relative): rtol 1e-6. A
ValueError for the bad shapes.
"""

import torch

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import task


@task("accuracy")
def test_values(expect, student, rng):
    """accuracy = mean(argmax(out, 1) == yb) as a 0-dim float tensor"""
    n, c = _draw.integer(rng, 3, 40), _draw.integer(rng, 2, 10)
    out = torch.randn(n, c, generator=rng)
    yb = torch.randint(0, c, (n,), generator=rng)
    yb[: n // 2] = out[: n // 2].argmax(1)
    got = expect.tensor(student.accuracy(out, yb))
    expect.that(
        got.dtype.is_floating_point, "should return a floating-point tensor", category="dtype"
    )
    want = (out.argmax(1) == yb).to(got.dtype).mean()
    expect.close(got, want, against="mean(argmax(out, 1) == yb)", rtol=1e-6, atol=0)


@task("accuracy")
def test_bad_shapes(expect, student, rng):
    """accuracy raises ValueError for mismatched shapes"""
    n, c = _draw.integer(rng, 3, 9), _draw.integer(rng, 2, 5)
    out, yb = torch.randn(n, c, generator=rng), torch.randint(0, c, (n + 1,), generator=rng)
    expect.raises(lambda: student.accuracy(out, yb), ValueError, "for yb of another length")
    expect.raises(lambda: student.accuracy(out[:, 0], yb[:n]), ValueError, "for a 1-D out")
