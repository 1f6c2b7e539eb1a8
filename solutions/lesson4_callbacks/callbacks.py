"""Lesson 4: a training loop you extend with callbacks, cancel with exceptions, and schedule.

    Runner.fit(epochs, learn)
      begin_fit
      for each epoch:
        begin_epoch                       (a callback returning True skips the training batches)
        for each training batch:   one_batch: begin_batch, after_pred, after_loss,
                                              after_backward, after_step, after_batch
        begin_validate                    (a callback returning True skips validation)
        for each validation batch: one_batch: begin_batch, after_pred, after_loss, after_batch
        after_epoch
      after_fit

The loop itself knows nothing about statistics, schedules or plots: every extra is a Callback
that reads (and may change) the Runner's state at one of the events above. A callback stops
work early by raising an exception, caught at its own level:

    CancelBatchException  -> after_cancel_batch, then after_batch; the next batch follows
    CancelEpochException  -> after_cancel_epoch; the rest of this pass over the data is skipped
    CancelTrainException  -> after_cancel_train; training stops
    any other exception   -> propagates out of fit

and `after_batch` / `after_fit` run in every case (they sit in `finally` blocks), so a callback
that opened something at begin_fit can always close it at after_fit.

The Runner here fixes three bugs of the course's version (notebooks 04-05b): `Runner.__call__`
combined the callbacks' return values with `and` (so a callback could never skip a phase),
`combine_scheds` raised IndexError at pos = 1, and the LR finder left the model trained.
Event names are a checked set, not free strings: a typo is an error instead of silently never
being called.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from functools import partial

import torch
from torch import nn

from courselib.lesson4_callbacks import EVENTS, camel2snake, smooth


# --- given: small helpers and the data pipeline (not tasks) ------------------------------------
def listify(o) -> list:
    """None -> [], a list/tuple -> a list of it, anything else -> [o]."""
    if o is None:
        return []
    if isinstance(o, (list, tuple)):
        return list(o)
    return [o]


def check_callback(cb) -> None:
    """ValueError if `cb` has a public method that looks like an event but is not one.

    `def after_bacth(self)` would otherwise simply never be called. A method "looks like an
    event" when it starts with begin_/after_/before_ or is a near miss of an event name.
    """
    for attr in dir(type(cb)):
        if attr.startswith("_") or attr in EVENTS or attr in ("set_runner", "name"):
            continue
        if not callable(getattr(type(cb), attr, None)):
            continue
        close = difflib.get_close_matches(attr, EVENTS, n=1, cutoff=0.8)
        if close or attr.startswith(("begin_", "after_", "before_")):
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(
                f"{type(cb).__name__}.{attr} is not an event{hint}; events are {', '.join(EVENTS)}"
            )


def _as_float(v) -> float:
    """A 0-dim tensor (detached first: no autograd warning) or a number, as a Python float."""
    return v.detach().item() if isinstance(v, torch.Tensor) else float(v)


class Dataset:
    """Pairs (x[i], y[i]); indexing with a tensor of indices gives a batch."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor):
        if len(x) != len(y):
            raise ValueError(f"Dataset: x has {len(x)} rows but y has {len(y)}")
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


class DataLoader:
    """Batches of `bs` from a Dataset (the last one may be shorter), optionally shuffled."""

    def __init__(self, ds: Dataset, bs: int, shuffle: bool = False, generator=None):
        if bs < 1:
            raise ValueError(f"DataLoader: batch size must be >= 1, got {bs}")
        self.ds, self.bs, self.shuffle, self.generator = ds, bs, shuffle, generator

    def __len__(self) -> int:
        return (len(self.ds) + self.bs - 1) // self.bs

    def __iter__(self):
        n = len(self.ds)
        idx = torch.randperm(n, generator=self.generator) if self.shuffle else torch.arange(n)
        for i in range(0, n, self.bs):
            yield self.ds[idx[i : i + self.bs]]


class DataBunch:
    """The training and validation DataLoaders, and `c`, the number of classes (outputs)."""

    def __init__(self, train_dl, valid_dl, c: int | None = None):
        self.train_dl, self.valid_dl, self.c = train_dl, valid_dl, c

    @property
    def train_ds(self):
        return self.train_dl.ds

    @property
    def valid_ds(self):
        return self.valid_dl.ds


