"""Visible tests for lesson 4: run `make test-lesson4` (or `SUBMISSION=<folder>`).

Small fixed cases of what the hidden graders check: the events of a fit (plain and with each
cancel exception), callback order and names, TrainEvalCallback's bookkeeping, the statistics,
the recorder, the schedules, the LR finder, and one epoch on real MNIST. The graders add random
sizes, every event as a raise point, second fits and more schedules. The expected values here
are worked out by hand, not computed by a second implementation.
"""

from functools import partial

import pytest
import torch
import torch.nn.functional as F

import callbacks
from callbacks import (
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
    get_model,
    mnist_databunch,
    sched_cos,
    sched_exp,
    sched_lin,
    sched_no,
)
from courselib.checks import Expect
from courselib.lesson4_callbacks import TRAIN_BATCH, VALID_BATCH, batches, listener, small_learner


def learner(**kw):
    """2 training batches and 1 validation batch of 2 samples (unless kw says otherwise)."""
    return small_learner(callbacks, kw.pop("n_train", 4), kw.pop("n_valid", 2), 2, **kw)


def events_of(epochs=1, raise_event=None, exc=None, learn=None):
    """The events a callback of _order 5 hears in fit(epochs); it raises `exc` the first time it
    hears `raise_event`."""
    heard = []

    def hear(cb, event):
        heard.append(event)
        if event == raise_event and heard.count(event) == 1:
            raise exc()

    Runner(cbs=[listener(Callback, hear)()]).fit(epochs, learn or learner())
    return heard


EPOCH = ["begin_epoch", *TRAIN_BATCH * 2, "begin_validate", *VALID_BATCH, "after_epoch"]


# --- Task 4.1-4.3: events, cancels, order, names -------------------------------------------------
def test_events_of_a_fit():
    want = ["begin_fit", *EPOCH * 2, "after_fit"]
    Expect("Runner").equal(events_of(epochs=2), want, what="the events of fit(2)")


def test_cancel_batch_skips_the_rest_of_the_batch_only():
    got = events_of(raise_event="after_loss", exc=CancelBatchException)
    first = ["begin_batch", "after_pred", "after_loss", "after_cancel_batch", "after_batch"]
    want = ["begin_fit", "begin_epoch", *first, *TRAIN_BATCH, *EPOCH[-6:], "after_fit"]
    Expect("Runner").equal(got, want, what="the events with CancelBatchException at after_loss")


def test_cancel_epoch_skips_the_rest_of_the_pass():
    got = events_of(raise_event="after_step", exc=CancelEpochException)
    want = ["begin_fit", "begin_epoch", *TRAIN_BATCH, "after_cancel_epoch", *EPOCH[-6:]]
    want.append("after_fit")
    Expect("Runner").equal(got, want, what="the events with CancelEpochException at after_step")


def test_cancel_train_stops_and_after_fit_runs():
    got = events_of(epochs=2, raise_event="begin_validate", exc=CancelTrainException)
    want = ["begin_fit", "begin_epoch", *TRAIN_BATCH * 2, "begin_validate", "after_cancel_train"]
    want.append("after_fit")
    Expect("Runner").equal(got, want, what="the events with CancelTrainException at begin_validate")


def test_an_ordinary_exception_leaves_fit_after_after_fit():
    heard = []

    def hear(cb, event):
        heard.append(event)
        if event == "after_pred":
            raise KeyError("raised by a callback")

    with pytest.raises(KeyError):
        Runner(cbs=[listener(Callback, hear)()]).fit(1, learner())
    want = ["begin_fit", "begin_epoch", "begin_batch", "after_pred", "after_batch", "after_fit"]
    Expect("Runner").equal(heard, want, what="the events with a KeyError at after_pred")


