"""sched_cos with the phase reversed: cos(pi * pos) instead of cos(pi * (1 - pos)), so it runs
from end to start."""

CATCHES = ["sched_cos"]


@annealer  # noqa: F821
def sched_cos(start, end, pos):
    return start + (1 + math.cos(math.pi * pos)) * (end - start) / 2  # noqa: F821