class Learner:
    """What the Runner trains: a model, its optimizer, the loss function and the data."""

    def __init__(self, model: nn.Module, opt: torch.optim.Optimizer, loss_func, data: DataBunch):
        self.model, self.opt, self.loss_func, self.data = model, opt, loss_func, data


def mnist_databunch(n_train=None, n_valid=None, bs: int = 64, seed: int = 0) -> DataBunch:
    """Real MNIST (normalised with the training statistics) as a DataBunch, c = 10."""
    from courselib.data import get_data, normalize

    x_train, y_train, x_valid, y_valid = get_data(n_train, n_valid)
    x_train, x_valid = normalize(x_train), normalize(x_valid)
    g = torch.Generator().manual_seed(seed)
    train_dl = DataLoader(Dataset(x_train, y_train), bs, shuffle=True, generator=g)
    valid_dl = DataLoader(Dataset(x_valid, y_valid), bs * 2)
    return DataBunch(train_dl, valid_dl, c=10)


def get_model(data: DataBunch, lr: float = 0.5, nh: int = 50):
    """The course's MLP, in -> nh -> ReLU -> c, and plain SGD on its parameters."""
    n_in = data.train_ds.x.shape[1]
    model = nn.Sequential(nn.Linear(n_in, nh), nn.ReLU(), nn.Linear(nh, data.c))
    return model, torch.optim.SGD(model.parameters(), lr=lr)


class CancelTrainException(Exception):
    """Raised by a callback to stop training: after_cancel_train, then after_fit."""


class CancelEpochException(Exception):
    """Raised by a callback during a pass over the data (a batch event): the rest is skipped."""


class CancelBatchException(Exception):
    """Raised by a callback inside one_batch: after_cancel_batch, after_batch, next batch."""


# ## Task 4.1: Callback
class Callback:
    """Base class of every callback. Subclasses define methods named after events.

    _order            callbacks run in increasing _order (ties: the order they were given)
    set_runner(run)   called by Runner.fit before begin_fit; stores the runner as `self.run`
    name              snake case of the class name minus a trailing "Callback":
                      AvgStatsCallback -> "avg_stats", Recorder -> "recorder",
                      Callback -> "callback" (use `camel2snake`)
    cb(event)         calls the method named `event` if the class has one, returns True only
                      if that method returned a truthy value (False when there is no method)
    self.x            an attribute the callback does not have is looked up on the runner
                      (`self.model`, `self.loss`, `self.in_train` ...). Before set_runner this
                      raises AttributeError -- not RecursionError: `self.run` itself is missing
                      then, and looking it up must not go through the runner again.
    Writes are not forwarded: to change the runner's state write `self.run.x = ...`.
    """

    _order = 0

    def set_runner(self, run) -> None:
        self.run = run

    @property
    def name(self) -> str:
        name = re.sub(r"Callback$", "", type(self).__name__)
        return camel2snake(name or "callback")

    def __getattr__(self, k):
        if k == "run" or k.startswith("__"):  # never ask the runner for its own handle or dunders
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {k!r}")
        run = self.__dict__.get("run")
        if run is None:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {k!r} (no runner set yet)"
            )
        return getattr(run, k)

    def __call__(self, event: str) -> bool:
        f = getattr(type(self), event, None)
        return bool(f is not None and f(self))

    def __setattr__(self, k, v):
        # given: a write that would silently shadow the runner's attribute is an error (reads
        # are forwarded to the runner, writes are not -- the course's quiet trap)
        run = self.__dict__.get("run")
        if k != "run" and run is not None and k not in self.__dict__ and hasattr(run, k):
            raise AttributeError(
                f"{type(self).__name__}: writing self.{k} would hide the runner's {k}; "
                f"write self.run.{k} to change the runner's state"
            )
        super().__setattr__(k, v)


