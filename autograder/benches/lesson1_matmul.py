"""Lesson 1: the reference speed ladder as ratios to the loops version, one run, one thread;
and the wall time to grade the reference submission (all lessons) with the engine."""

from __future__ import annotations

import time

import torch

from autograder.judge import grade_submission
from autograder.lessons import REFERENCE, all_lessons, load_reference
from courselib.timing import fmt_seconds, ladder


def run() -> list[str]:
    torch.set_num_threads(1)
    mm = load_reference("lesson1_matmul")
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(5, 784, generator=g), torch.randn(784, 10, generator=g)
    versions = {
        name: (getattr(mm, f"matmul_{name}"), (a, b))
        for name in ("loops", "elementwise", "broadcast", "einsum", "torch")
    }
    times = ladder(versions, rounds=5)
    lines = ["(5x784) @ (784x10), reference solution, 1 thread:"]
    for name, t in times.items():
        lines.append(f"  {name:<12} {fmt_seconds(t):>10}   {times['loops'] / t:>9,.0f}x loops")
    start = time.perf_counter()
    result = grade_submission(REFERENCE, all_lessons())
    took = time.perf_counter() - start
    lines.append(
        f"grading the reference submission ({len(result['extra_data']['lessons'])} lessons): "
        f"{took:.1f} s wall, score {result['score']:g}/{result['max_score']:g}"
    )
    return lines
