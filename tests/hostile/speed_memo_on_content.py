"""Remembers answers by a cheap fingerprint of the inputs' values: inputs drawn afresh for
every repetition never repeat, so the 5 ms per call show."""

EXPECT = "partial"
ZERO = ["test_speed"]

import time


def _spin(seconds):
    """Slow by real work (busy CPU), as a slow implementation is."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


_seen = {}


def matmul_torch(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("a and b must be matrices with a's columns = b's rows")
    key = (tuple(a.shape), tuple(b.shape), float(a.sum()), float(b.sum()))
    if key not in _seen:
        _spin(0.005)
        _seen[key] = a @ b
    return _seen[key]
