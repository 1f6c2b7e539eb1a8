"""Grade a submission: for each lesson, pytest runs the hidden graders in this process (the
judge) against the student's module in a sandbox; the results become Gradescope's results.json.

    grade_submission(Path("solutions"), all_lessons(), seed=1)  ->  results dict

Steps, per lesson: collect the grader file -> run its tests (each call goes to the sandbox) ->
record one TestResult per test. A lesson whose module is missing or broken still runs every
test, each failing at once with the same message, so max_score never depends on the student.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import time
from pathlib import Path

import pytest

from autograder import results
from autograder.grading import GradingPlugin, LessonRun
from autograder.lessons import Lesson
from autograder.sandbox import protect_secrets

PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--tb=no"]
PYTEST_ARGS += ["-o", "python_files=lesson*.py", "-o", "python_functions=test_*"]
PYTEST_ARGS += ["-W", "ignore::DeprecationWarning"]


def new_seed() -> int:
    return secrets.randbits(32)


def grade_lesson(run: LessonRun) -> LessonRun:
    """Run the hidden graders of `run.lesson` on `run.submission`; fills `run.results`."""
    plugin = GradingPlugin(run)
    log = io.StringIO()
    args = PYTEST_ARGS + ["--rootdir", str(run.lesson.graders.parent), str(run.lesson.graders)]
    with contextlib.redirect_stdout(log):
        code = pytest.main(args, plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not run.results:
        raise RuntimeError(
            f"graders of {run.lesson.id} did not run (pytest exit {code}):\n"
            + log.getvalue()[-3000:]
        )
    return run


def grade_submission(
    submission: Path,
    lessons: list[Lesson],
    seed: int | None = None,
    tasks: set[str] | None = None,
    budget_s: float = 300.0,
) -> dict:
    """Gradescope results for `submission` on `lessons` (all of them graded, whatever fails)."""
    seed = new_seed() if seed is None else seed
    protect_secrets()
    start = time.monotonic()
    runs = [
        grade_lesson(LessonRun(lesson, Path(submission), seed, tasks, budget_s))
        for lesson in lessons
    ]
    return results.gradescope(runs, seed, time.monotonic() - start)
