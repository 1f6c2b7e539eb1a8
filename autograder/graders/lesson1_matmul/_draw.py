"""Inputs of the lesson 1 graders, and the tolerance of a product.

Tolerance: a loop version adds the k products in another order than the BLAS kernel behind
`a @ b`. With entries ~N(0, 1) the rounding error of a k-term float32 sum is about
sqrt(k) * 2^-24 * |terms| ~ 1e-5 for k <= 100 (1e-4 at the k = 784 of the speed shapes), so
rtol 1e-4 / atol 1e-4 in float32 and rtol 1e-10 / atol 1e-10 in float64 (error ~1e-14) leave
one to two orders of margin; the smallest wrong answer in the bank (one product of k left
out) is off by ~1.
"""

import torch

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-4), torch.float64: dict(rtol=1e-10, atol=1e-10)}
DTYPES = dict(
    argnames="dtype", argvalues=[torch.float32, torch.float64], ids=["float32", "float64"]
)


def size(rng: torch.Generator, lo: int, hi: int) -> int:
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def pair(rng, n, k, m, dtype=torch.float32, device="cpu"):
    """a: (n, k), b: (k, m), entries ~N(0, 1)."""
    a = torch.randn(n, k, generator=rng, dtype=dtype)
    b = torch.randn(k, m, generator=rng, dtype=dtype)
    return a.to(device), b.to(device)


def shapes(rng) -> dict:
    """(n, k, m) by label: a random shape, a single row, a single column, and 1x1 @ 1x1."""
    return {
        "random": (size(rng, 2, 12), size(rng, 2, 40), size(rng, 2, 12)),
        "one row": (1, size(rng, 2, 30), size(rng, 2, 10)),
        "one column": (size(rng, 2, 10), size(rng, 2, 30), 1),
        "1x1": (1, 1, 1),
    }
