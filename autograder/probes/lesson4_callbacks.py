"""Probes for lesson 4: build the student's Runner and callbacks, run them, and return what
happened as the records of courselib/lesson4_callbacks.py. The judge draws every input and
computes every expectation; nothing here compares or judges.

One probe per test, doing only what that test needs, so a crash in one part of the module fails
only the tests of that part. Listeners keep their own count of what they heard (the epoch, the
phase), so what they report does not depend on the runner's bookkeeping. A student's exception
leaves the probe (the judge sees it as raised) except where it is itself the observation
(`escaped`, `_outcome`); NotImplementedError always leaves (an unfinished task).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import math
from functools import partial
from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import nn

from courselib.lesson4_callbacks import (
    Bookkeeping,
    Delegation,
    FitEvents,
    Heard,
    Recorded,
    Refit,
    Searched,
    Snapshot,
    Stats,
    MNIST,
    batches,
    listener,
    mnist_mlp,
    small_learner,
)

F64 = torch.float64


def _outcome(read) -> str:
    """'no error', or the name of the exception read() raised (RecursionError included)."""
    try:
        read()
    except NotImplementedError:
        raise
    except BaseException as e:  # noqa: BLE001 - the exception is the observation
        return type(e).__name__
    return "no error"


def _escaped(e: BaseException) -> str:
    if isinstance(e, NotImplementedError):
        raise e
    return type(e).__name__


class _Phase:
    """The listeners' own count: the epoch (begin_epoch heard so far, minus one) and whether the
    batches now are training ones (between begin_epoch and begin_validate)."""

    def __init__(self):
        self.epoch, self.training = -1, False

    def hear(self, event):
        if event == "begin_fit":
            self.epoch = -1
        elif event == "begin_epoch":
            self.epoch, self.training = self.epoch + 1, True
        elif event == "begin_validate":
            self.training = False


# --- Runner: events ---------------------------------------------------------------------------
def _listeners(mod, plans, log, model_of):
    """Listeners A and B for the plan `plans[0]` (the list may be swapped between fits)."""
    phase, counts = _Phase(), {}

    def state(who, run, event):
        return Heard(
            who,
            event,
            getattr(run, "in_train", None),
            getattr(run, "n_epochs", None),
            getattr(run, "n_iter", None),
            bool(model_of[0].training),
            torch.is_grad_enabled(),
        )

    def hear_a(cb, event):
        plan = plans[0]
        phase.hear(event)
        if event == "begin_fit":
            counts.clear()
        log.append(state("A", runs[0], event))
        counts[event] = counts.get(event, 0) + 1
        if plan.exc is not None and event == plan.raise_event and counts[event] == plan.raise_on:
            home = builtins if plan.exc == "RuntimeError" else mod
            raise getattr(home, plan.exc)("raised by a callback")
        if event == "begin_epoch":
            return phase.epoch in plan.skip_train
        if event == "begin_validate":
            return phase.epoch in plan.skip_valid
        return None

    def hear_b(cb, event):
        log.append(state("B", runs[0], event))

    order = plans[0].order
    A = listener(mod.Callback, hear_a, order, "ListenerA")
    B = listener(mod.Callback, hear_b, order + 1, "ListenerB")
    runs = [None]
    return A(), B(), runs


def _fit(run, plan, learn) -> str | None:
    try:
        run.fit(plan.epochs, learn)
    except Exception as e:  # noqa: BLE001 - what leaves fit is the observation
        return _escaped(e)
    return None


def fit_events(mod, plan) -> FitEvents:
    """fit(plan.epochs) heard by listeners A and B: every event with the runner's state, and
    the exception that left fit."""
    log, plans = [], [plan]
    learn = small_learner(mod, plan.n_train, plan.n_valid, plan.bs)
    a, b, runs = _listeners(mod, plans, log, [learn.model])
    runs[0] = run = mod.Runner(cbs=[a, b])
    escaped = _fit(run, plan, learn)
    return FitEvents(log, escaped)


def refit_events(mod, plans) -> Refit:
    """One Runner (with listeners A and B) fitted once per plan, each on a new Learner."""
    current, model_of, fits, callbacks = [plans[0]], [None], [], []
    log: list = []
    a, b, runs = _listeners(mod, current, log, model_of)
    runs[0] = run = mod.Runner(cbs=[a, b])
    for plan in plans:
        current[0] = plan
        learn = small_learner(mod, plan.n_train, plan.n_valid, plan.bs)
        model_of[0] = learn.model
        log.clear()
        escaped = _fit(run, plan, learn)
        fits.append(FitEvents(list(log), escaped))
        callbacks.append([type(cb).__name__ for cb in run.cbs])
    return Refit(fits, callbacks)


def call_order(mod, orders, via_funcs) -> list:
    """Callbacks with the given _orders (made from cb_funcs where via_funcs[i], else given in
    cbs), each saying its index at begin_fit: the indices in the order heard."""
    heard: list = []
    made, given = [], []
    names = ["AlphaCallback", "Bravo", "CharlieCallback", "DeltaEcho", "Foxtrot", "GolfCallback"]
    for i, (order, from_func) in enumerate(zip(orders, via_funcs)):
        say = (lambda i: lambda self: heard.append(i))(i)  # a function: a method of the class
        cls = type(names[i], (mod.Callback,), {"_order": order, "begin_fit": say})
        (made if from_func else given).append(cls if from_func else cls())
    mod.Runner(cbs=given, cb_funcs=made).fit(1, small_learner(mod, 4, 2, 2))
    return heard


def made_attributes(mod, class_names) -> list:
    """Runner(cb_funcs=[a class or a partial per name]): for each callback made, whether
    getattr(run, <its name>) is that very callback."""
    classes = [type(n, (mod.Callback,), {}) for n in class_names]
    funcs = [cls if i % 2 else partial(cls) for i, cls in enumerate(classes)]
    run = mod.Runner(cb_funcs=funcs)
    found = []
    for cls in classes:
        made = [cb for cb in run.cbs if type(cb) is cls]
        found.append(len(made) == 1 and getattr(run, made[0].name, None) is made[0])
    return found


def event_checks(mod, typo) -> dict:
    """What an unknown event name, a misspelled event method, a before_ method and a helper
    method do: 'no error' or the exception's name."""

    def with_method(name):
        cls = type("Checked", (mod.Callback,), {name: lambda self: None})
        return lambda: mod.Runner(cbs=[cls()]).fit(1, small_learner(mod, 4, 2, 2))

    return {
        "unknown event": _outcome(lambda: mod.Runner()("begin_fitt")),
        "misspelled method": _outcome(with_method(typo)),
        "before_ method": _outcome(with_method("before_batch")),
        "helper method": _outcome(with_method("plot_things")),
    }


