"""Inputs of the lesson 2 graders, and the formulas the judge expects (torch's own fans).

Shapes are drawn so that every wrong answer in the bank moves the std by a factor far outside
the sampling noise (_stats.py): fan_in and fan_out differ by >= 2.5 (fans swapped: a factor
>= sqrt(2.5) = 1.58 in std), slopes a in [1, 3] (an ignored a: a factor sqrt(1 + a^2) >= 1.41).
"""

import math

import torch

from autograder.probes import lesson2_init as probes


def integer(rng: torch.Generator, lo: int, hi: int) -> int:
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def uniform(rng, lo: float, hi: float) -> float:
    return lo + (hi - lo) * float(torch.rand(1, generator=rng, dtype=torch.float64))


def seed(rng) -> int:
    """A seed for torch's global RNG in the sandbox (the initialisers draw from it)."""
    return integer(rng, 0, 2**31 - 2)


def linear_shape(rng) -> tuple[int, int]:
    """(out, in) with in > 2.5 out."""
    out = integer(rng, 30, 60)
    return out, integer(rng, int(2.5 * out) + 1, 400)


def conv_shape(rng) -> tuple[int, int, int, int]:
    """(out, in, 5, 5) with out > 2.5 in."""
    cin = integer(rng, 4, 8)
    return integer(rng, int(2.5 * cin) + 1, 32), cin, 5, 5


def fans(shape) -> tuple[int, int]:
    """(fan_in, fan_out) as torch.nn.init counts them (the judge may use torch's own)."""
    return torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def gain(a: float) -> float:
    return math.sqrt(2.0 / (1 + a * a))


def kaiming_std(shape, a: float = 0.0, mode: str = "fan_in") -> float:
    fan_in, fan_out = fans(shape)
    return gain(a) / math.sqrt(fan_in if mode == "fan_in" else fan_out)


def xavier_std(shape) -> float:
    fan_in, fan_out = fans(shape)
    return math.sqrt(2.0 / (fan_in + fan_out))


def filled(student, expect, fn, shape, rng, dtype=torch.float32, device="cpu", **kwargs):
    """The weight as the student's `fn` filled it (a NaN tensor of `shape` going in), after
    the checks every filler owes: it returned w itself, filled in place, kept shape, dtype and
    device, and left no element unfilled."""
    rec = student.probe(probes.fill, fn, list(shape), seed(rng), kwargs, dtype, device)
    expect.that(
        rec.returned_w, "should return the tensor it was given", rec.returned, category="type"
    )
    expect.that(rec.same_storage, "should fill w in place (same storage)", category="mutation")
    expect.like(rec.w, torch.empty(shape, dtype=dtype, device=device), what="the weight")
    expect.that(not rec.w.isnan().any(), "left part of w unfilled (NaN where it started as NaN)")
    return rec.w
