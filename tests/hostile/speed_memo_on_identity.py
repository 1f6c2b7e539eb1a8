"""A 5 ms-per-call matmul_torch that remembers its answers by the identity of its inputs: a
timed batch that repeated the same staged tensors would cost it one call. Every repetition
gets fresh tensors, so it is as slow as it is."""

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
    key = (id(a), id(b))
    hit = _seen.get(key)
    if hit is None or hit[0] is not a or hit[1] is not b:  # the inputs are kept alive
        _spin(0.005)
        hit = _seen[key] = (a, b, a @ b)
        if len(_seen) > 64:
            _seen.pop(next(iter(_seen)))
    return hit[2]