def trained(mod, reg) -> list:
    """The weight and bias of a Linear trained by Runner().fit on the Regression `reg`."""
    model = nn.Linear(reg.weight.shape[1], 1).double()
    with torch.no_grad():
        model.weight.copy_(reg.weight)
        model.bias.copy_(reg.bias)
    opt = torch.optim.SGD(model.parameters(), lr=reg.lr, momentum=reg.momentum)
    data = mod.DataBunch(
        batches(reg.x_train, reg.y_train, reg.bs), batches(reg.x_valid, reg.y_valid, reg.bs)
    )
    mod.Runner().fit(reg.epochs, mod.Learner(model, opt, F.mse_loss, data))
    return [model.weight.detach().clone(), model.bias.detach().clone()]


def mnist_fit(mod, seed) -> list:
    """One epoch of Runner().fit on the first 10,000 MNIST training images (batches of 32
    shuffled from `seed`, SGD with a cosine-annealed lr set by a callback of the probe's own):
    the model's parameters afterwards."""
    from courselib.data import get_data, normalize

    xt, yt, xv, yv = get_data(MNIST.n_train, MNIST.n_valid)
    xt, xv = normalize(xt), normalize(xv)
    g = torch.Generator().manual_seed(seed)

    class Shuffled:
        def __init__(self, x, y, bs, shuffle):
            self.x, self.y, self.bs, self.shuffle = x, y, bs, shuffle

        def __len__(self):
            return (len(self.x) + self.bs - 1) // self.bs

        def __iter__(self):
            n = len(self.x)
            idx = torch.randperm(n, generator=g) if self.shuffle else torch.arange(n)
            for i in range(0, n, self.bs):
                yield self.x[idx[i : i + self.bs]], self.y[idx[i : i + self.bs]]

    torch.manual_seed(seed)
    model = mnist_mlp()
    opt = torch.optim.SGD(model.parameters(), lr=MNIST.peak_lr)
    train = Shuffled(xt, yt, MNIST.bs, True)
    phase, done = _Phase(), [0]

    def anneal(cb, event):
        phase.hear(event)
        if event == "begin_batch" and phase.training:
            opt.param_groups[0]["lr"] = (
                MNIST.peak_lr * (1 + math.cos(math.pi * done[0] / len(train))) / 2
            )
            done[0] += 1

    data = mod.DataBunch(train, Shuffled(xv, yv, 2 * MNIST.bs, False))
    run = mod.Runner(cbs=[listener(mod.Callback, anneal, 1, "Anneal")()])
    run.fit(1, mod.Learner(model, opt, F.cross_entropy, data))
    return [p.detach().clone() for p in model.parameters()]


# --- Callback and TrainEvalCallback ---------------------------------------------------------------
def callback_names(mod, class_names) -> list:
    """`name` of a Callback subclass with each of the class names."""
    return [type(n, (mod.Callback,), {})().name for n in class_names]


