"""Probes for lesson 4: build Runners and callbacks from the student's module, run them, and
return plain data (lists, dicts, floats, tensors) for the hidden graders to check.

Every probe is `probe(mod, *args)` with `mod` the imported student module, deterministic given
its arguments. The data and models are built here, not by the student's helpers: only the
Runner, the callbacks and the schedules under test come from `mod`. Exceptions are caught only
where the probe reports them as data; NotImplementedError always propagates (an unfinished
task).
"""

from __future__ import annotations

import builtins
import math
import time
from collections import Counter
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn

EVENTS = (
    "begin_fit",
    "begin_epoch",
    "begin_batch",
    "after_pred",
    "after_loss",
    "after_backward",
    "after_step",
    "after_batch",
    "begin_validate",
    "after_epoch",
    "after_fit",
    "after_cancel_batch",
    "after_cancel_epoch",
    "after_cancel_train",
)


def _batches(x, y, bs):
    return [(x[i : i + bs], y[i : i + bs]) for i in range(0, len(x), bs)]


def _regression(mod, n_train, n_valid, bs, seed=0, lr=0.1, momentum=0.0, loss_func=None):
    """A Linear(3, 1) on random data; DataBunch of plain lists of batches (len() and iter())."""
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(n_train + n_valid, 3, generator=g), torch.randn(
        n_train + n_valid, 1, generator=g
    )
    torch.manual_seed(seed)
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    data = mod.DataBunch(
        _batches(x[:n_train], y[:n_train], bs), _batches(x[n_train:], y[n_train:], bs)
    )
    return mod.Learner(model, opt, loss_func or F.mse_loss, data)


def _exception(mod, name):
    if name is None:
        return None
    if name in ("RuntimeError", "ValueError", "KeyError"):
        return getattr(builtins, name)
    return getattr(mod, name)


def _trace_class(mod, log, order=5, tag=None, raise_event=None, raise_on=1, exc=None, returns=None):
    """A callback class with a method for every event: appends the event to `log`, raises
    `exc` at the `raise_on`-th occurrence of `raise_event`, returns `returns[event]`."""
    counts = Counter()
    returns = returns or {}

    def make(ev):
        def method(self):
            log.append(ev if tag is None else f"{tag}:{ev}")
            counts[ev] += 1
            if exc is not None and ev == raise_event and counts[ev] == raise_on:
                raise exc("raised by the probe")
            return returns.get(ev)

        method.__name__ = ev
        return method

    attrs = {ev: make(ev) for ev in EVENTS}
    attrs["_order"] = order
    return type("TraceCallback", (mod.Callback,), attrs)


def _escaped(e: BaseException) -> str:
    if isinstance(e, NotImplementedError):
        raise e
    return type(e).__name__


# --- event traces -------------------------------------------------------------------------------
def trace_fit(mod, epochs, n_train, n_valid, bs, raise_event=None, raise_on=1, exc_name=None):
    """The events of fit(epochs) as the callbacks see them, with `exc_name` raised once from
    `raise_event`. Returns {"trace": [...], "escaped": type name of what left fit, or None}."""
    log: list[str] = []
    exc = _exception(mod, exc_name)
    cls = _trace_class(mod, log, raise_event=raise_event, raise_on=raise_on, exc=exc)
    run = mod.Runner(cbs=[cls()])
    learn = _regression(mod, n_train, n_valid, bs)
    escaped = None
    try:
        run.fit(epochs, learn)
    except Exception as e:  # noqa: BLE001 - reported to the grader
        escaped = _escaped(e)
    return {"trace": log, "escaped": escaped}


def skip_phases(mod, epochs, skip_train_epochs, skip_valid_epochs):
    """Callback A (order 2) returns True from begin_epoch in `skip_train_epochs` and from
    begin_validate in `skip_valid_epochs`; callback B (order 3) only records. Returns both
    traces (B must still be called) and the number of optimizer steps taken."""
    log: list[str] = []
    A = _trace_class(mod, log, order=2, tag="A")
    B = _trace_class(mod, log, order=3, tag="B")

    class Skipper(A):
        def begin_epoch(self):
            A.begin_epoch(self)
            return self.run.epoch in skip_train_epochs

        def begin_validate(self):
            A.begin_validate(self)
            return self.run.epoch in skip_valid_epochs

    steps = []

    class Counter_(B):
        def after_step(self):
            B.after_step(self)
            steps.append(1)

    run = mod.Runner(cbs=[Skipper(), Counter_()])
    run.fit(epochs, _regression(mod, 8, 4, 4))
    return {"trace": log, "steps": len(steps)}


