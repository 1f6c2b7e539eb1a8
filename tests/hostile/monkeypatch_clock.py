"""A slow matmul_torch that freezes the clocks: replacing time's names is refused by the source
rules, and the judge reads CPU time from the kernel, not from any clock of the child."""

EXPECT = 0
MESSAGE = "replaces time.perf_counter"

import time

time.perf_counter = lambda: 0.0
time.monotonic = lambda: 0.0
time.process_time = lambda: 0.0
