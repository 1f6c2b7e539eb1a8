"""sched_lin, sched_cos, sched_no, sched_exp: f = sched(start, end), a function of pos in [0, 1].

Inputs drawn: start and end in [0.05, 2] (positive: sched_exp needs it), pos = 0, 1 and five
points in between; for sched_exp's error, a start or an end <= 0.

Expected: the reference's schedules evaluated here (trusted code in the judge; the formulas are
the docstrings'), as Python floats. Tolerance rtol 1e-10 + atol 1e-12: a rearranged formula
(1 - cos(π pos) for 1 + cos(π (1 - pos)), exp(pos·log(end/start)) for (end/start)^pos) differs
by a few float64 ulps of the values and of the cosine's argument; a wrong formula (reversed
phase, linear for geometric) differs by > 1e-2 at most interior points.
"""

import pytest
import torch

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import task, task_from
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import SCHEDULES

TOL = dict(rtol=1e-10, atol=1e-12)


@task_from("fn")
@pytest.mark.parametrize("fn", SCHEDULES)
def test_values(expect, student, reference_module, rng, fn):
    """values at pos 0, 1 and in between, as floats"""
    start, end = _draw.uniform(rng, 0.05, 2.0), _draw.uniform(rng, 0.05, 2.0)
    positions = [0.0, 1.0] + [_draw.uniform(rng, 0, 1) for _ in range(5)]
    got = student.probe(probes.sched_values, fn, start, end, positions)
    expect.that(
        all(type(v) is float for v in got),
        "should return a Python float for a float pos",
        f"got {[type(v).__name__ for v in got]}",
        category="type",
    )
    f = getattr(reference_module, fn)(start, end)
    want = torch.tensor([f(p) for p in positions], dtype=torch.float64)
    what = "the values at pos 0, 1 and in between"
    expect.close(
        torch.tensor(got, dtype=torch.float64), want, what=what, against="the formula", **TOL
    )


@task("sched_exp")
def test_sched_exp_needs_positive_ends(expect, student, rng):
    """sched_exp with start <= 0 or end <= 0 is a ValueError"""
    bad = -_draw.uniform(rng, 0, 1)
    for start, end in [(bad, 1.0), (1.0, bad), (0.0, 1.0)]:
        expect.raises(
            lambda: student.probe(probes.sched_values, "sched_exp", start, end, [0.5]),
            ValueError,
            "for start or end <= 0",
        )
