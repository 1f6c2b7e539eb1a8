"""A slow matmul_torch that freezes time.perf_counter, time.monotonic and time.time: the
judge times the call with its own clock, so the speed test still fails. Values are right."""

EXPECT = "partial"
KEEPS = ["frobenius_norm"]
LOSES = ["matmul_torch"]

import time

_sleep = time.sleep
time.perf_counter = lambda: 0.0
time.monotonic = lambda: 0.0
time.time = lambda: 0.0
time.perf_counter_ns = lambda: 0


def matmul_torch(a, b):
    check_matmul_shapes(a, b)
    _sleep(0.002)
    return a @ b
