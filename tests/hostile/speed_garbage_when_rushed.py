"""Answers right when called now and then, but returns zeros at once when called many times
in a row (as a timed batch does): the judge checks outputs of the timed calls it picks after
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


_recent = []


def matmul_torch(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("a and b must be matrices with a's columns = b's rows")
    now = time.perf_counter()
    _recent.append(now)
    while _recent and now - _recent[0] > 0.5:
        _recent.pop(0)
    if len(_recent) > 20:
        return torch.zeros(a.shape[0], b.shape[1], dtype=a.dtype)
    _spin(0.005)
    return a @ b