def delegation(mod, attributes, own, missing) -> Delegation:
    """A plain Callback subclass: an attribute read before set_runner; after set_runner(run)
    with `attributes`, the runner's values, its own attribute `mine` (also on the runner) and
    the attribute `missing` that neither has."""
    cb = type("Plain", (mod.Callback,), {})()
    first = next(iter(attributes))
    before = _outcome(lambda: getattr(cb, first))
    cb.mine = own
    run = SimpleNamespace(**attributes, mine="the runner's")
    cb.set_runner(run)
    return Delegation(
        before,
        cb.run is run,
        [getattr(cb, k) for k in attributes],
        cb.mine,
        _outcome(lambda: getattr(cb, missing)),
    )


def call_results(mod, answers) -> list:
    """cb('begin_epoch') for a callback whose begin_epoch returns each of `answers`, then
    cb('after_fit') for one without an after_fit method (each after set_runner)."""
    results = []
    for answer in answers:
        cb = type("Answers", (mod.Callback,), {"begin_epoch": lambda self, a=answer: a})()
        cb.set_runner(SimpleNamespace())
        results.append(cb("begin_epoch"))
    cb = type("Silent", (mod.Callback,), {})()
    cb.set_runner(SimpleNamespace())
    return results + [cb("after_fit")]


def drive_train_eval(mod, steps) -> list:
    """A TrainEvalCallback on a bare runner (a namespace with the model, epoch and iters),
    its methods called step by step: the runner's state after each step."""
    model = nn.Linear(2, 1)
    model.eval()
    run = SimpleNamespace(model=model, learn=SimpleNamespace(model=model), epochs=0)
    cb = mod.TrainEvalCallback()
    cb.set_runner(run)
    seen = []
    for step in steps:
        run.epoch, run.iters = step.epoch, step.iters
        run.epochs = max(run.epochs, step.epoch + 1)
        method = getattr(type(cb), step.event, None)
        if method is not None:
            method(cb)
        seen.append(
            Bookkeeping(
                getattr(run, "in_train", None),
                getattr(run, "n_epochs", None),
                getattr(run, "n_iter", None),
                model.training,
            )
        )
    return seen


# --- AvgStatsCallback and Recorder -----------------------------------------------------------
def _mean_target(out, yb):
    return yb.mean()


