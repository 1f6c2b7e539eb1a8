"""Inputs the lesson 4 graders draw, all from the test's `rng`."""

from __future__ import annotations

import torch

from courselib.lesson4_callbacks import TRAIN_BATCH, VALID_BATCH, FitPlan, Regression, Step

F64 = torch.float64
CANCELLED_BATCH = ("begin_batch", "after_pred", "after_cancel_batch", "after_batch")


def integer(rng, lo: int, hi: int) -> int:
    """Uniform in lo..hi (both included)."""
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def uniform(rng, lo: float, hi: float) -> float:
    return lo + (hi - lo) * float(torch.rand(1, generator=rng, dtype=F64))


def permutation(rng, n: int) -> list[int]:
    return torch.randperm(n, generator=rng).tolist()


def n_batches(n: int, bs: int) -> int:
    return (n + bs - 1) // bs


def fit_plan(rng, **settings) -> FitPlan:
    """2-3 epochs of 2-3 training and 1-2 validation batches of 2-4 samples, the last batch of
    each pass one sample short; `settings` fill the other FitPlan fields."""
    bs = integer(rng, 2, 4)
    n_train, n_valid = bs * integer(rng, 2, 3) - 1, bs * integer(rng, 1, 2) - 1
    return FitPlan(integer(rng, 2, 3), n_train, n_valid, bs, **settings)


def passes(plan: FitPlan) -> tuple[int, int]:
    """(training batches, validation batches) of one epoch of `plan`."""
    return n_batches(plan.n_train, plan.bs), n_batches(plan.n_valid, plan.bs)


def regression(rng, *, lr: float, momentum: float = 0.0, epochs: int = 2) -> Regression:
    """Linear(k, 1) data in float64, k in 2..5, 3-5 training batches (the last one short) and a
    short validation pass; first weights drawn too."""
    k, bs = integer(rng, 2, 5), integer(rng, 3, 6)
    n, nv = bs * integer(rng, 3, 5) - integer(rng, 1, bs - 1), bs + 1

    def randn(*shape):
        return torch.randn(*shape, generator=rng, dtype=F64)

    x, xv = randn(n, k), randn(nv, k)
    w = randn(1, k)
    y, yv = x @ w.T + 0.3 * randn(n, 1), xv @ w.T + 0.3 * randn(nv, 1)
    return Regression(x, y, xv, yv, randn(1, k), randn(1), lr, momentum, bs, epochs)


def train_eval_steps(rng, *, fits: int = 1, cut: bool = False) -> list[Step]:
    """The events a TrainEvalCallback hears in `fits` fits of 2-3 epochs (training passes of
    2-4 batches, validation of 1-3). With `cut`, each epoch's training pass may end early: a
    cancelled batch (begin_batch, after_pred, after_cancel_batch, after_batch), a pass stopped
    after k of its batches (after_cancel_epoch), or skipped (begin_epoch returned True)."""
    steps: list[Step] = []
    for _ in range(fits):
        steps.append(Step("begin_fit", 0, 0))
        epochs, iters = integer(rng, 2, 3), 0
        for e in range(epochs):
            nt, nv = integer(rng, 2, 4), integer(rng, 1, 3)
            steps.append(Step("begin_epoch", e, iters))
            done = integer(rng, 0, nt - 1) if cut and integer(rng, 0, 2) else nt
            for _ in range(done):
                cancelled = cut and integer(rng, 0, 3) == 0
                events = CANCELLED_BATCH if cancelled else TRAIN_BATCH
                steps += [Step(ev, e, nt) for ev in events]
            if 0 < done < nt:
                steps.append(Step("after_cancel_epoch", e, nt))
            steps.append(Step("begin_validate", e, nt))
            steps += [Step(ev, e, nv) for _ in range(nv) for ev in VALID_BATCH]
            steps.append(Step("after_epoch", e, nv))
            iters = nv
        steps.append(Step("after_fit", epochs - 1, iters))
    return steps
