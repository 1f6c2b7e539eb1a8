"""Inputs the lesson 5 graders draw (all from the test's `rng`), and what the judge computes
from them: the outputs of mlp(seed)'s layers, GeneralRelu's formula, the dead band."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from courselib.lesson5_hooks import HIST_BINS, HIST_MAX, HIST_MIN, mlp

F64 = torch.float64


def integer(rng, lo: int, hi: int) -> int:
    """Uniform in lo..hi (both included)."""
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def uniform(rng, lo: float, hi: float, decimals: int = 3) -> float:
    return round(float(torch.empty(1).uniform_(lo, hi, generator=rng)), decimals)


def seed(rng) -> int:
    return integer(rng, 0, 2**31 - 1)


def batch(rng, n: int | None = None, scale: float = 3.0) -> torch.Tensor:
    """(n, 6) float64, n in 3..9: the input of mlp(seed)."""
    n = n or integer(rng, 3, 9)
    return torch.randn(n, 6, generator=rng, dtype=F64) * scale


def layer_outputs(seed_: int, x: torch.Tensor) -> list[torch.Tensor]:
    """The output of every layer of mlp(seed_) for x, computed here."""
    outs, y = [], x
    with torch.no_grad():
        for layer in mlp(seed_):
            y = layer(y)
            outs.append(y)
    return outs


# ---- GeneralRelu --------------------------------------------------------------------------


def relu_settings(rng) -> list[tuple]:
    """The 8 combinations of (leak or None, sub or None, maxv or None) for drawn values."""
    leak, sub, maxv = uniform(rng, 0.01, 0.3), uniform(rng, 0.1, 0.8), uniform(rng, 0.5, 3.0)
    return [(a, b, c) for a in (None, leak) for b in (None, sub) for c in (None, maxv)]


def given(setting: tuple) -> str:
    """'leak, maxv given' for (0.1, None, 6.0): names only, never the hidden values."""
    names = [n for n, v in zip(("leak", "sub", "maxv"), setting) if v is not None]
    return ", ".join(names) + " given" if names else "no arguments"


def relu_input(rng, settings: list[tuple], n: int = 64, dtype=F64) -> torch.Tensor:
    """Values on both sides of every kink (x = 0 and the clamp's x = maxv + sub), none closer
    than 1e-3 to one: there the one-sided derivatives differ and the docstring fixes neither."""
    x = torch.randn(n, generator=rng, dtype=F64) * 3
    kinks = {0.0} | {(m or 0) + (s or 0) for _, s, m in settings if m is not None}
    for kink in kinks:
        x[(x - kink).abs() < 1e-3] = kink + 0.01
    return x.to(dtype)


def general_relu(x: torch.Tensor, leak, sub, maxv) -> torch.Tensor:
    """min(leaky_relu(x, leak) - sub, maxv), each part only when given; torch's own ops."""
    y = F.leaky_relu(x, leak) if leak is not None else F.relu(x)
    if sub is not None:
        y = y - sub
    return y.clamp_max(maxv) if maxv is not None else y


# ---- the telemetry histogram -----------------------------------------------------------------


def dead_band(sub: float) -> tuple[int, int]:
    """(first, last + 1): the bin holding -sub, clamped to the histogram, and its neighbours."""
    c = math.floor((-sub - HIST_MIN) / (HIST_MAX - HIST_MIN) * HIST_BINS)
    c = min(max(c, 0), HIST_BINS - 1)
    return max(c - 1, 0), min(c + 2, HIST_BINS)


def sub_off_edges(rng, lo: float, hi: float) -> float:
    """A sub (3 decimals) whose -sub is not on a bin edge: there the bin depends on the order of
    the float operations, which the docstring does not fix (edges are 0.35 apart)."""
    while True:
        sub = uniform(rng, lo, hi)
        pos = (-sub - HIST_MIN) / (HIST_MAX - HIST_MIN) * HIST_BINS
        if abs(pos - round(pos)) > 1e-6:
            return sub


def histogram(values: torch.Tensor) -> torch.Tensor:
    return values.float().histc(HIST_BINS, HIST_MIN, HIST_MAX)