def test_callbacks_run_sorted_by_order_and_cb_funcs_are_attributes():
    expect, heard = Expect("Runner"), []

    def cls(name, order):
        return type(
            name, (Callback,), {"_order": order, "begin_fit": lambda self: heard.append(name)}
        )

    late, early, middle = cls("LateCallback", 9), cls("EarlyCallback", -3), cls("MiddleThing", 4)
    run = Runner(cbs=[late()], cb_funcs=[early, middle])
    run.fit(1, learner())
    expect.equal(heard, ["EarlyCallback", "MiddleThing", "LateCallback"], what="the order")
    expect.that(isinstance(getattr(run, "early", None), early), "run.early should be the callback")
    expect.that(isinstance(getattr(run, "middle_thing", None), middle), "run.middle_thing too")


def test_return_values_count():
    class SkipValid(Callback):
        def begin_validate(self):
            return True

    heard = []
    Runner(cbs=[SkipValid(), listener(Callback, lambda cb, e: heard.append(e), 9)()]).fit(
        1, learner()
    )
    want = [
        "begin_fit",
        "begin_epoch",
        *TRAIN_BATCH * 2,
        "begin_validate",
        "after_epoch",
        "after_fit",
    ]
    Expect("Runner").equal(heard, want, what="the events when begin_validate returns True")


def test_the_same_runner_fits_again():
    heard = []
    run = Runner(cbs=[listener(Callback, lambda cb, e: heard.append(e))()])
    run.fit(1, learner())
    heard.clear()
    run.fit(2, learner())
    Expect("Runner").equal(heard, ["begin_fit", *EPOCH * 2, "after_fit"], what="the second fit")


def test_callback_name_and_delegation():
    expect = Expect("Callback")

    class AvgThingsCallback(Callback):
        pass

    for cb, name in [
        (Callback(), "callback"),
        (AvgThingsCallback(), "avg_things"),
        (Recorder(), "recorder"),
    ]:
        expect.equal(cb.name, name, what=f"{type(cb).__name__}().name")
    cb = AvgThingsCallback()
    try:
        cb.model
    except RecursionError:
        expect.fail("error", "looking up an attribute before set_runner recursed forever")
    except AttributeError:
        pass
    else:
        expect.fail("error", "before set_runner, cb.model should raise AttributeError")
    run = Runner()
    run.loss = 3.0
    cb.set_runner(run)
    expect.equal(cb.loss, 3.0, what="cb.loss (looked up on the runner)")


def test_bad_event_names_are_errors():
    expect = Expect("Runner")
    expect.raises(lambda: Runner()("begin_fitt"), ValueError, "for an unknown event name")

    class Typo(Callback):
        def after_bacth(self):
            pass

    expect.raises(
        lambda: Runner(cbs=[Typo()]).fit(1, learner()), ValueError, "for a misspelled method"
    )


def test_train_eval_bookkeeping():
    """A callback with the default _order 0 already sees TrainEvalCallback's bookkeeping."""
    rows = []

    def hear(cb, event):
        if event == "after_pred":
            run = cb.run
            rows.append(
                (
                    run.in_train,
                    run.model.training,
                    torch.is_grad_enabled(),
                    run.n_epochs,
                    run.n_iter,
                )
            )

    Runner(cbs=[listener(Callback, hear, order=0)()]).fit(2, learner())
    want = [(True, True, True, 0.0, 0), (True, True, True, 0.5, 1), (False, False, False, 1.0, 2)]
    want += [(True, True, True, 1.0, 2), (True, True, True, 1.5, 3), (False, False, False, 2.0, 4)]
    Expect("TrainEvalCallback").equal(
        rows, want, what="(in_train, training, grad, n_epochs, n_iter)"
    )


# --- Task 4.4-4.6: metrics, statistics, recorder ---------------------------------------------------
def test_accuracy():
    expect = Expect("accuracy")
    out = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    expect.close(accuracy(out, torch.tensor([1, 0, 0, 0])), torch.tensor(0.75), against="0.75")
    expect.raises(lambda: accuracy(out, torch.tensor([1, 0])), ValueError, "for mismatched lengths")


