"""Runner: the events of a fit, with and without cancel exceptions.

Inputs: fit_plan(rng): 2-3 epochs of 2-3 training and 1-2 validation batches, the last batch of
each pass one sample short. Two listeners hear every event: A (_order 5, given first) and B
(_order 6); A raises the exception under test at a drawn occurrence of each event in turn (a
training or a validation batch, any epoch), or returns True from begin_epoch / begin_validate.

Expected: the events A and B hear, in order, and the exception that leaves fit, as the
Runner's docstring defines them (`_rules.heard_in_fit`, plain Python): a cancelled batch gets
after_cancel_batch then after_batch; a cancelled pass after_cancel_epoch; a cancelled fit
after_cancel_train; any other exception leaves fit, after_batch and after_fit run on the way
out. Exact comparison: event names are not numbers.
"""

from dataclasses import replace

from autograder.graders.lesson4_callbacks import _draw, _rules
from autograder.grading import points, task, visible
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import TRAIN_BATCH

BATCH_RAISE_POINTS = TRAIN_BATCH[:-1]  # inside one_batch's try: a cancel there is the batch's


def _expect_fit(expect, student, plan, what):
    got = student.probe(probes.fit_events, plan)
    want, escaped = _rules.heard_in_fit(plan, *_draw.passes(plan))
    if got.escaped != escaped:
        expected = f"{escaped} to leave fit" if escaped else "fit to return"
        expect.fail("error", f"{what}: expected {expected}", f"got {got.escaped or 'a return'}")
    expect.equal([f"{h.who}:{h.event}" for h in got.heard], want, what=f"the events of {what}")


def _expect_cancels(expect, student, rng, exc, events):
    """Raise `exc` from each event in turn, at a drawn occurrence of it."""
    for event in events:
        plan = _draw.fit_plan(rng)
        heard, _ = _rules.heard_in_fit(plan, *_draw.passes(plan))
        raise_on = _draw.integer(rng, 1, heard.count(f"A:{event}"))
        plan = replace(plan, raise_event=event, raise_on=raise_on, exc=exc)
        _expect_fit(expect, student, plan, f"a fit with {exc} raised from {event}")


@task("Runner")
@points(2)
@visible
def test_events_of_a_fit(expect, student, rng):
    """fit calls the events in the documented order"""
    _expect_fit(expect, student, _draw.fit_plan(rng), "a fit with no cancel")


@task("Runner")
@points(2)
@visible
def test_cancel_batch(expect, student, rng):
    """CancelBatchException: after_cancel_batch, after_batch, then the next batch"""
    _expect_cancels(expect, student, rng, "CancelBatchException", BATCH_RAISE_POINTS)


@task("Runner")
@points(2)
@visible
def test_cancel_epoch(expect, student, rng):
    """CancelEpochException: after_cancel_epoch, the rest of the pass skipped, fit goes on"""
    _expect_cancels(expect, student, rng, "CancelEpochException", TRAIN_BATCH)


@task("Runner")
@points(2)
@visible
def test_cancel_train(expect, student, rng):
    """CancelTrainException: after_cancel_train then after_fit, from any event"""
    events = ["begin_fit", "begin_epoch", *TRAIN_BATCH, "begin_validate", "after_epoch"]
    _expect_cancels(expect, student, rng, "CancelTrainException", events)


@task("Runner")
@points(2)
@visible
def test_other_exceptions_leave_fit(expect, student, rng):
    """an ordinary exception leaves fit; after_batch and after_fit still run"""
    events = ["begin_fit", "begin_batch", "after_loss", "after_step", "begin_validate"]
    _expect_cancels(expect, student, rng, "RuntimeError", events + ["after_epoch"])


@task("Runner")
@points(2)
def test_return_values_skip_phases(expect, student, rng):
    """a callback returning True skips training / validation; later callbacks still hear it"""
    plan = _draw.fit_plan(rng)
    epochs = range(plan.epochs)
    skip_train = tuple(e for e in epochs if _draw.integer(rng, 0, 1)) or (0,)
    skip_valid = tuple(e for e in epochs if e not in skip_train)[:1] or (plan.epochs - 1,)
    plan = replace(plan, skip_train=skip_train, skip_valid=skip_valid)
    _expect_fit(expect, student, plan, "a fit where a callback skips some passes")
