"""Replaces the executor's own `run` (the sandbox's __main__) so a timed batch of N calls runs
the function once: a slow matmul_torch would then look N times faster. The judge must still
see it as slow."""

EXPECT = "partial"
KEEPS = ["frobenius_norm"]
LOSES = ["matmul_torch"]

import sys
import time

_main = sys.modules["__main__"]
_real_run = getattr(_main, "run", None)


def _once(fn, args, kwargs, repeat, trace):
    return _real_run(fn, args, kwargs, 1, trace)


if _real_run is not None:
    _main.run = _once


def matmul_torch(a, b):
    check_matmul_shapes(a, b)
    time.sleep(0.002)
    return a @ b