def stats_learner():
    """Inputs 0, targets [1, 1, 1, 1, 6] in batches of 4 and 1: per-sample mean 2, per-batch 3.5."""
    x, y = torch.zeros(5, 3, dtype=torch.float64), torch.tensor(
        [[1.0], [1], [1], [1], [6]], dtype=torch.float64
    )
    learn = learner()
    learn.opt = torch.optim.SGD(learn.model.parameters(), lr=0.0)
    learn.data = DataBunch(batches(x, y, 4), batches(x, y, 4))
    return learn


def test_avg_stats_weighted_by_batch_size(capsys):
    expect = Expect("AvgStatsCallback")

    def target_mean(out, yb):
        return yb.mean()

    run = Runner(cb_funcs=[partial(AvgStatsCallback, [target_mean], verbose=False)])
    run.fit(2, stats_learner())
    stats = run.avg_stats.valid_stats.avg_stats
    expect.that(
        all(type(v) is float for v in stats), "avg_stats should hold Python floats", f"got {stats}"
    )
    expect.close(
        torch.tensor(stats[1]), torch.tensor(2.0), what="mean of yb over 5 samples", against="2.0"
    )
    expect.equal(run.avg_stats.train_stats.count, 5, what="train_stats.count after the last epoch")
    expect.equal(len(run.avg_stats.history), 2, what="history entries after 2 epochs")
    expect.equal(capsys.readouterr().out, "", what="what verbose=False printed")


def test_recorder_records_training_batches_as_floats():
    expect = Expect("Recorder")
    run = Runner(cb_funcs=[Recorder, partial(ParamScheduler, "lr", sched_lin(0.1, 0.5))])
    run.fit(2, learner())
    expect.close(torch.tensor(run.recorder.lrs), torch.tensor([0.1, 0.2, 0.3, 0.4]), what="lrs")
    losses = run.recorder.losses
    expect.that(
        len(losses) == 4 and all(type(v) is float for v in losses),
        "4 losses, Python floats",
        f"got {losses}",
    )
    run.fit(1, learner())
    expect.equal(len(run.recorder.losses), 2, what="losses after a second fit of one epoch")


# --- Task 4.7-4.9: schedules --------------------------------------------------------------------
@pytest.mark.parametrize(
    "sched, want",
    [
        (sched_lin(1.0, 3.0), [1.0, 1.5, 3.0]),
        (sched_cos(1.0, 3.0), [1.0, 1.2928932188134525, 3.0]),  # 1 + (1 - cos(pi/4))
        (sched_no(1.0, 3.0), [1.0, 1.0, 1.0]),
        (sched_exp(1.0, 16.0), [1.0, 2.0, 16.0]),  # 16 ** 0.25 = 2
    ],
    ids=["lin", "cos", "no", "exp"],
)
def test_schedules(sched, want):
    expect = Expect(sched.func.__name__)
    got = [sched(p) for p in (0.0, 0.25, 1.0)]
    expect.that(all(type(v) is float for v in got), "should return Python floats", f"got {got}")
    expect.close(
        torch.tensor(got, dtype=torch.float64),
        torch.tensor(want, dtype=torch.float64),
        what="values at 0, 0.25, 1",
    )


def test_combine_scheds_two_and_three_phases():
    expect = Expect("combine_scheds")
    one_cycle = combine_scheds([0.3, 0.7], [sched_cos(0.3, 0.6), sched_cos(0.6, 0.2)])
    got = torch.tensor([one_cycle(p) for p in (0.0, 0.3, 0.65, 1.0)], dtype=torch.float64)
    expect.close(got, torch.tensor([0.3, 0.6, 0.4, 0.2], dtype=torch.float64), what="one cycle")
    three = combine_scheds([0.7, 0.2, 0.1], [sched_lin(0, 1), sched_no(5, 0), sched_lin(1, 3)])
    got = torch.tensor([three(p) for p in (0.0, 0.35, 0.7, 0.95, 1.0)], dtype=torch.float64)
    want = torch.tensor([0.0, 0.5, 5.0, 2.0, 3.0], dtype=torch.float64)
    expect.close(
        got, want, what="[0.7, 0.2, 0.1] (float sum 0.9999999999999999) at 0, 0.35, 0.7, 0.95, 1"
    )
    expect.raises(
        lambda: combine_scheds([0.3, 0.6], [sched_no(1, 1)] * 2),
        ValueError,
        "when pcts do not sum to 1",
    )


