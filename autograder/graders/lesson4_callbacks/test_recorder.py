"""Recorder: the learning rate and the loss of every training batch.

Inputs: fit plans as in test_runner_events (2-3 epochs of 2-3 training and 1-2 validation
batches); an optimizer with two parameter groups whose lrs a callback (_order 1) sets before
each training batch to lr/10 and lr, lr drawn in [0.001, 0.1] per batch.

Expected: lrs = the last group's lr of each training batch, losses = run.loss of each training
batch (as heard by that callback at after_loss), nothing for validation batches; both lists of
Python floats (a loss kept as a tensor that requires grad keeps the whole graph of its batch
alive), reset at begin_fit (after a second fit: only that fit's batches). The Recorder keeps
the values it is given, so the comparison is exact.
"""

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import task
from autograder.probes import lesson4_callbacks as probes


def _lrs(rng, plan) -> list[float]:
    nt, _ = _draw.passes(plan)
    return [_draw.uniform(rng, 0.001, 0.1) for _ in range(plan.epochs * nt)]


def _expect_recorded(expect, got, lrs, what):
    expect.that(
        all(type(v) is float for v in got.losses) and not any(got.graph),
        f"recorder.losses should hold Python floats {what}",
        "a loss tensor that requires grad keeps its autograd graph alive" if any(got.graph) else "",
        category="type",
    )
    expect.equal(got.lrs, lrs, what=f"recorder.lrs {what} (the last group's lr, training batches)")
    heard = [h.item() for h in got.heard]
    expect.equal(got.losses, heard, what=f"recorder.losses {what} (run.loss, training batches)")


@task("Recorder")
def test_records_training_batches(expect, student, rng):
    """records the last group's lr and the loss of every training batch, as floats"""
    plan = _draw.fit_plan(rng)
    lrs = _lrs(rng, plan)
    got = student.probe(probes.recorded, [plan], [lrs])
    _expect_recorded(expect, got[0], lrs, "after a fit")


@task("Recorder")
def test_fit_again(expect, student, rng):
    """a second fit starts new lists"""
    plans = [_draw.fit_plan(rng), _draw.fit_plan(rng)]
    lrs = [_lrs(rng, plan) for plan in plans]
    got = student.probe(probes.recorded, plans, lrs)
    _expect_recorded(expect, got[1], lrs[1], "after a second fit")
