"""Inputs the lesson 3 graders draw, all from the test's `rng`: shapes (batch size 1, a single
output and a single hidden unit included), the model's parameters, and relu inputs that hold
exact zeros (the kink, where the course's convention says the derivative is 0)."""

from __future__ import annotations

import torch

from hypothesis import HealthCheck, settings

from courselib.lesson3_backward import mlp_params

F64 = torch.float64
PROPERTY = settings(  # the property tests' settings
    deadline=None,
    max_examples=8,
    database=None,  # no .hypothesis folder left behind by grading, no replays between runs
    report_multiple_bugs=False,  # one failure, not an ExceptionGroup the judge cannot name
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def integer(rng, lo: int, hi: int) -> int:
    """Uniform in lo..hi (both included)."""
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def randn(rng, *shape, dtype=F64) -> torch.Tensor:
    return torch.randn(*shape, generator=rng, dtype=dtype)


def mlp_cases(rng) -> dict[str, tuple[int, int, int]]:
    """{label: (n, m, nh)}: random shapes, batch size 1, one hidden unit."""
    return {
        "random shapes": (integer(rng, 2, 40), integer(rng, 2, 30), integer(rng, 2, 20)),
        "batch 1": (1, integer(rng, 2, 30), integer(rng, 2, 20)),
        "one hidden unit": (integer(rng, 2, 20), integer(rng, 1, 10), 1),
    }


def mlp(rng, n: int, m: int, nh: int, dtype=F64) -> tuple:
    """x (n, m), targ (n,), w1 (m, nh), b1 (nh,), w2 (nh, 1), b2 (1,)."""
    return mlp_params(n, m, nh, generator=rng, dtype=dtype)


def two_batches(rng) -> tuple[tuple, tuple]:
    """((x1, targ1, x2, targ2), (w1, b1, w2, b2)): two batches of one random shape through the
    same parameters."""
    n, m, nh = mlp_cases(rng)["random shapes"]
    x1, targ1, *params = mlp(rng, n, m, nh)
    x2, targ2 = randn(rng, n, m), randn(rng, n)
    return (x1, targ1, x2, targ2), tuple(params)


def lin_shapes(rng) -> list[tuple[int, int, int]]:
    """(n, m, k): random, batch size 1, a single output."""
    return [
        (integer(rng, 2, 40), integer(rng, 2, 30), integer(rng, 2, 20)),
        (1, integer(rng, 2, 30), integer(rng, 2, 20)),
        (integer(rng, 2, 40), integer(rng, 2, 30), 1),
    ]


def lin_inputs(rng, n: int, m: int, k: int) -> tuple:
    """(inp, out, out_g, w, b) for lin_grad: out = inp @ w + b, out_g = dL/d out."""
    inp, w, b = randn(rng, n, m), randn(rng, m, k), randn(rng, k)
    return inp, inp @ w + b, randn(rng, n, k), w, b


def with_zeros(rng, *shape, dtype=F64) -> torch.Tensor:
    """N(0, 1) values of which about a quarter, and always the first, are exactly 0."""
    x = randn(rng, *shape, dtype=dtype)
    x[torch.rand(shape, generator=rng) < 0.25] = 0.0
    x.view(-1)[0] = 0.0
    return x


def relu_shapes(rng) -> list[tuple[int, int]]:
    """A random (n, h) and a single row."""
    return [(integer(rng, 2, 30), integer(rng, 2, 20)), (1, integer(rng, 1, 20))]