# ## Task 4.2: TrainEvalCallback
class TrainEvalCallback(Callback):
    """Keeps the runner's bookkeeping and the model's mode, for every callback after it.

    run.in_train   True during the training pass of an epoch (from begin_epoch on), False
                   during validation (from begin_validate on)
    the model      in train mode for the training pass, in eval mode for validation
    run.n_iter     the number of training batches finished in this fit: 0 from begin_fit on,
                   one more after each training batch (after_batch, cancelled batches too)
    run.n_epochs   how much training is done, in epochs (a float): each epoch starts at its
                   index e (begin_epoch), and each finished training batch adds 1/iters. So
                   training batch i of epoch e sees e + i/iters, and after a training pass cut
                   short after k batches, validation sees e + k/iters.
    Each fit starts afresh: a Runner (and this callback) can fit several times.
    """

    def begin_fit(self):
        self.run.n_epochs = 0.0
        self.run.n_iter = 0

    def begin_epoch(self):
        self.run.n_epochs = float(self.epoch)
        self.model.train()
        self.run.in_train = True

    def after_batch(self):
        if not self.in_train:
            return
        self.run.n_epochs += 1.0 / self.iters
        self.run.n_iter += 1

    def begin_validate(self):
        self.model.eval()
        self.run.in_train = False


# ## Task 4.3: Runner
class Runner:
    """The training loop. Runner(cbs=None, cb_funcs=None); fit(epochs, learn).

    cbs       callbacks (instances); cb_funcs: callables (classes, partials) that make one each.
              A TrainEvalCallback of its own comes first (before the callbacks given, so a
              callback with the default _order 0 already sees its bookkeeping); each callback
              made from cb_funcs is also an attribute of the runner under its `name`
              (run.recorder, run.avg_stats ...).
              Every callback is checked with `check_callback` (a misspelled event method is a
              ValueError).
    run(event)  ValueError for a name not in EVENTS; otherwise calls every callback, sorted by
              _order, and returns True if *any* of them returned True (all are called).
    one_batch(xb, yb)  sets run.xb, run.yb; begin_batch; run.pred = model(xb); after_pred;
              run.loss = loss_func(pred, yb); after_loss; in training only: loss.backward(),
              after_backward, opt.step(), after_step, opt.zero_grad().
              CancelBatchException -> after_cancel_batch; after_batch always (finally).
    all_batches(dl)  run.iters = len(dl), one_batch for each (xb, yb);
              CancelEpochException -> after_cancel_epoch.
    fit(epochs, learn)  sets run.epochs, run.learn, run.loss = tensor(0.); set_runner on every
              callback; the events of the module docstring, validation under torch.no_grad();
              CancelTrainException -> after_cancel_train; after_fit always (finally); then
              run.learn = None. epochs must be an int >= 0 (ValueError).
    A Runner can fit several times (other learners, other epochs): each fit starts afresh.
    """

    def __init__(self, cbs=None, cb_funcs=None):
        cbs = listify(cbs)
        for cbf in listify(cb_funcs):
            cb = cbf()
            setattr(self, cb.name, cb)
            cbs.append(cb)
        train_eval = TrainEvalCallback()
        self.train_eval = train_eval
        self.stop, self.cbs = False, [train_eval] + cbs
        for cb in self.cbs:
            check_callback(cb)

    # given: the learner's parts, read through the runner
    @property
    def opt(self):
        return self.learn.opt

    @property
    def model(self):
        return self.learn.model

    @property
    def loss_func(self):
        return self.learn.loss_func

    @property
    def data(self):
        return self.learn.data

    def one_batch(self, xb, yb) -> None:
        try:
            self.xb, self.yb = xb, yb
            self("begin_batch")
            self.pred = self.model(self.xb)
            self("after_pred")
            self.loss = self.loss_func(self.pred, self.yb)
            self("after_loss")
            if not self.in_train:
                return
            self.loss.backward()
            self("after_backward")
            self.opt.step()
            self("after_step")
            self.opt.zero_grad()
        except CancelBatchException:
            self("after_cancel_batch")
        finally:
            self("after_batch")

    def all_batches(self, dl) -> None:
        self.iters = len(dl)
        try:
            for xb, yb in dl:
                self.one_batch(xb, yb)
        except CancelEpochException:
            self("after_cancel_epoch")

    def fit(self, epochs: int, learn: Learner) -> None:
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
        self.epochs, self.learn, self.loss = epochs, learn, torch.tensor(0.0)
        try:
            for cb in self.cbs:
                cb.set_runner(self)
            self("begin_fit")
            for epoch in range(epochs):
                self.epoch = epoch
                if not self("begin_epoch"):
                    self.all_batches(self.data.train_dl)
                with torch.no_grad():
                    if not self("begin_validate"):
                        self.all_batches(self.data.valid_dl)
                self("after_epoch")
        except CancelTrainException:
            self("after_cancel_train")
        finally:
            self("after_fit")
            self.learn = None

    def __call__(self, event: str) -> bool:
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}; events are {', '.join(EVENTS)}")
        res = False
        for cb in sorted(self.cbs, key=lambda c: c._order):
            res = cb(event) or res  # call every callback; True if any returned True
        return res