def _stats_fit(mod, reg, verbose):
    """Runner with AvgStatsCallback([mean of yb], verbose) fitted on `reg` (lr 0: a fixed
    model); what it printed."""
    cb = mod.AvgStatsCallback([_mean_target], verbose=verbose)
    model = nn.Linear(reg.weight.shape[1], 1).double()
    with torch.no_grad():
        model.weight.copy_(reg.weight)
        model.bias.copy_(reg.bias)
    opt = torch.optim.SGD(model.parameters(), lr=reg.lr)
    data = mod.DataBunch(
        batches(reg.x_train, reg.y_train, reg.bs), batches(reg.x_valid, reg.y_valid, reg.bs)
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        mod.Runner(cbs=[cb]).fit(reg.epochs, mod.Learner(model, opt, F.mse_loss, data))
    return cb, printed.getvalue()


def avg_stats(mod, reg) -> Stats:
    """train_stats and valid_stats after the fit."""
    cb, _ = _stats_fit(mod, reg, verbose=False)
    t, v = cb.train_stats, cb.valid_stats
    return Stats(t.avg_stats, v.avg_stats, t.count, v.count)


def avg_stats_history(mod, reg) -> list:
    """history after the fit, as kept."""
    cb, _ = _stats_fit(mod, reg, verbose=False)
    return cb.history


def avg_stats_printed(mod, reg, verbose) -> str:
    """What the fit printed."""
    return _stats_fit(mod, reg, verbose)[1]


def recorded(mod, plans, lrs) -> list:
    """One Runner with a Recorder fitted once per plan. Before each training batch a callback
    sets the lr of the two groups to lr/10 and lr, lr = lrs[fit][batch of the fit]."""
    phase, count, heard = _Phase(), [0], []

    def set_lr(cb, event):
        phase.hear(event)
        if event == "begin_fit":
            count[0] = 0
            heard.clear()
        if event == "begin_batch" and phase.training:
            lr = lrs[fit[0]][count[0]]
            count[0] += 1
            groups = learn[0].opt.param_groups
            groups[0]["lr"], groups[1]["lr"] = lr / 10, lr
        if event == "after_loss" and phase.training:
            heard.append(run.loss.detach().clone())

    fit, learn, rec, out = [0], [None], mod.Recorder(), []
    run = mod.Runner(cbs=[listener(mod.Callback, set_lr, 1, "SetLR")(), rec])
    for i, plan in enumerate(plans):
        fit[0] = i
        learn[0] = small_learner(mod, plan.n_train, plan.n_valid, plan.bs, groups=2)
        run.fit(plan.epochs, learn[0])
        graph = [isinstance(v, torch.Tensor) and v.requires_grad for v in rec.losses]
        out.append(Recorded(list(rec.lrs), list(rec.losses), graph, list(heard)))
    return out


# --- schedules ------------------------------------------------------------------------------------
def sched_values(mod, fn, start, end, positions) -> list:
    """[f(pos) for pos in positions], f = <fn>(start, end), as returned."""
    f = getattr(mod, fn)(start, end)
    return [f(p) for p in positions]


def _lines(lines):
    return [lambda pos, a=a, b=b: a + b * pos for a, b in lines]


def combined(mod, pcts, lines, positions) -> list:
    """combine_scheds(pcts, phases) at each position, phase i the line pos -> a_i + b_i pos."""
    f = mod.combine_scheds(pcts, _lines(lines))
    return [f(p) for p in positions]


def scheduled(mod, pname, lines, as_list, fits) -> list:
    """One ParamScheduler(pname, schedules) used in one Runner per SchedFit, schedule i the line
    pos -> a_i + b_i pos (a list of them if as_list, else the first alone). Per fit, per
    training batch: every group's `pname` at after_pred."""
    funcs = _lines(lines)
    scheduler = mod.ParamScheduler(pname, funcs if as_list else funcs[0])
    out = []
    for fit in fits:
        phase, rows = _Phase(), []
        learn = small_learner(mod, fit.n_train, 2, fit.bs, momentum=0.9, groups=fit.n_groups)

        def watch(cb, event, phase=phase, rows=rows, opt=learn.opt):
            phase.hear(event)
            if event == "after_pred" and phase.training:
                rows.append([pg[pname] for pg in opt.param_groups])

        mod.Runner(cbs=[scheduler, listener(mod.Callback, watch, 5, "Watch")()]).fit(
            fit.epochs, learn
        )
        out.append(rows)
    return out


# --- LR_Find ----------------------------------------------------------------------------------------
def lr_search(mod, searches) -> list:
    """One Runner with one LR_Find fitted once per Search; the groups' lrs at each training
    batch (after_pred) and what left fit."""
    finder = mod.LR_Find(searches[0].max_iter, searches[0].min_lr, searches[0].max_lr)
    phase, lrs, calls, current, opt = _Phase(), [], [0], [searches[0]], [None]

    def scripted(pred, yb):
        if not torch.is_grad_enabled():
            return F.mse_loss(pred, yb)
        losses = current[0].losses
        calls[0] += 1
        return (pred * 0).sum() + losses[min(calls[0] - 1, len(losses) - 1)]

    def watch(cb, event):
        phase.hear(event)
        if event == "after_pred" and phase.training:
            lrs.append([pg["lr"] for pg in opt[0].param_groups])

    run = mod.Runner(cbs=[finder, listener(mod.Callback, watch, 5, "Watch")()])
    out = []
    for search in searches:
        current[0], calls[0] = search, 0
        lrs.clear()
        learn = small_learner(
            mod, 2 * search.n_batches, 4, 2, lr=0.05, momentum=0.9, loss_func=scripted, groups=2
        )
        opt[0] = learn.opt
        escaped = _fit(run, search, learn)
        out.append(Searched(list(lrs), escaped))
    return out


def _snapshot(model, opt) -> Snapshot:
    state = opt.state_dict()
    momentum = [state["state"][k]["momentum_buffer"].clone() for k in sorted(state["state"])]
    return Snapshot(
        [p.detach().clone() for p in model.parameters()],
        momentum,
        [g["lr"] for g in opt.param_groups],
    )


def lr_restore(mod, max_iter, seed) -> list:
    """Snapshots of the model and the optimizer (SGD with momentum, after one warm-up step)
    before and after an LR_Find(max_iter, 1e-4, 10) search with the real MSE loss."""
    learn = small_learner(mod, 2 * (max_iter + 5), 4, 2, lr=0.05, momentum=0.9)
    with torch.no_grad():
        for p in learn.model.parameters():
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(seed), dtype=F64))
    xb, yb = learn.data.train_dl[0]
    F.mse_loss(learn.model(xb), yb).backward()
    learn.opt.step()
    learn.opt.zero_grad()
    before = _snapshot(learn.model, learn.opt)
    mod.Runner(cbs=[mod.LR_Find(max_iter, 1e-4, 10.0)]).fit(3, learn)
    return [before, _snapshot(learn.model, learn.opt)]


def lr_find_made(mod, kwargs) -> None:
    """LR_Find(**kwargs) is built (and nothing else)."""
    mod.LR_Find(**kwargs)
