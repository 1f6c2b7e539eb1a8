"""Answers right when called now and then, but returns zeros at once when called many times
back to back (as a timed batch does): the judge checks outputs of the timed calls it picks after
the batch, so the speed test fails on values."""

EXPECT = "partial"
ZERO = ["test_speed"]

import time

import torch


def _spin(seconds):
    """Slow by real work (busy CPU), as a slow implementation is."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


_last = [0.0, 0]  # when the previous call returned, calls in the current back-to-back streak


def matmul_torch(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("a and b must be matrices with a's columns = b's rows")
    # a timed batch calls back to back (microseconds apart); a judge's single calls come a
    # round trip apart, so the streak resets between them
    back_to_back = time.perf_counter() - _last[0] < 0.0002
    _last[1] = _last[1] + 1 if back_to_back else 0
    try:
        if _last[1] > 20:
            return torch.zeros(a.shape[0], b.shape[1], dtype=a.dtype)
        _spin(0.005)
        return a @ b
    finally:
        _last[0] = time.perf_counter()
