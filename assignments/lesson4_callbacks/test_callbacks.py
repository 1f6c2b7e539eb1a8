"""Visible tests for lesson 4: run `make test-lesson4` (or `SUBMISSION=<folder>`).

They check what the hidden graders check, on small fixed cases: the exact event sequence of a
fit (and with each cancel exception), callback order and names, the statistics, the schedules,
the LR finder and one epoch on real MNIST. The graders add random sizes, every event as a
raise point, and more schedules.
"""

from collections import Counter
from functools import partial

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from callbacks import (
    EVENTS,
    AvgStatsCallback,
    Callback,
    CancelBatchException,
    CancelEpochException,
    CancelTrainException,
    DataBunch,
    Learner,
    LR_Find,
    ParamScheduler,
    Recorder,
    Runner,
    accuracy,
    combine_scheds,
    mnist_databunch,
    get_model,
    sched_cos,
    sched_exp,
    sched_lin,
    sched_no,
)
from courselib.checks import expect_close, expect_raises, fail


# --- helpers ------------------------------------------------------------------------------------
def batches(x, y, bs):
    return [(x[i : i + bs], y[i : i + bs]) for i in range(0, len(x), bs)]


def learner(n_train=4, n_valid=2, bs=2, lr=0.1, momentum=0.0, loss_func=F.mse_loss, seed=0):
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(n_train + n_valid, 3, generator=g), torch.randn(
        n_train + n_valid, 1, generator=g
    )
    torch.manual_seed(seed)
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    data = DataBunch(batches(x[:n_train], y[:n_train], bs), batches(x[n_train:], y[n_train:], bs))
    return Learner(model, opt, loss_func, data)


def tracer(log, order=5, raise_event=None, raise_on=1, exc=None):
    """A callback class that logs every event and raises `exc` at the raise_on-th `raise_event`."""
    counts = Counter()

    def make(ev):
        def method(self):
            log.append(ev)
            counts[ev] += 1
            if exc is not None and ev == raise_event and counts[ev] == raise_on:
                raise exc()

        return method

    return type("TraceCallback", (Callback,), {"_order": order, **{e: make(e) for e in EVENTS}})


TRAIN_BATCH = [
    "begin_batch",
    "after_pred",
    "after_loss",
    "after_backward",
    "after_step",
    "after_batch",
]
VALID_BATCH = ["begin_batch", "after_pred", "after_loss", "after_batch"]


def epoch_events(n_train=2, n_valid=1):
    return (
        ["begin_epoch"]
        + TRAIN_BATCH * n_train
        + ["begin_validate"]
        + VALID_BATCH * n_valid
        + ["after_epoch"]
    )


def expect_trace(task, got, want, what):
    if got != want:
        i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        fail(
            "values",
            task,
            f"{what}: wrong event sequence",
            f"first difference at position {i}: expected {want[i:i + 3]}..., got {got[i:i + 3]}...",
        )


def run_trace(epochs=1, raise_event=None, raise_on=1, exc=None):
    log = []
    Runner(cbs=[tracer(log, raise_event=raise_event, raise_on=raise_on, exc=exc)()]).fit(
        epochs, learner()
    )
    return log


# --- Task 4.1-4.3: events, cancels, order, names -------------------------------------------------
def test_event_trace_of_a_normal_fit():
    want = ["begin_fit"] + epoch_events() * 2 + ["after_fit"]
    expect_trace(
        "Runner", run_trace(epochs=2), want, "fit(2) with 2 training and 1 validation batch"
    )


def test_cancel_batch_skips_the_rest_of_the_batch_only():
    got = run_trace(raise_event="after_loss", raise_on=1, exc=CancelBatchException)
    batch0 = ["begin_batch", "after_pred", "after_loss", "after_cancel_batch", "after_batch"]
    want = ["begin_fit", "begin_epoch"] + batch0 + TRAIN_BATCH
    want += ["begin_validate"] + VALID_BATCH + ["after_epoch", "after_fit"]
    expect_trace("Runner", got, want, "CancelBatchException at after_loss")


def test_cancel_epoch_skips_the_rest_of_the_pass():
    got = run_trace(raise_event="after_step", raise_on=1, exc=CancelEpochException)
    want = ["begin_fit", "begin_epoch"] + TRAIN_BATCH[:5] + ["after_batch", "after_cancel_epoch"]
    want += ["begin_validate"] + VALID_BATCH + ["after_epoch", "after_fit"]
    expect_trace("Runner", got, want, "CancelEpochException at after_step")


