"""append_stats(hook, module, inp, outp): in training mode only, append to hook.stats =
(means, stds, hists) the mean, the unbiased std (Python floats) and the histogram (HIST_BINS
bins over [HIST_MIN, HIST_MAX], a float tensor on the cpu) of the module's output; nothing it
records may hold on to the autograd graph.

Inputs: mlp(seed) (courselib.lesson5_hooks: float64, weights from a seed drawn here), every one
of its 5 layers hooked with torch's own register_forward_hook (not the student's Hook, so only
append_stats is graded here), fed 2..4 training batches (N, 6), N in 3..9, each with its own
scale in 1..6 (outputs spread over many bins), with autograd on as in training; for the mode
check, eval batches before and after them. The judge recomputes every layer's output.

Tolerances: means and stds are float64 statistics of at most 81 float64 values, equal to the
judge's but for summation order (~1e-16 relative): rtol 1e-9. Histograms are counts: a value
within float32 rounding of a bin edge may land in the neighbouring bin depending on the dtype
histc ran in, so each bin may differ by one count (atol 1); a wrong range, input or layer moves
many counts.
"""

import pytest
import torch

from autograder.grading import DEVICES, points, task, visible
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes

STATS = dict(rtol=1e-9, atol=1e-12)


def _batches(rng):
    return [draw.batch(rng, scale=draw.uniform(rng, 1, 6)) for _ in range(draw.integer(rng, 2, 4))]


def _number(expect, value, what):
    """A recorded mean or std as a float64 tensor (a float, or a one-element tensor)."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    is_scalar = isinstance(value, torch.Tensor) and value.numel() == 1
    expect.that(is_number or is_scalar, f"{what} should be a number", category="type")
    return torch.tensor(float(value), dtype=draw.F64)


def _check_layers(expect, stats, seed, xs):
    """Each layer's recorded means, stds and hists are those of its outputs for xs."""
    outs = [draw.layer_outputs(seed, x) for x in xs]
    for k, layer in enumerate(stats):
        expect.that(layer.means is not None, "hook.stats should be set on the first call")
        for name in ("means", "stds", "hists"):
            got = len(getattr(layer, name))
            expect.equal(got, len(xs), what=f"entries in {name} (one per training batch)")
        for t in range(len(xs)):
            out = outs[t][k]
            where = f"(layer {k}, batch {t})"
            mean = _number(expect, layer.means[t], f"a recorded mean {where}")
            std = _number(expect, layer.stds[t], f"a recorded std {where}")
            expect.close(mean, out.mean(), what=f"the mean {where}", **STATS)
            expect.close(
                std, out.std(), what=f"the std {where}", against="the unbiased std", **STATS
            )
            expect.close(
                layer.hists[t],
                draw.histogram(out),
                what=f"the histogram {where}",
                against=f"the counts in {draw.HIST_BINS} bins over [-7, 7]",
                rtol=0,
                atol=1,
                check_dtype=False,
            )


@task("append_stats")
@points(3)
def test_records_mean_std_histogram(student, rng, expect):
    """records mean, std and histogram of each layer's output per training batch"""
    seed, xs = draw.seed(rng), _batches(rng)
    stats = student.probe(probes.stats_run, seed, [(x, True) for x in xs])
    _check_layers(expect, stats, seed, xs)


@task("append_stats")
@visible
def test_records_training_batches_only(student, rng, expect):
    """records nothing for forwards in eval mode (validation batches)"""
    seed, xs = draw.seed(rng), _batches(rng)
    before, after = draw.batch(rng), draw.batch(rng)
    plan = [(before, False)] + [(x, True) for x in xs] + [(after, False)]
    stats = student.probe(probes.stats_run, seed, plan)
    _check_layers(expect, stats, seed, xs)


@task("append_stats")
def test_records_plain_numbers(student, rng, expect):
    """means and stds are Python floats, histograms tensors without autograd history"""
    stats = student.probe(probes.stats_run, draw.seed(rng), [(x, True) for x in _batches(rng)])
    for k, layer in enumerate(stats):
        for name, kinds in (("means", layer.mean_kinds), ("stds", layer.std_kinds)):
            expect.that(kinds is not None, "hook.stats should be set on the first call")
            bad = [kind for kind in kinds if kind != "float"]
            expect.that(
                not bad,
                f"{name} should hold Python floats",
                f"layer {k} holds {bad[0] if bad else ''}",
                category="type",
            )
        graph = [kind for kind in layer.hist_kinds if kind != "Tensor"]
        expect.that(
            not graph,
            "hists should hold tensors detached from the autograd graph",
            f"layer {k} holds {graph[0] if graph else ''}",
            category="type",
        )


@task("append_stats")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_on_device(student, rng, expect, device):
    """on the GPU: the same statistics, histograms kept on the cpu"""
    seed, xs = draw.seed(rng), _batches(rng)
    stats = student.probe(probes.stats_run, seed, [(x, True) for x in xs], device)
    _check_layers(expect, stats, seed, xs)