def order_and_names(mod, orders, via_funcs):
    """Callbacks with the given `_order`s (passed via cb_funcs where via_funcs[i], else via
    cbs), each logging its tag at begin_fit. Returns the tags in call order, each callback's
    `name`, and whether `run.<name>` is the very instance made from cb_funcs."""
    log: list[str] = []
    class_names = ["AlphaCallback", "BetaGamma", "DeltaCallback", "EpsilonHTTP", "ZetaStats"]
    classes, cbs, funcs = [], [], []
    for i, (order, f) in enumerate(zip(orders, via_funcs)):
        cls = type(
            class_names[i % len(class_names)] + ("" if i < len(class_names) else str(i)),
            (mod.Callback,),
            {"_order": order, "begin_fit": (lambda tag: lambda self: log.append(tag))(f"cb{i}")},
        )
        classes.append(cls)
        (funcs if f else cbs).append(cls if f else cls())
    run = mod.Runner(cbs=cbs, cb_funcs=funcs)
    run.fit(1, _regression(mod, 4, 2, 2))
    names, attrs = {}, {}
    for i, cls in enumerate(classes):
        inst = next(cb for cb in run.cbs if type(cb) is cls)
        names[f"cb{i}"] = inst.name
        if via_funcs[i]:
            attrs[f"cb{i}"] = run.__dict__.get(inst.name) is inst
    return {"order": log, "names": names, "attrs": attrs}


def callback_basics(mod):
    """`name` of several classes; attribute delegation to the runner, before and after
    set_runner; the bool that cb(event) returns."""
    out = {}

    class MyHTTPCallback(mod.Callback):
        pass

    class Plain(mod.Callback):
        pass

    for label, cls in [
        ("Callback", mod.Callback),
        ("TrainEvalCallback", mod.TrainEvalCallback),
        ("Recorder", mod.Recorder),
        ("MyHTTPCallback", MyHTTPCallback),
        ("Plain", Plain),
        ("AvgStatsCallback", mod.AvgStatsCallback),
        ("ParamScheduler", mod.ParamScheduler),
    ]:
        # no __init__: the name must not depend on other tasks (AvgStats) being finished
        out[f"name:{label}"] = object.__new__(cls).name

    cb = Plain()
    try:
        getattr(cb, "model")
        out["before_runner"] = "no error"
    except RecursionError:
        out["before_runner"] = "RecursionError"
    except Exception as e:  # noqa: BLE001
        out["before_runner"] = _escaped(e)

    class FakeRunner:
        model, loss, in_train = "the model", 1.5, True

    fake = FakeRunner()
    cb.set_runner(fake)
    out["run_is_runner"] = cb.run is fake
    out["delegated"] = [cb.model, cb.loss, cb.in_train]
    try:
        getattr(cb, "no_such_attribute")
        out["missing_on_runner"] = "no error"
    except RecursionError:
        out["missing_on_runner"] = "RecursionError"
    except Exception as e:  # noqa: BLE001
        out["missing_on_runner"] = _escaped(e)

    class Returns(mod.Callback):
        def begin_epoch(self):
            return True

        def begin_validate(self):
            return None

    r = Returns()
    out["call"] = [r("begin_epoch"), r("begin_validate"), r("after_fit")]
    out["call_types"] = [type(v).__name__ for v in out["call"]]
    return out


def bad_events(mod):
    """An unknown event name, and a callback with a misspelled event method."""
    out = {}
    run = mod.Runner()
    try:
        run("begin_fitt")
        out["unknown_event"] = "no error"
    except Exception as e:  # noqa: BLE001
        out["unknown_event"] = _escaped(e)

    for label, meth in [("misspelled", "after_bacth"), ("before_style", "before_batch")]:
        log: list[str] = []
        cls = type("TypoCallback", (mod.Callback,), {meth: lambda self: log.append("called")})
        try:
            run = mod.Runner(cbs=[cls()])
            run.fit(1, _regression(mod, 4, 2, 2))
            out[label] = "no error"
        except Exception as e:  # noqa: BLE001
            out[label] = _escaped(e)

    # legitimate helper methods must not be reported
    class Helper(mod.Callback):
        def plot_things(self):
            return 1

        def after_fit(self):
            return None

    try:
        mod.Runner(cbs=[Helper()]).fit(1, _regression(mod, 4, 2, 2))
        out["helper_ok"] = "no error"
    except Exception as e:  # noqa: BLE001
        out["helper_ok"] = _escaped(e)
    return out


