"""Classroom wall times: one full submission (the reference, every lesson) through the engine,
and the bundled example class serial (one worker) vs parallel (one worker per core), with the
extrapolation to a class of 100. Goals: one submission <= 60 s, 100 complete submissions
<= 30 min on 2 cores."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from autograder import classroom
from autograder.bench import goal
from autograder.judge import grade_submission
from autograder.lessons import REFERENCE, ROOT, all_lessons

ABOUT = "6 min"
CLASS = ROOT / "examples" / "class"
GOAL_ONE_S = 60.0
GOAL_CLASS_MIN = 30.0  # 100 complete submissions on 2 cores


def _class(jobs: int, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    run = classroom.grade_class(CLASS, out, jobs=jobs, seed=1, quiet=True)
    classroom.report(run)
    return time.perf_counter() - start, len(run.students)


def run():
    lessons = all_lessons()
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    result = grade_submission(REFERENCE, lessons, seed=1)
    one = time.perf_counter() - start
    yield (
        f"one full submission (reference, {len(lessons)} lessons, serial): {one:.1f} s wall, "
        f"{result['score']:g}/{result['max_score']:g}  {goal(one <= GOAL_ONE_S, 'goal <= 60 s')}"
    )
    yield f"example class, {len(classroom.read_config(CLASS)['expect'])} students x {len(lessons)} lessons:"
    with tempfile.TemporaryDirectory() as tmp:
        serial, n = _class(1, Path(tmp) / "serial")
        yield f"  serial (1 worker):        {serial:6.1f} s"
        parallel, _ = _class(cores, Path(tmp) / "parallel")
    yield f"  parallel ({cores} workers):     {parallel:6.1f} s  ({serial / parallel:.2f}x)"
    per = parallel / n
    yield (
        f"  100 submissions at this mix: ~{100 * per / 60:.1f} min with {cores} workers "
        f"(the mix includes a 15 s import hang)"
    )
    full = 100 * one / (serial / parallel) / 60
    mark = goal(full <= GOAL_CLASS_MIN, f"goal <= {GOAL_CLASS_MIN:g} min on 2 cores")
    yield f"  100 complete submissions (the reference's cost each): ~{full:.1f} min  {mark}"