def test_param_scheduler_per_group():
    learn = learner(n_train=8, groups=2)
    seen = []

    def hear(cb, event):
        if event == "after_pred" and cb.in_train:
            seen.append([pg["lr"] for pg in cb.opt.param_groups])

    Runner(
        cbs=[ParamScheduler("lr", [sched_lin(0, 1), sched_no(7, 7)]), listener(Callback, hear)()]
    ).fit(1, learn)
    want = torch.tensor([[0, 7], [0.25, 7], [0.5, 7], [0.75, 7.0]])
    Expect("ParamScheduler").close(torch.tensor(seen), want, what="lr of both groups")


# --- Task 4.10: LR finder -------------------------------------------------------------------------
def lr_find_run(max_iter, losses):
    """LR_Find(max_iter, 1e-4, 1) on 20 training batches whose losses are `losses`."""
    count = [0]

    def scripted(pred, yb):
        if not torch.is_grad_enabled():
            return F.mse_loss(pred, yb)
        count[0] += 1
        return (pred * 0).sum() + losses[min(count[0], len(losses)) - 1]

    lrs = []

    def hear(cb, event):
        if event == "after_pred" and cb.in_train:
            lrs.append(cb.opt.param_groups[0]["lr"])

    finder = LR_Find(max_iter=max_iter, min_lr=1e-4, max_lr=1.0)
    Runner(cbs=[finder, listener(Callback, hear)()]).fit(
        3, learner(n_train=40, momentum=0.9, loss_func=scripted)
    )
    return lrs


def test_lr_find_exponential_lrs_and_max_iter():
    want = torch.tensor([1e-4, 1e-3, 1e-2, 1e-1, 1.0], dtype=torch.float64)
    got = torch.tensor(lr_find_run(4, [1.0]), dtype=torch.float64)
    Expect("LR_Find").close(got, want, what="lrs of the batches n_iter = 0..4")


def test_lr_find_stops_when_the_loss_diverges():
    got = lr_find_run(50, [5.0, 2.0, 3.0, 19.0, 21.0, 1.0])
    Expect("LR_Find").equal(len(got), 5, what="training batches run (stop after 21 > 10 x 2)")


def test_lr_find_restores_model_and_optimizer():
    expect, learn = Expect("LR_Find"), learner(n_train=40, momentum=0.9)
    xb, yb = learn.data.train_dl[0]
    F.mse_loss(learn.model(xb), yb).backward()
    learn.opt.step()
    before = [p.detach().clone() for p in learn.model.parameters()]
    buf = learn.opt.state[learn.model.weight]["momentum_buffer"].clone()
    Runner(cbs=[LR_Find(max_iter=10)]).fit(1, learn)
    for p, q in zip(learn.model.parameters(), before):
        expect.close(p.detach(), q, what="parameters after the search", against="before")
    expect.close(
        learn.opt.state[learn.model.weight]["momentum_buffer"], buf, what="momentum buffer"
    )
    expect.equal(learn.opt.param_groups[0]["lr"], 0.1, what="the optimizer's lr after the search")


# --- everything together: real MNIST ------------------------------------------------------------
def test_one_epoch_on_mnist():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is faster, and fair on shared machines
    try:
        torch.manual_seed(0)
        data = mnist_databunch(10_000, 2_000, bs=32)
        model, opt = get_model(data, lr=0.1)
        run = Runner(cb_funcs=[partial(AvgStatsCallback, [accuracy], verbose=False)])
        run.fit(1, Learner(model, opt, F.cross_entropy, data))
    finally:
        torch.set_num_threads(threads)
    acc = run.avg_stats.valid_stats.avg_stats[1]
    Expect("Runner").that(
        acc >= 0.85,
        "one epoch on 10,000 MNIST images should reach 0.85 validation accuracy",
        f"got {acc:.3f}",
    )
