"""ParamScheduler: sets a hyper-parameter of every parameter group before each training batch.

Inputs drawn: 1-3 epochs of 2-5 training batches; an SGD optimizer with 1 or 2 parameter
groups; schedules that are lines pos -> a + b·pos (a in [0.05, 0.5], b in [-a/2, 0.5], built
in the probe: no schedule formula involved); pname "lr", "momentum" or "weight_decay".

Expected: before training batch i of epoch e (read by a callback of _order 5 at after_pred),
every group's pname = its schedule at pos = (e + i/iters)/epochs -- one schedule for all
groups, or schedule g for group g when a list is given; a list of another length than the
groups is a ValueError; the same scheduler serves a second fit with another number of groups
(it keeps the schedules it was given). Tolerance rtol 1e-10 + atol 1e-12: pos is a sum of
1/iters terms in float64 (error < 1e-15); a per-epoch schedule is off by >= b/(epochs·iters).
"""

import torch

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import points, task
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import SchedFit

TOL = dict(rtol=1e-10, atol=1e-12)


def _lines(rng, n) -> list[tuple[float, float]]:
    lines = []
    for _ in range(n):
        a = _draw.uniform(rng, 0.05, 0.5)
        lines.append((a, _draw.uniform(rng, -a / 2, 0.5)))
    return lines


def _fit(rng, n_groups) -> SchedFit:
    return SchedFit(
        _draw.integer(rng, 1, 3), _draw.integer(rng, 4, 9), _draw.integer(rng, 2, 3), n_groups
    )


def _expected(fit, lines) -> torch.Tensor:
    iters = _draw.n_batches(fit.n_train, fit.bs)
    rows = []
    for e in range(fit.epochs):
        for i in range(iters):
            pos = (e + i / iters) / fit.epochs
            rows.append([a + b * pos for a, b in (lines * fit.n_groups)[: fit.n_groups]])
    return torch.tensor(rows, dtype=torch.float64)


def _expect_scheduled(expect, student, pname, lines, as_list, fits):
    got = student.probe(probes.scheduled, pname, lines, as_list, fits)
    for k, (fit, rows) in enumerate(zip(fits, got)):
        want = _expected(fit, lines if as_list else lines[:1])
        what = f"every group's {pname} before each training batch (fit {k + 1})"
        expect.equal(len(rows), len(want), what=f"{what}: one setting per training batch")
        expect.close(
            torch.tensor(rows, dtype=torch.float64),
            want,
            what=what,
            against="sched(n_epochs / epochs)",
            **TOL,
        )


@task("ParamScheduler")
@points(2)
def test_one_schedule(expect, student, rng):
    """one schedule sets pname of every group from n_epochs / epochs"""
    _expect_scheduled(expect, student, "lr", _lines(rng, 1), False, [_fit(rng, 2)])


@task("ParamScheduler")
def test_one_per_group(expect, student, rng):
    """a list of schedules, one per group"""
    _expect_scheduled(expect, student, "momentum", _lines(rng, 2), True, [_fit(rng, 2)])


@task("ParamScheduler")
def test_wrong_count(expect, student, rng):
    """as many schedules as parameter groups, else ValueError"""
    lines, fits = _lines(rng, 3), [_fit(rng, 2)]
    call = lambda: student.probe(probes.scheduled, "lr", lines, True, fits)  # noqa: E731
    expect.raises(call, ValueError, "for 3 schedules and 2 parameter groups")


@task("ParamScheduler")
def test_fit_again(expect, student, rng):
    """the same scheduler serves a second fit with another number of groups"""
    groups = [1, 2] if _draw.integer(rng, 0, 1) else [2, 1]
    fits = [_fit(rng, n) for n in groups]
    _expect_scheduled(expect, student, "weight_decay", _lines(rng, 1), False, fits)
