"""Lesson 2's shared vocabulary: the in-place initialisers, what a probe observes of them, and
the deep-stack experiment the notebook plots and the graders run.

    w (out, in [, *kernel])  ->  fill_(w, ...) fills w in place and returns w itself
"""

from __future__ import annotations

import math
from typing import Callable

import torch

from courselib.records import record

# The functions that fill a weight in place (torch.nn.init's names); mode picks the fan.
FILLERS = ("kaiming_normal_", "kaiming_uniform_", "xavier_normal_")
MODES = ("fan_in", "fan_out")


@record
class Filled:
    """What became of a weight handed to an initialiser."""

    w: torch.Tensor  # the weight after the call (the tensor that was passed in), detached
    returned_w: bool  # the call returned that very tensor object
    returned: str  # type name of what it returned
    same_storage: bool  # w's data pointer is unchanged: it was filled in place
    requires_grad: bool  # w still requires grad (a parameter stays a parameter)


@record
class InitCalls:
    """Functions of torch/nn/init.py that ran during a call (the lesson rule's run-time side)."""

    names: list[str]


@record
class DeepStack:
    """The scale of the activations through a deep stack of layers."""

    stds: torch.Tensor  # (layers run,) float64: std of each layer's output, before its relu


def deep_stack(
    fill: Callable[[torch.Tensor], object],
    *,
    depth: int = 100,
    width: int = 512,
    batch: int = 512,
    relu: bool = True,
) -> torch.Tensor:
    """The std of each layer's output through `depth` layers y = x @ w.T, each w a fresh
    (width, width) tensor filled in place by `fill(w)` (an initialiser; what it returns is not
    used), x (batch, width) the previous layer's output, after a ReLU when `relu`.

    var(y) = width * var(w) * E[x^2]: the init decides whether each layer keeps the scale. The
    first input is x = z ~ N(0, 1) for a linear stack and x = relu(z) for a ReLU stack (what
    every later layer receives there: E[x^2] = 1/2), so a scale-keeping init gives std(y) = 1
    at every layer of either. Returns a (layers run,) float64 tensor, cut short after the first
    layer whose output overflowed to inf or underflowed to 0 (std inf, NaN or 0: nothing later
    can recover). Uses torch's global RNG (seed it for a repeatable run).
    """
    x, stds = torch.randn(batch, width), []
    if relu:
        x = x.clamp_min(0.0)
    for _ in range(depth):
        w = torch.empty(width, width)
        fill(w)
        x = x @ w.t()
        stds.append(x.double().std())  # float64: inf only once x itself overflowed
        if not math.isfinite(stds[-1].item()) or stds[-1].item() == 0:
            break
        if relu:
            x = x.clamp_min(0.0)
    return torch.stack(stds)


def plot_stacks(series: dict, title: str, *, zoom: tuple = (), lo: float = 1e-6, hi: float = 1e6):
    """Left: the std of each layer's output for every {label: stds} on a log scale clipped to
    [lo, hi], a std = 1 line, and where each curve leaves the plot a note of how it ends (inf or
    NaN: overflow; 0: underflow; else its last value). Right: the `zoom` labels on a linear
    scale around 1, where a slow drift is visible. One colour per label in both panels."""
    import matplotlib.pyplot as plt

    fig, (ax, az) = plt.subplots(1, 2, figsize=(13, 5), width_ratios=(3, 2))
    colors = dict(zip(series, plt.rcParams["axes.prop_cycle"].by_key()["color"]))
    below = 0  # notes of curves leaving at the bottom, stacked in the empty lower right
    for label, stds in series.items():
        s = [float(v) for v in stds]
        layers = range(1, len(s) + 1)
        ax.plot(
            layers, [min(max(v, lo / 10), hi * 10) for v in s], color=colors[label], label=label
        )
        out = next((i for i, v in enumerate(s) if not lo <= v <= hi), None)
        if out is None:
            continue
        last = s[-1]
        if last == 0:
            end = f"0 (underflow) at layer {len(s)}"
        elif last != last or last == float("inf"):
            end = f"inf (overflow) at layer {len(s)}"
        else:
            end = f"{last:.0e} at layer {len(s)}"
        top = s[out] > hi
        ax.plot(
            [out + 1],
            [hi if top else lo],
            "^" if top else "v",
            color=colors[label],
            clip_on=False,
            markersize=7,
        )
        if top:
            ax.annotate(
                f"{label}: {end}", (out + 2, hi / 2), color=colors[label], va="top", fontsize=9
            )
        else:
            ax.annotate(
                f"{label}: {end}",
                (0.42, 0.04 + 0.07 * below),
                xycoords="axes fraction",
                color=colors[label],
                fontsize=9,
            )
            below += 1
    ax.axhline(1.0, color="black", linestyle="--", linewidth=1, label="std = 1 (the target)")
    ax.set(yscale="log", ylim=(lo, hi), xlabel="layer", ylabel="std of the layer's output (log)")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    for label in zoom:
        s = [float(v) for v in series[label]]
        az.plot(range(1, len(s) + 1), s, color=colors[label], label=label)
    az.axhline(1.0, color="black", linestyle="--", linewidth=1, label="std = 1")
    az.set(ylim=(0, 2.5), xlabel="layer", ylabel="std of the layer's output (linear)")
    az.set_title("zoom: " + ", ".join(zoom) if zoom else "")
    az.legend(loc="upper right", fontsize=8)
    return fig
