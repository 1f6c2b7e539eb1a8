"""TrainEvalCallback: the runner's bookkeeping and the model's mode.

Inputs: `_draw.train_eval_steps(rng)`: the events a TrainEvalCallback hears in fits of 2-3
epochs (2-4 training batches, 1-3 validation batches a pass), with the runner's epoch and
iters at each. The probe calls the student's TrainEvalCallback methods on a bare runner (a
namespace holding the model), step by step, so the student's Runner plays no part here; it
reports the runner's state after each step.

Expected (`_rules.bookkeeping`, the docstring): in_train True from begin_epoch, False from
begin_validate; the model in train / eval mode likewise; n_iter counts the training batches
finished in this fit; n_epochs = e at begin_epoch of epoch e, + 1/iters per finished training
batch -- also for a cancelled batch, a pass cut short (validation then sees e + k/iters, not
e + 1) or skipped, and from 0 again in a second fit. in_train, n_iter and the mode exactly;
n_epochs to 1e-9: a sum of at most ~40 terms 1/iters in float64 is off by < 1e-14, an
n_epochs off by one batch is off by >= 1/4.
"""

from autograder.graders.lesson4_callbacks import _draw, _rules
from autograder.grading import points, task
from autograder.probes import lesson4_callbacks as probes

N_EPOCHS_ATOL = 1e-9


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _expect_bookkeeping(expect, student, steps, what):
    got = student.probe(probes.drive_train_eval, steps)
    expect.equal(len(got), len(steps), what="the states reported")
    for k, (step, seen, want) in enumerate(zip(steps, got, _rules.bookkeeping(steps))):
        in_train, n_epochs, n_iter, training = want
        where = f"after {step.event} (event {k + 1} of {what})"
        if in_train is not None:
            expect.equal(seen.in_train, in_train, what=f"run.in_train {where}")
            expect.equal(seen.training, training, what=f"the model's mode (training) {where}")
        expect.that(
            _number(seen.n_iter) and seen.n_iter == n_iter,
            f"run.n_iter is wrong {where}",
            f"expected {n_iter}, got {seen.n_iter!r}",
        )
        expect.that(
            _number(seen.n_epochs) and abs(seen.n_epochs - n_epochs) <= N_EPOCHS_ATOL,
            f"run.n_epochs is wrong {where}",
            f"expected {n_epochs:.6g}, got {seen.n_epochs!r}",
        )


@task("TrainEvalCallback")
@points(2)
def test_bookkeeping(expect, student, rng):
    """in_train, the model's mode, n_epochs and n_iter through a fit"""
    _expect_bookkeeping(expect, student, _draw.train_eval_steps(rng), "a fit")


@task("TrainEvalCallback")
def test_passes_cut_short(expect, student, rng):
    """n_epochs stays fractional after a cancelled batch, a pass cut short or skipped"""
    steps = _draw.train_eval_steps(rng, cut=True)
    _expect_bookkeeping(expect, student, steps, "a fit with cancelled batches and passes")


@task("TrainEvalCallback")
def test_second_fit(expect, student, rng):
    """a second fit starts again from n_epochs = 0 and n_iter = 0"""
    _expect_bookkeeping(expect, student, _draw.train_eval_steps(rng, fits=2), "two fits")