def test_cancel_train_stops_and_after_fit_runs():
    got = run_trace(epochs=2, raise_event="begin_validate", raise_on=1, exc=CancelTrainException)
    want = (
        ["begin_fit", "begin_epoch"]
        + TRAIN_BATCH * 2
        + ["begin_validate", "after_cancel_train", "after_fit"]
    )
    expect_trace("Runner", got, want, "CancelTrainException at begin_validate")


def test_an_ordinary_exception_surfaces_after_after_fit():
    log = []
    run = Runner(cbs=[tracer(log, raise_event="after_pred", exc=KeyError)()])
    try:
        run.fit(1, learner())
    except KeyError:
        pass
    else:
        fail("error", "Runner", "a KeyError raised by a callback must propagate out of fit")
    want = ["begin_fit", "begin_epoch", "begin_batch", "after_pred", "after_batch", "after_fit"]
    expect_trace("Runner", log, want, "KeyError at after_pred")


def test_callbacks_run_sorted_by_order_and_cb_funcs_are_attributes():
    log = []

    def cls(name, order):
        return type(
            name, (Callback,), {"_order": order, "begin_fit": lambda self: log.append(name)}
        )

    A, B, C = cls("LateCallback", 9), cls("EarlyCallback", -3), cls("MiddleThing", 4)
    run = Runner(cbs=[A()], cb_funcs=[B, C])
    run.fit(1, learner())
    if log != ["EarlyCallback", "MiddleThing", "LateCallback"]:
        fail("values", "Runner", "callbacks must run sorted by _order", f"got {log}")
    for name, klass in [("early", B), ("middle_thing", C)]:
        if not isinstance(getattr(run, name, None), klass):
            fail("values", "Runner", f"a callback made from cb_funcs should be run.{name}")


def test_return_values_count():
    log = []

    class SkipValid(Callback):
        def begin_validate(self):
            return True

    run = Runner(cbs=[SkipValid(), tracer(log, order=9)()])
    run.fit(1, learner())
    want = (
        ["begin_fit", "begin_epoch"]
        + TRAIN_BATCH * 2
        + ["begin_validate", "after_epoch", "after_fit"]
    )
    expect_trace("Runner", log, want, "begin_validate returning True skips validation")


def test_callback_name_and_delegation():
    class AvgThingsCallback(Callback):
        pass

    for cb, want in [
        (Callback(), "callback"),
        (AvgThingsCallback(), "avg_things"),
        (Recorder(), "recorder"),
    ]:
        if cb.name != want:
            fail(
                "values",
                "Callback",
                f"{type(cb).__name__}().name should be {want!r}",
                f"got {cb.name!r}",
            )
    cb = AvgThingsCallback()
    try:
        cb.model
    except RecursionError:
        fail("error", "Callback", "looking up an attribute before set_runner recursed forever")
    except AttributeError:
        pass
    else:
        fail("error", "Callback", "before set_runner, cb.model should raise AttributeError")
    run = Runner()
    run.loss = 3.0
    cb.set_runner(run)
    if cb.loss != 3.0:
        fail("values", "Callback", "cb.loss should be looked up on the runner")


def test_bad_event_names_are_errors():
    expect_raises("Runner", lambda: Runner()("begin_fitt"), ValueError, "for an unknown event name")

    class Typo(Callback):
        def after_bacth(self):
            pass

    expect_raises(
        "Runner",
        lambda: Runner(cbs=[Typo()]).fit(1, learner()),
        ValueError,
        "for a misspelled event method",
    )


def test_train_eval_bookkeeping():
    rows = []

    class Watch(Callback):
        _order = 3

        def after_pred(self):
            rows.append(
                (
                    self.in_train,
                    self.model.training,
                    torch.is_grad_enabled(),
                    self.n_epochs,
                    self.n_iter,
                )
            )

    Runner(cbs=[Watch()]).fit(2, learner())
    want = [(True, True, True, 0.0, 0), (True, True, True, 0.5, 1), (False, False, False, 1.0, 2)]
    want += [(True, True, True, 1.0, 2), (True, True, True, 1.5, 3), (False, False, False, 2.0, 4)]
    if rows != want:
        fail(
            "values",
            "TrainEvalCallback",
            "in_train/training/no_grad/n_epochs/n_iter wrong",
            f"got {rows}",
        )