def train_eval_state(mod, epochs, n_train, n_valid, bs):
    """At every begin_batch and after_pred: (event, in_train, model.training, grad enabled,
    n_epochs, n_iter)."""
    rows = []

    class Watch(mod.Callback):
        _order = 3

        def begin_batch(self):
            self._row("begin_batch")

        def after_pred(self):
            self._row("after_pred")

        def _row(self, ev):
            rows.append(
                [
                    ev,
                    bool(self.run.in_train),
                    bool(self.run.model.training),
                    bool(torch.is_grad_enabled()),
                    float(self.run.n_epochs),
                    int(self.run.n_iter),
                ]
            )

    run = mod.Runner(cbs=[Watch()])
    run.fit(epochs, _regression(mod, n_train, n_valid, bs))
    return {"rows": rows, "n_iter": int(run.n_iter), "n_epochs": float(run.n_epochs)}


def params_after_fit(mod, epochs, n_train, n_valid, bs, lr, seed):
    """Weights after fit with plain SGD, and the same loop written out by hand (the judge
    compares them: backward, step and zero_grad in the right places)."""
    learn = _regression(mod, n_train, n_valid, bs, seed=seed, lr=lr)
    w0 = [p.detach().clone() for p in learn.model.parameters()]
    run = mod.Runner()
    run.fit(epochs, learn)
    got = [p.detach().clone() for p in learn.model.parameters()]

    ref = _regression(mod, n_train, n_valid, bs, seed=seed, lr=lr)
    for _ in range(epochs):
        for xb, yb in ref.data.train_dl:
            loss = F.mse_loss(ref.model(xb), yb)
            loss.backward()
            ref.opt.step()
            ref.opt.zero_grad()
    want = [p.detach().clone() for p in ref.model.parameters()]
    return {"start": w0, "got": got, "want": want}


# --- statistics and recorder -----------------------------------------------------------------
def _batch_mean_target(out, yb):
    return yb.float().mean()


