"""Lesson 4's shared vocabulary: the Runner's events, the schedules, and what the probes observe.

Used by the module `callbacks.py` (EVENTS, camel2snake), the notebook (smooth), the visible
tests (listener, batches), the probes (which build listeners and return the records below) and
the graders (which draw the plans and compare the records). Nothing here is a task.

    TRAIN_BATCH, VALID_BATCH       the events of one training / one validation batch
    CANCELS                        cancel exception -> the event the Runner calls when it is caught
    EVENTS                         every event a Runner calls, those of a fit without cancels first
    SCHEDULES                      the lesson's schedule functions (annealers)
    camel2snake(name)              'AvgStats' -> 'avg_stats': how a callback gets its `name`
    batches(x, y, bs)              [(xb, yb), ...]: a plain list serves as a DataLoader
    listener(base, hear, order)    a Callback subclass with a method for every event
    small_learner(mod, ...)        a Learner of `mod` for a Linear(3, 1) on fixed random data
    smooth(values, beta)           the debiased moving average of a noisy curve (for plots)
    MNIST, mnist_mlp()             the graded MNIST run: its sizes and the course's MLP
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import nn

from courselib.records import record

TRAIN_BATCH = (
    "begin_batch",
    "after_pred",
    "after_loss",
    "after_backward",
    "after_step",
    "after_batch",
)
VALID_BATCH = ("begin_batch", "after_pred", "after_loss", "after_batch")  # no backward, no step
CANCELS = {
    "CancelBatchException": "after_cancel_batch",
    "CancelEpochException": "after_cancel_epoch",
    "CancelTrainException": "after_cancel_train",
}
EVENTS = ("begin_fit", "begin_epoch", *TRAIN_BATCH, "begin_validate", "after_epoch", "after_fit")
EVENTS += tuple(CANCELS.values())
SCHEDULES = ("sched_lin", "sched_cos", "sched_no", "sched_exp")


def camel2snake(name: str) -> str:
    """'AvgStats' -> 'avg_stats', 'TrainEval' -> 'train_eval', 'MyHTTP' -> 'my_http'."""
    words = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", words).lower()


def batches(x, y, bs: int) -> list:
    """[(x[0:bs], y[0:bs]), (x[bs:2bs], ...), ...]; the last batch may be shorter."""
    return [(x[i : i + bs], y[i : i + bs]) for i in range(0, len(x), bs)]


def listener(base: type, hear, order: int = 5, name: str = "Listener") -> type:
    """A subclass of `base` (a module's Callback) with `_order = order` and one method per event
    in EVENTS; each calls hear(callback, event) and returns what it returns."""

    def method(event):
        def on_event(self):
            return hear(self, event)

        on_event.__name__ = event
        return on_event

    return type(name, (base,), {"_order": order, **{e: method(e) for e in EVENTS}})


def small_learner(mod, n_train, n_valid, bs, *, lr=0.1, momentum=0.0, loss_func=None, groups=1):
    """mod.Learner for a float64 Linear(3, 1) on fixed random data (n_train training and n_valid
    validation samples in batches of bs), SGD with 1 group or 2 (weight, bias), MSE loss."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n_train + n_valid, 3, generator=g, dtype=torch.float64)
    y = torch.randn(n_train + n_valid, 1, generator=g, dtype=torch.float64)
    torch.manual_seed(0)
    model = nn.Linear(3, 1).double()
    params = [{"params": [model.weight]}, {"params": [model.bias]}]
    opt = torch.optim.SGD(params if groups == 2 else model.parameters(), lr=lr, momentum=momentum)
    train, valid = batches(x[:n_train], y[:n_train], bs), batches(x[n_train:], y[n_train:], bs)
    return mod.Learner(model, opt, loss_func or F.mse_loss, mod.DataBunch(train, valid))


def smooth(values, beta: float = 0.9) -> list[float]:
    """Exponential moving average with the start-up bias removed: the trend of a noisy loss."""
    out, avg = [], 0.0
    for i, v in enumerate(values, 1):
        avg = beta * avg + (1 - beta) * float(v)
        out.append(avg / (1 - beta**i))
    return out


# The graded MNIST run: one epoch of Runner().fit on the first n_train training images, SGD in
# shuffled batches of bs with the lr annealed from peak_lr to 0 along half a cosine (so the
# result does not hang on the last few noisy steps), accuracy on the first n_valid validation
# images.
MNIST = SimpleNamespace(n_train=10_000, n_valid=2_000, bs=32, peak_lr=0.2, hidden=50)


def mnist_mlp() -> nn.Sequential:
    """The course's MLP for MNIST: 784 -> hidden -> ReLU -> 10 (torch's default init)."""
    return nn.Sequential(nn.Linear(784, MNIST.hidden), nn.ReLU(), nn.Linear(MNIST.hidden, 10))


# ---- what the probes observe (autograder/probes/lesson4_callbacks.py) -----------------------


@record
class FitPlan:
    """One fit of a small regression Learner (Linear, MSE, SGD) heard by two listeners: A with
    `_order` = order (given first) and B with order + 1."""

    epochs: int
    n_train: int  # training samples, in batches of bs (the last one may be shorter)
    n_valid: int
    bs: int
    order: int = 5
    raise_event: str | None = None  # A raises `exc` the `raise_on`-th time it hears this event
    raise_on: int = 1
    exc: str | None = None  # a cancel exception of the module, or "RuntimeError"
    skip_train: tuple = ()  # epochs in which A returns True from begin_epoch
    skip_valid: tuple = ()  # epochs in which A returns True from begin_validate


@record
class Heard:
    """The runner's state as one listener found it at one event (None: not set yet)."""

    who: str  # "A" or "B"
    event: str
    in_train: object
    n_epochs: object
    n_iter: object
    training: bool  # the model's mode
    grad: bool  # torch.is_grad_enabled()


@record
class FitEvents:
    heard: list  # [Heard], in the order heard
    escaped: str | None  # the type of the exception that left fit, None when fit returned


@record
class Refit:
    """The same Runner fitted once per plan, each time on a new Learner."""

    fits: list  # [FitEvents]
    callbacks: list  # per fit, the type names in run.cbs afterwards


@record
class Step:
    """One event as a TrainEvalCallback hears it, with the runner's epoch and iters then."""

    event: str
    epoch: int
    iters: int


@record
class Bookkeeping:
    """The runner's state right after TrainEvalCallback handled one Step."""

    in_train: object
    n_epochs: object
    n_iter: object
    training: bool


@record
class Delegation:
    """A plain Callback subclass: reading an attribute before set_runner, after set_runner(run)
    (the runner's attributes, the callback's own, one that neither has)."""

    before: str  # what reading cb.<name> did before set_runner: "no error" or the exception
    stored: bool  # cb.run is the runner given to set_runner
    looked_up: list  # cb.<name> for each of the runner's attributes
    own: object  # cb.<name> for an attribute the callback set on itself before set_runner
    missing: str  # what reading an attribute nobody has did


@record
class Regression:
    """A Linear(k, 1) regression in float64: data, first weights, SGD settings, epochs."""

    x_train: object
    y_train: object
    x_valid: object
    y_valid: object
    weight: object  # (1, k)
    bias: object  # (1,)
    lr: float
    momentum: float
    bs: int
    epochs: int


@record
class Stats:
    """AvgStatsCallback(metrics=[mean of yb]) after fitting a fixed model (lr 0)."""

    train: object  # train_stats.avg_stats after the last epoch, as returned
    valid: object
    train_count: object
    valid_count: object


@record
class Recorded:
    lrs: object  # recorder.lrs, as kept
    losses: object  # recorder.losses, as kept
    graph: list  # per loss: a tensor that still requires grad (keeps the autograd graph)
    heard: list  # run.loss at after_loss of each training batch (detached copies)


@record
class SchedFit:
    """One fit of a Linear(3, 1) whose SGD optimizer has n_groups parameter groups."""

    epochs: int
    n_train: int
    bs: int
    n_groups: int


@record
class Search:
    """LR_Find(max_iter, min_lr, max_lr) on batches whose training losses are `losses` (batch
    i gets losses[i], gradients zero), for at most `epochs` epochs of n_batches."""

    max_iter: int
    min_lr: float
    max_lr: float
    losses: list
    n_batches: int
    epochs: int


@record
class Searched:
    lrs: list  # every group's lr at after_pred of each training batch
    escaped: str | None


@record
class Snapshot:
    params: list
    momentum: list  # the optimizer's momentum buffers
    lrs: list  # the groups' lrs