# --- Task 4.4-4.6: metrics, statistics, recorder ---------------------------------------------------
def test_accuracy():
    out = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    expect_close(
        "accuracy", accuracy(out, torch.tensor([1, 0, 0, 0])), torch.tensor(0.75), against="0.75"
    )
    expect_raises(
        "accuracy",
        lambda: accuracy(out, torch.tensor([1, 0])),
        ValueError,
        "for mismatched lengths",
    )


def test_avg_stats_weighted_by_batch_size():
    x, y = torch.zeros(5, 3), torch.tensor([[1.0], [1.0], [1.0], [1.0], [6.0]])  # batches 4 + 1

    def target_mean(out, yb):
        return yb.mean()

    learn = learner()
    learn.opt = torch.optim.SGD(learn.model.parameters(), lr=0.0)
    learn.data = DataBunch(batches(x, y, 4), batches(x, y, 4))
    run = Runner(cb_funcs=[partial(AvgStatsCallback, [target_mean], verbose=False)])
    run.fit(2, learn)
    got = run.avg_stats.valid_stats.avg_stats[1]
    expect_close(
        "AvgStatsCallback",
        torch.tensor(got),
        torch.tensor(2.0),
        what="mean of yb over 5 samples",
        against="2.0 (sample-weighted; per-batch averaging gives 3.5)",
    )
    if run.avg_stats.train_stats.count != 5:
        fail(
            "values",
            "AvgStatsCallback",
            "train_stats.count should be 5 after the last epoch",
            f"got {run.avg_stats.train_stats.count}",
        )


def test_recorder_records_training_batches():
    run = Runner(cb_funcs=[Recorder, partial(ParamScheduler, "lr", sched_lin(0.1, 0.5))])
    run.fit(2, learner())
    expect_close(
        "Recorder", torch.tensor(run.recorder.lrs), torch.tensor([0.1, 0.2, 0.3, 0.4]), what="lrs"
    )
    if len(run.recorder.losses) != 4:
        fail(
            "values",
            "Recorder",
            "one loss per training batch expected",
            f"got {len(run.recorder.losses)}",
        )


# --- Task 4.7-4.9: schedules --------------------------------------------------------------------
@pytest.mark.parametrize(
    "sched, want",
    [
        (sched_lin(1.0, 3.0), [1.0, 1.5, 3.0]),
        (sched_cos(1.0, 3.0), [1.0, 1.2928932188134525, 3.0]),
        (sched_no(1.0, 3.0), [1.0, 1.0, 1.0]),
        (sched_exp(1.0, 16.0), [1.0, 2.0, 16.0]),
    ],
    ids=["lin", "cos", "no", "exp"],
)
def test_schedules(sched, want):
    got = torch.tensor([sched(p) for p in (0.0, 0.25, 1.0)], dtype=torch.float64)
    expect_close(
        sched.func.__name__,
        got,
        torch.tensor(want, dtype=torch.float64),
        what="values at 0, 0.25, 1",
    )


def test_combine_scheds_two_and_three_phases():
    one_cycle = combine_scheds([0.3, 0.7], [sched_cos(0.3, 0.6), sched_cos(0.6, 0.2)])
    got = torch.tensor([one_cycle(p) for p in (0.0, 0.3, 0.65, 1.0)], dtype=torch.float64)
    expect_close(
        "combine_scheds",
        got,
        torch.tensor([0.3, 0.6, 0.4, 0.2], dtype=torch.float64),
        what="one cycle",
    )
    three = combine_scheds([0.25, 0.25, 0.5], [sched_lin(0, 1), sched_no(5, 0), sched_lin(1, 3)])
    got = torch.tensor([three(p) for p in (0.0, 0.125, 0.3, 0.75, 1.0)], dtype=torch.float64)
    expect_close(
        "combine_scheds",
        got,
        torch.tensor([0.0, 0.5, 5.0, 2.0, 3.0], dtype=torch.float64),
        what="3 phases at 0, 0.125, 0.3, 0.75, 1",
    )
    expect_raises(
        "combine_scheds",
        lambda: combine_scheds([0.3, 0.6], [sched_no(1, 1)] * 2),
        ValueError,
        "when pcts do not sum to 1",
    )


