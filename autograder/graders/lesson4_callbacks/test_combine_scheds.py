"""combine_scheds: one schedule made of phases, phase i over the fraction pcts[i] of the run.

Inputs drawn: 2 or 3 pcts >= 0.09 summing to 1; pcts in tenths as a person writes them
([0.7, 0.2, 0.1] sums to 0.9999999999999999 in floats); each phase i the line a_i + b_i·t of
its own position t (built in the probe: no schedule formula is involved), continuous across
phases like a real one-cycle schedule (a_i+1 = a_i + b_i), |b_i| <= 1; pos = 0, 1, the phase
boundaries and points in between. For the boundary rule: pcts in eighths (exact in float32
too) with an empty phase in the middle and one at the end, and lines that jump at boundaries.

Expected: at pos, phase i = the last with pcts[i] > 0 and s_i <= pos (s_i = the sum of the
pcts before it), value a_i + b_i·(pos - s_i)/pcts[i], returned as a Python float; ValueError
for pcts not summing to 1 (within 1e-6), a negative pct, or fewer pcts than phases.
Tolerance: a student may legitimately hold the pcts in float32 (the course builds them with
torch.tensor): every s_i and pcts[i] is then off by up to ~3 float32 ulps (2^-24 each), so
t = (pos - s_i)/pcts[i] by up to 8·2^-24/min(pcts), the value by max|b| times that (measured
with the course-style variant tests/variants/lesson4_callbacks/combine_scheds_float32.py over
300 draws: at most 1.2 of these units); ATOL below is that bound plus 1e-12. A phase picked
wrongly or a wrong t is off by >= 0.05·|b|. At an exact boundary float32 may still pick the
phase before at t ~ 1: the same value for continuous phases. The eighths are exact in float32,
so there the boundary rule is checked to 1e-12.
"""

from itertools import product

import torch

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import points, task, visible
from autograder.probes import lesson4_callbacks as probes

F32_ULP = 2.0**-24


def _phase_value(pcts, lines, pos) -> float:
    starts = [sum(pcts[:i]) for i in range(len(pcts))]
    i = max(k for k in range(len(pcts)) if pcts[k] > 0 and starts[k] <= pos)
    a, b = lines[i]
    return a + b * min((pos - starts[i]) / pcts[i], 1.0)


def _continuous_lines(rng, n) -> list[tuple[float, float]]:
    lines, a = [], _draw.uniform(rng, 0.1, 1.0)
    for _ in range(n):
        b = _draw.uniform(rng, -1.0, 1.0)
        lines.append((a, b))
        a += b
    return lines


def _expect_values(expect, student, pcts, lines, positions, atol, what):
    got = student.probe(probes.combined, pcts, lines, positions)
    expect.that(
        all(type(v) is float for v in got),
        f"{what}: should return the phase's value as it is (a Python float)",
        f"got {[type(v).__name__ for v in got]}",
        category="type",
    )
    want = torch.tensor([_phase_value(pcts, lines, p) for p in positions], dtype=torch.float64)
    got = torch.tensor(got, dtype=torch.float64)
    expect.close(
        got,
        want,
        what=f"{what} at pos 0, 1, the boundaries and between",
        against="the phases' lines",
        rtol=0,
        atol=atol,
    )


def _expect_combined(expect, student, rng, pcts, what):
    lines = _continuous_lines(rng, len(pcts))
    boundaries = [sum(pcts[: i + 1]) for i in range(len(pcts) - 1)]
    positions = [0.0, 1.0] + boundaries + [_draw.uniform(rng, 0, 1) for _ in range(4)]
    atol = 8 * F32_ULP * max(abs(b) for _, b in lines) / min(pcts) + 1e-12
    _expect_values(expect, student, pcts, lines, positions, atol, what)


def _pcts(rng, n) -> list[float]:
    raw = torch.rand(n, generator=rng, dtype=torch.float64) + 0.25
    pcts = (raw / raw.sum()).tolist()
    return pcts[:-1] + [1.0 - sum(pcts[:-1])]


@task("combine_scheds")
@points(2)
def test_two_phases(expect, student, rng):
    """two phases, including pos = 0 and pos = 1"""
    _expect_combined(expect, student, rng, _pcts(rng, 2), "a 2-phase schedule")


@task("combine_scheds")
@points(2)
def test_three_phases(expect, student, rng):
    """three phases, including pos = 0 and pos = 1"""
    _expect_combined(expect, student, rng, _pcts(rng, 3), "a 3-phase schedule")


def _inexact_tenths() -> list[list[float]]:
    """Every split of 10 tenths into 3 or 4 phases whose float sum is not exactly 1."""
    splits = [[a, b, 10 - a - b] for a in range(1, 9) for b in range(1, 10 - a)]
    splits += [
        [a, b, c, 10 - a - b - c] for a, b, c in product(range(1, 8), repeat=3) if a + b + c < 10
    ]
    return [[k / 10 for k in split] for split in splits if sum(k / 10 for k in split) != 1.0]


@task("combine_scheds")
def test_pcts_in_tenths(expect, student, rng):
    """pcts like [0.7, 0.2, 0.1], whose float sum is not exactly 1, are accepted"""
    choices = _inexact_tenths()
    pcts = choices[_draw.integer(rng, 0, len(choices) - 1)]
    _expect_combined(expect, student, rng, pcts, f"combine_scheds({pcts}, ...)")


@task("combine_scheds")
def test_phase_boundaries(expect, student, rng):
    """at a boundary the next phase starts (t = 0); empty phases are skipped"""
    first = _draw.integer(rng, 1, 7)
    pcts = [first / 8, 0.0, (8 - first) / 8, 0.0]  # empty phases in the middle and at the end
    lines = [(_draw.uniform(rng, 0.1, 1.0), _draw.uniform(rng, -1.0, 1.0)) for _ in pcts]
    positions = [0.0, pcts[0], 1.0, pcts[0] / 2]
    _expect_values(expect, student, pcts, lines, positions, 1e-12, f"combine_scheds({pcts}, ...)")


@task("combine_scheds")
@visible
def test_bad_pcts(expect, student, rng):
    """pcts not summing to 1, a negative pct or a missing phase raise ValueError"""
    lines = _continuous_lines(rng, 2)
    short = _draw.uniform(rng, 0.1, 0.45)
    for pcts, why in [
        ([short, 0.5], f"for pcts {[round(short, 3), 0.5]} (sum < 1)"),
        ([0.5 + short, 0.5], "for pcts summing to more than 1"),
        ([1.0 + short, -short], "for a negative pct"),
        ([1.0], "for 1 pct and 2 schedules"),
    ]:
        call = lambda: student.probe(probes.combined, pcts, lines[: max(2, len(pcts))], [0.5])
        expect.raises(call, ValueError, why)
