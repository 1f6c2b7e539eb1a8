"""AvgStatsCallback (with AvgStats): loss and metrics averaged over the samples of each pass.

Inputs: `_draw.regression(rng, lr=0)`: a fixed Linear(k, 1) (lr 0: the weights never move) on
float64 data, 3-5 training batches of 3-6 samples whose last one is short, a validation pass
whose last batch holds one sample; the metric is the mean of yb (a 0-dim tensor).

Expected, computed here: train avg_stats = [mean over the training samples of the squared
error, mean of y], valid likewise, count = the number of samples -- a per-batch average would
weigh the short last batch like a full one. Python floats, not tensors. The same after every
epoch (statistics start again at begin_epoch); history holds one (train, valid) pair per epoch;
nothing is printed with verbose=False, something with verbose=True. Tolerance rtol 1e-9: the
student sums n_j·l_j in float64 in another order than the judge's one mean (error ~1e-15).
"""

import torch

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import points, task
from autograder.probes import lesson4_callbacks as probes

TOL = dict(rtol=1e-9, atol=1e-12)


def _averages(reg, which: str) -> torch.Tensor:
    x, y = (reg.x_train, reg.y_train) if which == "train" else (reg.x_valid, reg.y_valid)
    return torch.stack([((x @ reg.weight.T + reg.bias - y) ** 2).mean(), y.mean()])


def _expect_stats(expect, got, reg, which, when):
    what = f"{which} avg_stats [loss, metric] {when}"
    expect.that(
        isinstance(got, (list, tuple)) and all(type(v) is float for v in got),
        f"{what} should be a list of Python floats",
        f"got {[type(v).__name__ for v in got] if isinstance(got, (list, tuple)) else got!r}",
        category="type",
    )
    want = _averages(reg, which)
    expect.close(
        torch.tensor(got, dtype=want.dtype),
        want,
        what=what,
        against="the average over samples",
        **TOL,
    )


def _expect_last_epoch(expect, student, reg, when):
    got = student.probe(probes.avg_stats, reg)
    _expect_stats(expect, got.train, reg, "train", when)
    _expect_stats(expect, got.valid, reg, "valid", when)
    counts = [len(reg.x_train), len(reg.x_valid)]
    expect.equal([got.train_count, got.valid_count], counts, what=f"the counts {when}")


@task("AvgStatsCallback")
@points(2)
def test_weighted_by_batch_size(expect, student, rng):
    """loss and metrics averaged over samples, a short last batch counting less"""
    reg = _draw.regression(rng, lr=0.0, epochs=1)
    _expect_last_epoch(expect, student, reg, "after one epoch")


@task("AvgStatsCallback")
def test_reset_every_epoch(expect, student, rng):
    """the statistics start again at every epoch"""
    reg = _draw.regression(rng, lr=0.0, epochs=_draw.integer(rng, 2, 3))
    _expect_last_epoch(expect, student, reg, f"after epoch {reg.epochs} (the same as one)")


@task("AvgStatsCallback")
def test_history(expect, student, rng):
    """history holds (train avg_stats, valid avg_stats) of every epoch"""
    reg = _draw.regression(rng, lr=0.0, epochs=_draw.integer(rng, 2, 3))
    got = student.probe(probes.avg_stats_history, reg)
    expect.equal(len(got), reg.epochs, what="the entries in history (one per epoch)")
    for e, entry in enumerate(got):
        expect.equal(len(entry), 2, what=f"history[{e}]: (train, valid)")
        _expect_stats(expect, entry[0], reg, "train", f"in history[{e}]")
        _expect_stats(expect, entry[1], reg, "valid", f"in history[{e}]")


@task("AvgStatsCallback")
def test_prints_only_when_verbose(expect, student, rng):
    """with verbose=False nothing is printed; with verbose=True the stats are"""
    reg = _draw.regression(rng, lr=0.0, epochs=_draw.integer(rng, 1, 2))
    quiet = student.probe(probes.avg_stats_printed, reg, False)
    expect.equal(quiet, "", what="what a fit with AvgStatsCallback(verbose=False) printed")
    loud = student.probe(probes.avg_stats_printed, reg, True)
    expect.that(loud.strip() != "", "AvgStatsCallback(verbose=True) should print the statistics")
