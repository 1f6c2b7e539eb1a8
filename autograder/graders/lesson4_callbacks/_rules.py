"""The Runner's documented rules in plain Python (no torch, no student or reference code): what
the probes' listeners hear in a fit, and the bookkeeping TrainEvalCallback keeps. This is the
judge's reading of the Runner and TrainEvalCallback docstrings; tests/test_lesson4_callbacks_
traces.py checks it against the reference Runner for every raise point.
"""

from __future__ import annotations

from courselib.lesson4_callbacks import CANCELS, FitPlan


class _Raised(Exception):
    """A stand-in for the exception a listener raises."""


def heard_in_fit(plan: FitPlan, n_train: int, n_valid: int) -> tuple[list[str], str | None]:
    """("A:begin_fit", "B:begin_fit", ...) as listeners A and B (A first) hear fit(plan.epochs)
    with n_train training and n_valid validation batches per epoch, and the name of the
    exception that leaves fit (None when fit returns).

    A raises plan.exc at the plan.raise_on-th time it hears plan.raise_event, so B does not hear
    that event. A returns True from begin_epoch / begin_validate in the epochs listed in
    plan.skip_train / plan.skip_valid: that pass is skipped, B still hears the event.
    """
    kind = {name: type(name, (_Raised,), {}) for name in (*CANCELS, "RuntimeError")}
    Batch, Epoch, Train = (kind[name] for name in CANCELS)  # CANCELS lists them in this order
    heard, counts = [], {}

    def call(event: str, epoch: int = -1) -> bool:
        heard.append(f"A:{event}")
        counts[event] = counts.get(event, 0) + 1
        if plan.exc and event == plan.raise_event and counts[event] == plan.raise_on:
            raise kind[plan.exc]()
        heard.append(f"B:{event}")
        skips = {"begin_epoch": plan.skip_train, "begin_validate": plan.skip_valid}
        return epoch in skips.get(event, ())

    def one_batch(training: bool) -> None:
        try:
            call("begin_batch")
            call("after_pred")
            call("after_loss")
            if training:
                call("after_backward")
                call("after_step")
        except Batch:
            call("after_cancel_batch")
        finally:
            call("after_batch")

    def all_batches(n: int, training: bool) -> None:
        try:
            for _ in range(n):
                one_batch(training)
        except Epoch:
            call("after_cancel_epoch")

    def fit() -> None:
        try:
            call("begin_fit")
            for epoch in range(plan.epochs):
                if not call("begin_epoch", epoch):
                    all_batches(n_train, True)
                if not call("begin_validate", epoch):
                    all_batches(n_valid, False)
                call("after_epoch")
        except Train:
            call("after_cancel_train")
        finally:
            call("after_fit")

    try:
        fit()
    except _Raised as e:
        return heard, type(e).__name__
    return heard, None


def bookkeeping(steps) -> list[tuple]:
    """(in_train, n_epochs, n_iter, model in train mode) after each Step, as TrainEvalCallback's
    docstring defines them; None where it leaves them open (in_train and the model's mode from
    begin_fit until the first begin_epoch)."""
    in_train = n_epochs = n_iter = training = None
    states = []
    for step in steps:
        if step.event == "begin_fit":
            in_train, n_epochs, n_iter, training = None, 0.0, 0, None
        elif step.event == "begin_epoch":
            n_epochs, in_train, training = float(step.epoch), True, True
        elif step.event == "after_batch" and in_train:
            n_epochs, n_iter = n_epochs + 1 / step.iters, n_iter + 1
        elif step.event == "begin_validate":
            in_train, training = False, False
        states.append((in_train, n_epochs, n_iter, training))
    return states
