"""Reading the recorded histograms: get_hist (the counts as an image, log1p, (bins, batches)),
dead_bins(sub) (the bin holding -sub, clamped, and one bin either side) and get_min(hook, sub)
(per batch, the share of its counts in dead_bins(sub); 0 for a batch with no counts).

Inputs: histograms of random counts (0..49 per bin, 2..6 batches) handed to the student's
functions in a hook-like object (no Hook, no append_stats: only the function under test runs);
histograms of outputs with a drawn share (0.2..0.8) sitting exactly at -sub; subs 0, 0.4,
values beyond either end of the histogram and random ones, none on a bin edge (there the bin
depends on the order of the float operations, which the docstring does not fix).

Tolerances: get_hist and get_min are float32 results of at most 40 additions and one log1p or
division of exact integer counts, so they agree with the judge's to a few float32 ulps
(~1e-7 relative): 1e-6. dead_bins is exact.
"""

import torch

from autograder.grading import points, task
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes

F32 = dict(rtol=1e-6, atol=1e-6)


def _counts(rng, n=None):
    n = n or draw.integer(rng, 2, 6)
    return [torch.randint(0, 50, (draw.HIST_BINS,), generator=rng).float() for _ in range(n)]


def _share(hists, sub):
    """Per batch, the share of its counts in the dead band of sub (0 where it has none)."""
    h = torch.stack(hists).t()
    lo, hi = draw.dead_band(sub)
    return h[lo:hi].sum(0) / h.sum(0).clamp_min(1)


@task("get_hist")
def test_get_hist(student, rng, expect):
    """stacks the histograms as (bins, n_batches), log1p of the counts"""
    hists = _counts(rng)
    got = student.probe(probes.hist_of, hists)
    want = torch.stack(hists).t().log1p()
    expect.close(got, want, against="log1p of the counts, one column per batch", **F32)


@task("dead_bins")
def test_dead_bins(student, rng, expect):
    """the bin holding -sub and one either side, clamped to the histogram"""
    subs = [0.0, 0.4, 10.0, -0.2, -8.0] + [draw.sub_off_edges(rng, 0.05, 3) for _ in range(3)]
    got = student.probe(probes.bins_for, subs)
    for sub, bins in zip(subs, got):
        expect.equal(bins, list(draw.dead_band(sub)), what=f"dead_bins({sub})")


@task("get_min")
@points(2)
def test_get_min_of_counts(student, rng, expect):
    """per batch, the share of the counts in dead_bins(sub)"""
    hists = _counts(rng, draw.integer(rng, 3, 6))
    for sub in (0.0, 0.4, draw.sub_off_edges(rng, 0.5, 2)):
        got = student.probe(probes.min_of, hists, sub)
        expect.close(got, _share(hists, sub), what=f"get_min(h, {sub})", **F32)


@task("get_min")
def test_get_min_finds_outputs_at_minus_sub(student, rng, expect):
    """a known share of outputs sitting at -sub is reported as dead"""
    sub, hists = draw.sub_off_edges(rng, 0.2, 1.5), []
    for _ in range(draw.integer(rng, 2, 4)):
        out = torch.randn(200, generator=rng, dtype=draw.F64) * 2 + 3
        dead = torch.rand(200, generator=rng) < draw.uniform(rng, 0.2, 0.8)
        out[dead] = -sub
        hists.append(draw.histogram(out))
    got = student.probe(probes.min_of, hists, sub)
    expect.close(got, _share(hists, sub), what="get_min", against="the share near -sub", **F32)


@task("get_min")
def test_get_min_of_an_empty_batch(student, rng, expect):
    """a batch with no counted values (all outside the histogram) gives 0"""
    hists = _counts(rng, 3)
    hists[draw.integer(rng, 0, 2)] = torch.zeros(draw.HIST_BINS)
    got = student.probe(probes.min_of, hists, 0.0)
    expect.close(got, _share(hists, 0.0), what="get_min", **F32)
