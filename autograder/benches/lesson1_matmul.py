"""Lesson 1: the reference speed ladder, one run, one thread, (5x784) @ (784x10) as in the
course. Goal: every version faster than the one before it (the point of the lesson).
Grading the reference submission is timed by the classroom bench."""

from __future__ import annotations

import torch

from autograder.bench import goal
from autograder.lessons import load_reference
from courselib.timing import best_time, fmt_seconds

ABOUT = "20 s"
VERSIONS = ("loops", "elementwise", "broadcast", "einsum", "torch")


def run():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        mm = load_reference("lesson1_matmul")
        g = torch.Generator().manual_seed(0)
        a, b = torch.randn(5, 784, generator=g), torch.randn(784, 10, generator=g)
        yield "(5x784) @ (784x10), reference solution, 1 thread:"
        times = {}
        for name in VERSIONS:
            t = times[name] = best_time(getattr(mm, f"matmul_{name}"), a, b, rounds=5)
            before = list(times.values())[-2] if len(times) > 1 else None
            mark = goal(before is None or t < before, "faster than the version before")
            ratio = times["loops"] / t
            yield f"  {name:<12} {fmt_seconds(t):>10}   {ratio:>9,.0f}x loops  {mark}"
    finally:
        torch.set_num_threads(threads)
