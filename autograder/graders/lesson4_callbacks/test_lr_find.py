"""LR_Find: an exponentially growing learning rate, stopped at max_iter or when the loss
diverges, with the model and the optimizer restored afterwards.

Inputs drawn: max_iter in 5..20, min_lr = 10^U(-7, -4), max_lr = 10^U(-1, 1); an optimizer
(SGD, momentum 0.9) with two parameter groups; scripted training losses (the probe returns
pred·0 + the drawn value: gradients are zero, so only the lrs and the stop matter): steady, or
a first loss far above the rest, a best b, then 9.5·b (no stop) and one in [10.5, 20]·b (stop);
for the restore, the real MSE loss on a model warmed up by one step (momentum buffers exist).

Expected: lr of every group at training batch n_iter = min_lr·(max_lr/min_lr)^(n_iter/max_iter)
(rtol 1e-9: a few float64 operations, ~1e-14 even written as exp/log); batches n_iter = 0 ...
max_iter trained with a steady loss, then a stop (no exception leaves fit); a stop right after
the first loss > 10x the best so far (not the first loss); parameters, momentum buffers and
lrs after the search exactly as before (they are restored copies, not recomputed); a second
search starts afresh (a best loss kept from the first one stops it at once); ValueError for
max_iter < 1 or not 0 < min_lr < max_lr.
"""

import torch

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import points, task, visible
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import Search


def _search(rng, losses=None, extra=10) -> Search:
    max_iter = _draw.integer(rng, 5, 20)
    min_lr, max_lr = 10 ** _draw.uniform(rng, -7, -4), 10 ** _draw.uniform(rng, -1, 1)
    steady = [_draw.uniform(rng, 0.5, 2.0)]
    return Search(max_iter, min_lr, max_lr, losses or steady, max_iter + extra, 1)


def _expect_lrs(expect, got, search, what):
    n = min(len(got.lrs), search.max_iter + 1)
    want = [
        [search.min_lr * (search.max_lr / search.min_lr) ** (i / search.max_iter)] * 2
        for i in range(n)
    ]
    expect.close(
        torch.tensor(got.lrs[:n], dtype=torch.float64),
        torch.tensor(want, dtype=torch.float64),
        what=f"every group's lr {what}",
        against="min_lr·(max_lr/min_lr)^(n_iter/max_iter)",
        rtol=1e-9,
        atol=0,
    )


def _expect_stop_at_max_iter(expect, got, search, what):
    expect.equal(got.escaped, None, what=f"what left fit {what}", category="error")
    expect.equal(
        len(got.lrs),
        search.max_iter + 1,
        what=f"the batches trained {what} (n_iter = 0 ... max_iter)",
    )


@task("LR_Find")
@points(2)
def test_exponential_lrs(expect, student, rng):
    """lr = min_lr (max_lr/min_lr)^(n_iter/max_iter) at every batch, in every group"""
    search = _search(rng)
    _expect_lrs(expect, student.probe(probes.lr_search, [search])[0], search, "of each batch")


@task("LR_Find")
def test_stops_at_max_iter(expect, student, rng):
    """with a steady loss it trains the batches n_iter = 0 ... max_iter and stops"""
    search = _search(rng)
    _expect_stop_at_max_iter(expect, student.probe(probes.lr_search, [search])[0], search, "")


@task("LR_Find")
@points(2)
def test_stops_on_divergence(expect, student, rng):
    """stops after the first loss above 10x the best so far"""
    k, best = _draw.integer(rng, 4, 12), _draw.uniform(rng, 1, 2)
    first = [_draw.uniform(rng, 50, 100)]  # far above the rest: compare with the best, not it
    middle = [_draw.uniform(rng, best, 4 * best) for _ in range(k - 3)]
    close = [best, 9.5 * best]  # the best, then just under 10x it: no stop yet
    stop = [_draw.uniform(rng, 10.5, 20) * best]  # batch k: the first loss > 10x the best
    losses = first + middle + close + stop + [best] * 40
    search = Search(60, 1e-6, 10.0, losses, 70, 1)
    got = student.probe(probes.lr_search, [search])[0]
    expect.equal(
        len(got.lrs),
        k + 1,
        what="the batches trained (the last: the first loss > 10x the best so far)",
    )


@task("LR_Find")
@points(2)
@visible
def test_restores_the_model(expect, student, rng):
    """afterwards the model and the optimizer are as before the search"""
    before, after = student.probe(
        probes.lr_restore, _draw.integer(rng, 8, 15), _draw.integer(rng, 0, 999)
    )
    for name, b, a in [
        ("parameter", before.params, after.params),
        ("momentum buffer", before.momentum, after.momentum),
    ]:
        expect.equal(len(a), len(b), what=f"the {name}s after the search")
        for p, q in zip(a, b):
            expect.close(p, q, what=f"a {name} after the search", against="before", rtol=0, atol=0)
    expect.equal(after.lrs, before.lrs, what="the optimizer's lrs after the search")


@task("LR_Find")
def test_search_again(expect, student, rng):
    """a second search starts afresh: same lrs, stop at max_iter"""
    first = _search(rng)
    second = Search(
        first.max_iter, first.min_lr, first.max_lr, [_draw.uniform(rng, 20, 40)], first.n_batches, 1
    )
    got = student.probe(probes.lr_search, [first, second])[1]
    _expect_stop_at_max_iter(expect, got, second, "in a second search with higher losses")
    _expect_lrs(expect, got, second, "in a second search")


@task("LR_Find")
def test_bad_arguments(expect, student, rng):
    """max_iter < 1 or not 0 < min_lr < max_lr is a ValueError"""
    lr = _draw.uniform(rng, 0.01, 1)
    for kwargs in [{"max_iter": 0}, {"min_lr": lr, "max_lr": lr / 10}, {"min_lr": 0.0}]:
        expect.raises(
            lambda: student.probe(probes.lr_find_made, kwargs), ValueError, f"for {kwargs}"
        )