def avg_stats(mod, x, y, xv, yv, bs, epochs):
    """AvgStatsCallback with a fixed model (lr 0) and the metric `mean of yb` on data whose
    last batch is short. Returns the (train, valid) avg_stats of the last epoch, the counts
    and the weighted sums (all_stats)."""
    torch.manual_seed(0)
    model = nn.Linear(x.shape[1], 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    data = mod.DataBunch(_batches(x, y, bs), _batches(xv, yv, bs))
    learn = mod.Learner(model, opt, F.mse_loss, data)
    w = [p.detach().clone() for p in model.parameters()]
    run = mod.Runner(cb_funcs=[partial(mod.AvgStatsCallback, [_batch_mean_target], verbose=False)])
    run.fit(epochs, learn)
    cb = run.avg_stats
    return {
        "train": [float(v) for v in cb.train_stats.avg_stats],
        "valid": [float(v) for v in cb.valid_stats.avg_stats],
        "train_count": int(cb.train_stats.count),
        "valid_count": int(cb.valid_stats.count),
        "train_all": [float(v) for v in cb.train_stats.all_stats],
        "weights": w,
    }


def accuracy_of(mod, out, yb):
    v = mod.accuracy(out, yb)
    return {"value": v, "type": type(v).__name__}


def recorder(mod, epochs, n_train, n_valid, bs, lrs_per_epoch):
    """Recorder with a callback (order 1) that sets the lr of both parameter groups before
    every batch from `lrs_per_epoch[epoch][i]` (group 0 gets lr / 10). Returns the Recorder's
    lrs and losses and the training losses seen by an independent observer."""
    seen = []

    class SetLR(mod.Callback):
        _order = 1

        def begin_batch(self):
            if self.run.in_train:
                lr = lrs_per_epoch[self.run.epoch][int(self.run.n_iter) % len(lrs_per_epoch[0])]
                self.run.opt.param_groups[0]["lr"] = lr / 10
                self.run.opt.param_groups[1]["lr"] = lr

        def after_loss(self):
            if self.run.in_train:
                seen.append(float(self.run.loss.detach()))

    learn = _regression(mod, n_train, n_valid, bs)
    model = learn.model
    learn.opt = torch.optim.SGD([{"params": [model.weight]}, {"params": [model.bias]}], lr=0.01)
    run = mod.Runner(cbs=[SetLR()], cb_funcs=[mod.Recorder])
    run.fit(epochs, learn)
    rec = run.recorder
    return {
        "lrs": [float(v) for v in rec.lrs],
        "losses": [float(v) for v in rec.losses],
        "seen": seen,
    }


# --- schedules --------------------------------------------------------------------------------
def _sched(mod, spec):
    """The student's sched_<kind>(start, end)."""
    kind, start, end = spec
    return getattr(mod, f"sched_{kind}")(start, end)


def _plain_sched(spec):
    """The same schedule written here, so that combine_scheds and ParamScheduler are graded
    independently of the student's sched_* functions."""
    kind, start, end = spec
    if kind == "lin":
        return lambda pos: start + pos * (end - start)
    if kind == "cos":
        return lambda pos: start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2
    if kind == "no":
        return lambda pos: start
    return lambda pos: start * (end / start) ** pos


def sched_values(mod, spec, positions):
    """[f(pos) for pos] for f = sched_<kind>(start, end), spec = (kind, start, end)."""
    f = _sched(mod, spec)
    return [float(f(p)) for p in positions]


def combined_values(mod, pcts, specs, positions):
    """combine_scheds(pcts, [sched_<kind>(start, end) ...]) at each position: a float, or the
    name of the exception raised (at construction: {"error": name})."""
    scheds = [_plain_sched(s) for s in specs]
    try:
        f = mod.combine_scheds(pcts, scheds)
    except Exception as e:  # noqa: BLE001
        return {"error": _escaped(e)}
    values = []
    for p in positions:
        try:
            values.append(float(f(p)))
        except Exception as e:  # noqa: BLE001
            values.append(_escaped(e))
    return {"values": values}


def param_scheduler(mod, epochs, n_train, bs, pname, specs, n_groups):
    """ParamScheduler(pname, ...) with one schedule (len(specs) == 1 and n_groups given) or a
    list of one per group. Records pg[pname] of every group at after_pred of each training
    batch, with the runner's n_epochs/epochs at that time."""
    rows = []

    class Watch(mod.Callback):
        _order = 5

        def after_pred(self):
            if self.run.in_train:
                rows.append(
                    [float(self.run.n_epochs) / self.run.epochs]
                    + [float(pg[pname]) for pg in self.run.opt.param_groups]
                )

    learn = _regression(mod, n_train, 2, bs, momentum=0.9)
    model = learn.model
    groups = [{"params": [model.weight]}, {"params": [model.bias]}][:n_groups]
    if n_groups == 1:
        groups = [{"params": list(model.parameters())}]
    learn.opt = torch.optim.SGD(groups, lr=0.01, momentum=0.9)
    scheds = [_plain_sched(s) for s in specs]
    funcs = scheds[0] if len(scheds) == 1 else scheds
    original = funcs if not isinstance(funcs, list) else list(funcs)
    run = mod.Runner(cbs=[mod.ParamScheduler(pname, funcs), Watch()])
    try:
        run.fit(epochs, learn)
    except Exception as e:  # noqa: BLE001
        return {"error": _escaped(e)}
    unchanged = funcs == original if isinstance(funcs, list) else True
    return {"rows": rows, "sched_funcs_unchanged": unchanged}


# --- LR finder --------------------------------------------------------------------------------
def _opt_state(opt):
    st = opt.state_dict()
    bufs = []
    for pid in sorted(st["state"]):
        buf = st["state"][pid].get("momentum_buffer")
        bufs.append(buf.detach().clone() if buf is not None else torch.zeros(0))
    return {"lrs": [float(g["lr"]) for g in st["param_groups"]], "buffers": bufs}


def lr_find(mod, max_iter, min_lr, max_lr, script, n_batches, seed):
    """LR_Find(max_iter, min_lr, max_lr) on a regression model trained by SGD
    with momentum (one warm-up step first, so the optimizer has state to restore).

    script: None for the real MSE loss, or the training losses to report batch by batch
    (pred * 0 + value: gradients are zero). Returns the lr in effect at every training batch
    (read at after_pred), the number of completed after_steps, and the model's
    parameters and optimizer state before and after."""
    counter = {"i": 0}

    def scripted(pred, yb):
        if not torch.is_grad_enabled():
            return F.mse_loss(pred, yb)
        i = counter["i"]
        counter["i"] += 1
        return (pred * 0).sum() + torch.tensor(float(script[min(i, len(script) - 1)]))

    learn = _regression(
        mod,
        n_batches * 2,
        4,
        2,
        seed=seed,
        lr=0.05,
        momentum=0.9,
        loss_func=scripted if script is not None else None,
    )
    model, opt = learn.model, learn.opt
    xb, yb = learn.data.train_dl[0]
    F.mse_loss(model(xb), yb).backward()  # warm-up step: momentum buffers exist
    opt.step()
    opt.zero_grad()
    before = {"params": [p.detach().clone() for p in model.parameters()], "opt": _opt_state(opt)}

    lrs, steps = [], []

    class Watch(mod.Callback):
        _order = 5

        def after_pred(self):
            if self.run.in_train:
                lrs.append(float(self.run.opt.param_groups[0]["lr"]))

        def after_step(self):
            steps.append(1)

    finder = mod.LR_Find(max_iter=max_iter, min_lr=min_lr, max_lr=max_lr)
    run = mod.Runner(cbs=[finder, Watch()])
    escaped = None
    try:
        run.fit(3, learn)
    except Exception as e:  # noqa: BLE001
        escaped = _escaped(e)
    after = {"params": [p.detach().clone() for p in model.parameters()], "opt": _opt_state(opt)}
    return {
        "lrs": lrs,
        "steps": len(steps),
        "before": before,
        "after": after,
        "escaped": escaped,
    }


def lr_find_arguments(mod):
    """LR_Find with bad arguments: the exception names (or 'no error')."""
    out = {}
    for label, kw in [
        ("max_iter=0", {"max_iter": 0}),
        ("min_lr>=max_lr", {"min_lr": 1.0, "max_lr": 0.1}),
        ("min_lr=0", {"min_lr": 0.0}),
    ]:
        try:
            mod.LR_Find(**kw)
            out[label] = "no error"
        except Exception as e:  # noqa: BLE001
            out[label] = _escaped(e)
    return out


# --- real MNIST ------------------------------------------------------------------------------
MNIST_N_TRAIN, MNIST_N_VALID, MNIST_BS, MNIST_LR, MNIST_NH = 10_000, 2_000, 32, 0.1, 50


def mnist_one_epoch(mod, seed):
    """One epoch of the course's MLP (784-50-10, SGD lr 0.1, bs 32, shuffled) on the first
    10,000 MNIST training images. Returns the validation accuracy measured here on the trained
    model and the seconds fit took."""
    from courselib.data import get_data, normalize

    xt, yt, xv, yv = get_data(MNIST_N_TRAIN, MNIST_N_VALID)
    xt, xv = normalize(xt), normalize(xv)
    g = torch.Generator().manual_seed(seed)

    class Shuffled:
        def __init__(self, x, y, bs, shuffle):
            self.x, self.y, self.bs, self.shuffle = x, y, bs, shuffle

        def __len__(self):
            return (len(self.x) + self.bs - 1) // self.bs

        def __iter__(self):
            idx = (
                torch.randperm(len(self.x), generator=g)
                if self.shuffle
                else torch.arange(len(self.x))
            )
            for i in range(0, len(self.x), self.bs):
                j = idx[i : i + self.bs]
                yield self.x[j], self.y[j]

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, MNIST_NH), nn.ReLU(), nn.Linear(MNIST_NH, 10))
    opt = torch.optim.SGD(model.parameters(), lr=MNIST_LR)
    data = mod.DataBunch(
        Shuffled(xt, yt, MNIST_BS, True), Shuffled(xv, yv, MNIST_BS * 2, False), c=10
    )
    learn = mod.Learner(model, opt, F.cross_entropy, data)
    run = mod.Runner()  # only the loop: AvgStats and accuracy are graded on their own
    t0 = time.perf_counter()
    run.fit(1, learn)
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        acc = (model(xv).argmax(1) == yv).float().mean().item()
    return {"accuracy": acc, "seconds": seconds}