# ## Task 4.4: accuracy
def accuracy(out: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    """The fraction of rows of `out` whose highest score is at the index yb[i] of their label,
    as a 0-dim floating-point tensor.

    out: (n, c) scores, yb: (n,) integer labels. ValueError on other shapes.
    """
    if out.dim() != 2 or yb.dim() != 1 or out.shape[0] != yb.shape[0]:
        raise ValueError(
            f"accuracy needs out (n, c) and yb (n,), got {tuple(out.shape)} and {tuple(yb.shape)}"
        )
    return (out.argmax(dim=1) == yb).float().mean()


# ## Task 4.5: AvgStats and AvgStatsCallback
class AvgStats:
    """Running averages of the loss and metrics over one pass, weighted by batch size.

    After batches of sizes n_1 ... n_k with losses l_j: avg loss = sum_j n_j l_j / sum_j n_j
    (a short last batch counts less: this is the average over the samples, not the batches).
    all_stats = [total loss, total metric 1, ...] (sums weighted by n_j), count = sum_j n_j,
    avg_stats = all_stats / count; both lists of Python floats (a metric returns a 0-dim tensor:
    keep its value, not the tensor).
    """

    def __init__(self, metrics, in_train: bool):
        self.metrics, self.in_train = listify(metrics), in_train
        self.reset()

    def reset(self) -> None:
        self.tot_loss, self.count = 0.0, 0
        self.tot_mets = [0.0] * len(self.metrics)

    @property
    def all_stats(self) -> list[float]:
        return [self.tot_loss] + self.tot_mets

    @property
    def avg_stats(self) -> list[float]:
        return [o / self.count for o in self.all_stats]

    def accumulate(self, run) -> None:
        """Add one batch: run.xb (its length is the batch size), run.loss, run.pred, run.yb."""
        bn = run.xb.shape[0]
        self.tot_loss += _as_float(run.loss) * bn
        self.count += bn
        for i, m in enumerate(self.metrics):
            self.tot_mets[i] += _as_float(m(run.pred, run.yb)) * bn

    def __repr__(self) -> str:
        if not self.count:
            return ""
        stats = ", ".join(f"{s:.4f}" for s in self.avg_stats)
        return f"{'train' if self.in_train else 'valid'}: [{stats}]"


class AvgStatsCallback(Callback):
    """train_stats and valid_stats: reset at begin_epoch, accumulate at after_loss (the one
    matching run.in_train), and at after_epoch append (train avg_stats, valid avg_stats) to
    `history` (one entry per epoch, over every fit) and print both -- only when `verbose`:
    with verbose=False nothing is printed."""

    def __init__(self, metrics, verbose: bool = True):
        self.train_stats, self.valid_stats = AvgStats(metrics, True), AvgStats(metrics, False)
        self.verbose, self.history = verbose, []

    def begin_epoch(self):
        self.train_stats.reset()
        self.valid_stats.reset()

    def after_loss(self):
        stats = self.train_stats if self.in_train else self.valid_stats
        with torch.no_grad():
            stats.accumulate(self.run)

    def after_epoch(self):
        self.history.append((self.train_stats.avg_stats, self.valid_stats.avg_stats))
        if self.verbose:
            print(f"epoch {self.epoch}: {self.train_stats}  {self.valid_stats}")


# ## Task 4.6: Recorder
class Recorder(Callback):
    """Records, after every *training* batch, the learning rate of the last parameter group
    (`opt.param_groups[-1]['lr']`) in `lrs` and the loss in `losses`, both as Python floats (a
    loss tensor kept in a list would keep its whole autograd graph alive). Both lists start
    empty at begin_fit: after a fit they hold that fit's batches."""

    def begin_fit(self):
        self.lrs, self.losses = [], []

    def after_batch(self):
        if not self.in_train:
            return
        self.lrs.append(float(self.opt.param_groups[-1]["lr"]))
        self.losses.append(self.loss.detach().item())

    # given: plots (real matplotlib figures; save them with courselib.plots.save)
    def plot_lr(self, title: str = "learning rate per training batch"):
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(self.lrs, color="tab:green")
        ax.set(title=title, xlabel="training batch", ylabel="learning rate")
        return fig

    def plot_loss(self, title: str = "training loss"):
        """The loss of every training batch (faint) and its moving average (the trend)."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(self.losses, color="tab:blue", alpha=0.3, lw=0.8, label="per batch")
        ax.plot(smooth(self.losses), color="tab:blue", label="moving average (0.9)")
        ax.set(title=title, xlabel="training batch", ylabel="loss")
        ax.legend(loc="upper right")
        return fig

    def plot(self, skip_last: int = 0, title: str = "LR finder: loss against learning rate"):
        """Loss against learning rate on a log axis: the LR finder's curve."""
        import matplotlib.pyplot as plt

        n = len(self.losses) - skip_last
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(self.lrs[:n], self.losses[:n], color="tab:blue", alpha=0.3, lw=0.8)
        ax.plot(self.lrs[:n], smooth(self.losses[:n]), color="tab:blue")
        ax.set_xscale("log")
        ax.set(title=title, xlabel="learning rate (log scale)", ylabel="training loss")
        return fig


# ## Task 4.7: schedules
def annealer(f):
    """Given (a worked example): turns f(start, end, pos) into sched(start, end) -> f(pos).

    @annealer
    def sched_lin(start, end, pos): ...
    sched_lin(1, 2)(0.25) == 1.25
    """

    def _inner(start, end):
        return partial(f, start, end)

    _inner.__name__, _inner.__doc__ = f.__name__, f.__doc__
    return _inner


@annealer
def sched_lin(start, end, pos):
    """f(pos) = start + (end - start)·pos: a straight line from start (pos = 0) to end (pos = 1).

    Every schedule takes and returns Python floats."""
    return start + pos * (end - start)


@annealer
def sched_cos(start, end, pos):
    """f(pos) = start + (end - start)·(1 - cos(π·pos))/2: half a cosine wave, flat at both
    ends, from start (pos = 0) to end (pos = 1)."""
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


@annealer
def sched_no(start, end, pos):
    """f(pos) = start, whatever pos is."""
    return start


@annealer
def sched_exp(start, end, pos):
    """f(pos) = start·(end/start)^pos: geometric from start to end (both must be > 0, else
    ValueError)."""
    if start <= 0 or end <= 0:
        raise ValueError(f"sched_exp needs start > 0 and end > 0, got start={start}, end={end}")
    return start * (end / start) ** pos


# ## Task 4.8: combine_scheds
def combine_scheds(pcts, scheds):
    """One schedule over pos in [0, 1] made of phases: phase i takes the fraction pcts[i] of the
    run and plays scheds[i] from its own pos 0 to 1.

    With starts s_i = pcts[0] + ... + pcts[i-1], at pos the phase is the last i with
    pcts[i] > 0 and s_i <= pos, and the value is scheds[i]((pos - s_i) / pcts[i]), the phase's
    schedule called with a Python float and its value returned as it is. pos = 1 is the end of
    the last phase (the course's version raised IndexError there).
    ValueError: len(pcts) != len(scheds), a negative pct, pcts not summing to 1 within 1e-6
    ([0.7, 0.2, 0.1] sums to 0.9999999999999999 in floating point: it is fine);
    the returned function raises ValueError for pos outside [0, 1].
    Example, one cycle: combine_scheds([0.3, 0.7], [sched_cos(0.3, 0.6), sched_cos(0.6, 0.2)]).
    """
    pcts, scheds = listify(pcts), listify(scheds)
    if len(pcts) != len(scheds) or not pcts:
        raise ValueError(f"combine_scheds: {len(pcts)} pcts but {len(scheds)} scheds")
    if any(p < 0 for p in pcts):
        raise ValueError(f"combine_scheds: pcts must be >= 0, got {pcts}")
    if abs(sum(pcts) - 1) > 1e-6:
        raise ValueError(f"combine_scheds: pcts must sum to 1, got {pcts} (sum {sum(pcts)})")
    starts = [sum(pcts[:i]) for i in range(len(pcts))]

    def _inner(pos):
        if not 0 <= pos <= 1:
            raise ValueError(f"schedule position must be in [0, 1], got {pos}")
        idx = max(i for i in range(len(pcts)) if pcts[i] > 0 and starts[i] <= pos)
        return scheds[idx](min((pos - starts[idx]) / pcts[idx], 1.0))

    return _inner


# ## Task 4.9: ParamScheduler
class ParamScheduler(Callback):
    """Sets hyper-parameter `pname` (e.g. 'lr') of every parameter group before each training
    batch to sched(n_epochs / epochs), the fraction of training done.

    sched_funcs: one schedule for all groups, or a list/tuple with one per group (a different
    length from opt.param_groups is a ValueError at begin_fit). `_order` = 1: after
    TrainEvalCallback has updated n_epochs. Keeps `sched_funcs` as given (never replaced by a
    list made for one optimizer): the same scheduler can serve fits of different optimizers.
    """

    _order = 1

    def __init__(self, pname: str, sched_funcs):
        self.pname, self.sched_funcs = pname, sched_funcs

    def begin_fit(self):
        groups = self.opt.param_groups
        if isinstance(self.sched_funcs, (list, tuple)):
            if len(self.sched_funcs) != len(groups):
                raise ValueError(
                    f"ParamScheduler: {len(self.sched_funcs)} schedules for {len(groups)} "
                    "parameter groups"
                )
            self.funcs = list(self.sched_funcs)
        else:
            self.funcs = [self.sched_funcs] * len(groups)

    def begin_batch(self):
        if not self.in_train:
            return
        pos = self.n_epochs / self.epochs
        for pg, f in zip(self.opt.param_groups, self.funcs):
            pg[self.pname] = f(pos)


# ## Task 4.10: LR_Find
class LR_Find(Callback):
    """The learning-rate finder: train with an exponentially growing lr and watch the loss.

    begin_fit    save copies of the model's and the optimizer's state (state_dict()s, deep
                 copied: state_dict() returns the live tensors)
    begin_batch  training only: every group's lr = min_lr·(max_lr/min_lr)^(n_iter/max_iter)
    after_step   raise CancelTrainException if n_iter >= max_iter or loss > 10 * best loss so
                 far; otherwise best = min(best, loss). So batches n_iter = 0 ... max_iter are
                 trained (the last at max_lr) unless the loss diverges first.
    after_fit    load the saved states back: the model and optimizer are as before the search.
    `_order` = 1. Record the curve with a Recorder. max_iter >= 1 and 0 < min_lr < max_lr, else
    ValueError. Every search starts afresh at begin_fit: the finder can be fitted again.
    """

    _order = 1

    def __init__(self, max_iter: int = 100, min_lr: float = 1e-6, max_lr: float = 10):
        if max_iter < 1:
            raise ValueError(f"LR_Find: max_iter must be >= 1, got {max_iter}")
        if not 0 < min_lr < max_lr:
            raise ValueError(f"LR_Find: need 0 < min_lr < max_lr, got {min_lr}, {max_lr}")
        self.max_iter, self.min_lr, self.max_lr = max_iter, min_lr, max_lr
        self.best_loss = math.inf

    def begin_fit(self):
        self.best_loss = math.inf
        self.saved_model = copy.deepcopy(self.model.state_dict())
        self.saved_opt = copy.deepcopy(self.opt.state_dict())

    def begin_batch(self):
        if not self.in_train:
            return
        pos = self.n_iter / self.max_iter
        lr = self.min_lr * (self.max_lr / self.min_lr) ** pos
        for pg in self.opt.param_groups:
            pg["lr"] = lr

    def after_step(self):
        loss = self.loss.detach().item()
        if self.n_iter >= self.max_iter or loss > 10 * self.best_loss:
            raise CancelTrainException()
        self.best_loss = min(self.best_loss, loss)

    def after_fit(self):
        self.model.load_state_dict(self.saved_model)
        self.opt.load_state_dict(self.saved_opt)