def test_param_scheduler_per_group():
    learn = learner(n_train=8)
    learn.opt = torch.optim.SGD(
        [{"params": [learn.model.weight]}, {"params": [learn.model.bias]}], lr=1.0
    )
    seen = []

    class Watch(Callback):
        _order = 5

        def after_pred(self):
            if self.in_train:
                seen.append([pg["lr"] for pg in self.opt.param_groups])

    Runner(cbs=[ParamScheduler("lr", [sched_lin(0, 1), sched_no(7, 7)]), Watch()]).fit(1, learn)
    expect_close(
        "ParamScheduler",
        torch.tensor(seen),
        torch.tensor([[0, 7], [0.25, 7], [0.5, 7], [0.75, 7.0]]),
        what="lr of both groups",
    )


# --- Task 4.10: LR finder -------------------------------------------------------------------------
def lr_find_run(max_iter, script=None, n_train=40):
    state = {"i": 0}

    def scripted(pred, yb):
        if not torch.is_grad_enabled():
            return F.mse_loss(pred, yb)
        state["i"] += 1
        return (pred * 0).sum() + script[min(state["i"] - 1, len(script) - 1)]

    learn = learner(n_train=n_train, momentum=0.9, loss_func=scripted if script else F.mse_loss)
    lrs = []

    class Watch(Callback):
        _order = 5

        def after_pred(self):
            if self.in_train:
                lrs.append(self.opt.param_groups[0]["lr"])

    Runner(cbs=[LR_Find(max_iter=max_iter, min_lr=1e-4, max_lr=1.0), Watch()]).fit(3, learn)
    return learn, lrs


def test_lr_find_exponential_lrs_and_max_iter():
    _, lrs = lr_find_run(4, script=[1.0])
    want = torch.tensor([1e-4, 1e-3, 1e-2, 1e-1, 1.0], dtype=torch.float64)
    expect_close(
        "LR_Find",
        torch.tensor(lrs, dtype=torch.float64),
        want,
        what="lrs of the batches n_iter = 0..4",
    )


def test_lr_find_stops_when_the_loss_diverges():
    _, lrs = lr_find_run(50, script=[5.0, 2.0, 3.0, 19.0, 21.0, 1.0])
    if len(lrs) != 5:
        fail(
            "values",
            "LR_Find",
            "should stop after the first loss > 10x the best (21 > 10*2)",
            f"ran {len(lrs)} training batches, expected 5",
        )


def test_lr_find_restores_model_and_optimizer():
    learn = learner(n_train=40, momentum=0.9)
    xb, yb = learn.data.train_dl[0]
    F.mse_loss(learn.model(xb), yb).backward()
    learn.opt.step()
    before = [p.detach().clone() for p in learn.model.parameters()]
    buf = learn.opt.state[learn.model.weight]["momentum_buffer"].clone()
    Runner(cbs=[LR_Find(max_iter=10)]).fit(1, learn)
    for p, q in zip(learn.model.parameters(), before):
        expect_close("LR_Find", p.detach(), q, what="parameters after the search", against="before")
    expect_close(
        "LR_Find",
        learn.opt.state[learn.model.weight]["momentum_buffer"],
        buf,
        what="momentum buffer",
    )
    if learn.opt.param_groups[0]["lr"] != 0.1:
        fail(
            "values",
            "LR_Find",
            "the optimizer's lr should be restored",
            f"got {learn.opt.param_groups[0]['lr']}",
        )


# --- everything together: real MNIST ------------------------------------------------------------
def test_one_epoch_on_mnist():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is faster, and fair on shared machines
    try:
        one_epoch_on_mnist()
    finally:
        torch.set_num_threads(threads)


def one_epoch_on_mnist():
    torch.manual_seed(0)
    data = mnist_databunch(10_000, 2_000, bs=32)
    model, opt = get_model(data, lr=0.1)
    run = Runner(cb_funcs=[partial(AvgStatsCallback, [accuracy], verbose=False)])
    run.fit(1, Learner(model, opt, F.cross_entropy, data))
    acc = run.avg_stats.valid_stats.avg_stats[1]
    if acc < 0.85:
        fail(
            "values",
            "Runner",
            "one epoch on 10,000 MNIST images should reach 0.85 validation accuracy",
            f"got {acc:.3f}",
        )
