"""Timing a function the way the speed graders do: repeated, best of several rounds.

    t = best_time(matmul_torch, a, b)          # seconds per call
    ladder({"loops": (f1, args), "torch": (f2, args)})   # {name: seconds}, one run
"""

from __future__ import annotations

import time
from typing import Callable


def _sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def best_time(fn: Callable, *args, rounds: int = 5, min_seconds: float = 0.02) -> float:
    """Seconds per call of fn(*args): calls are batched until a batch lasts `min_seconds`,
    and the fastest of `rounds` batches is kept (the minimum is the least disturbed by load)."""
    n, best = 1, float("inf")
    while True:  # calibrate the batch size
        start = time.perf_counter()
        for _ in range(n):
            fn(*args)
        _sync()
        took = time.perf_counter() - start
        if took >= min_seconds or n >= 1 << 20:
            best = took / n
            break
        n *= 2 if took == 0 else max(2, min(10, int(min_seconds / took) + 1))
    for _ in range(rounds - 1):
        start = time.perf_counter()
        for _ in range(n):
            fn(*args)
        _sync()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def ladder(versions: dict, **kw) -> dict:
    """{name: seconds per call} for {name: (fn, args)}, all measured in this one run."""
    return {name: best_time(fn, *args, **kw) for name, (fn, args) in versions.items()}


def fmt_seconds(s: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"
