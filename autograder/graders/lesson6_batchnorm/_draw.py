"""The inputs the judge draws, all from the test's `rng`.

Channel counts are drawn from 2 up: at C = 1 a layer that pools its statistics over the channels
(one mean for the whole layer, a GroupNorm of one group) gives the right numbers, so a grading
that happened to draw C = 1 would test nothing about the channel dimension.
"""

from __future__ import annotations

import torch

from courselib.lesson6_batchnorm import Step
from courselib.records import fields, is_record

F64 = torch.float64


def integer(rng, lo: int, hi: int) -> int:
    """Uniform in lo..hi, both included."""
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def uniform(rng, lo: float, hi: float) -> float:
    return float(torch.empty(1, dtype=F64).uniform_(lo, hi, generator=rng))


def channels(rng, hi: int = 5) -> int:
    return integer(rng, 2, hi)


def eps(rng, lo: int = 3, hi: int = 6) -> float:
    """10^-k, k in lo..hi: a layer that ignores its eps argument differs."""
    return 10.0 ** -integer(rng, lo, hi)


def images(rng, n: int, c: int, h: int, w: int, dtype=F64) -> torch.Tensor:
    """(n, c, h, w): channels with different means (-2..2) and scales (0.5..3), as activations
    have, so a statistic of the wrong channel (or of all channels) is far off."""
    scale = torch.empty(1, c, 1, 1, dtype=dtype).uniform_(0.5, 3, generator=rng)
    shift = torch.empty(1, c, 1, 1, dtype=dtype).uniform_(-2, 2, generator=rng)
    return torch.randn(n, c, h, w, generator=rng, dtype=dtype) * scale + shift


def step(rng, x: torch.Tensor, train: bool, params: dict | None = None) -> Step:
    """A Step on x with a random output gradient."""
    return Step(x, torch.randn(x.shape, generator=rng, dtype=x.dtype), train, params)


def steps(rng, c: int, modes: list, sizes: list | None = None, hw=None) -> list:
    """One Step per mode (True = train), each a fresh batch of sizes[k] (default 2..6) images
    of one spatial size hw (default 1..5 x 2..5)."""
    h, w = hw or (integer(rng, 1, 5), integer(rng, 2, 5))
    sizes = sizes or [integer(rng, 2, 6) for _ in modes]
    return [step(rng, images(rng, n, c, h, w), train) for n, train in zip(sizes, modes)]


def params(rng, c: int) -> dict:
    """mults (C, 1, 1) in 0.5..2 and adds (C, 1, 1) ~ N(0, 1): a layer that drops either, or
    mixes up channels, differs."""
    return {
        "mults": torch.empty(c, 1, 1, dtype=F64).uniform_(0.5, 2, generator=rng),
        "adds": torch.randn(c, 1, 1, generator=rng, dtype=F64),
    }


def on(device, value):
    """`value` (a tensor, a record, or a list / dict of them) with every tensor on `device`."""
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if is_record(value):
        return type(value)(**{k: on(device, v) for k, v in fields(value).items()})
    if isinstance(value, dict):
        return {k: on(device, v) for k, v in value.items()}
    if isinstance(value, list):
        return [on(device, v) for v in value]
    return value
