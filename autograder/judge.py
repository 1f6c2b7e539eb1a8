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
import multiprocessing
import secrets
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from autograder import box, results
from autograder.grading import GradingPlugin, LessonRun
from autograder.lessons import Lesson
from autograder.sandbox import protect_secrets

PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--tb=no"]
PYTEST_ARGS += ["-o", "python_files=lesson*.py test_*.py", "-o", "python_functions=test_*"]
PYTEST_ARGS += ["-W", "ignore::DeprecationWarning"]


def new_seed() -> int:
    return secrets.randbits(32)


def grade_lesson(run: LessonRun) -> LessonRun:
    """Run the hidden graders of `run.lesson` on `run.submission`; fills `run.results`."""
    plugin = GradingPlugin(run)
    log = io.StringIO()
    args = PYTEST_ARGS + ["--rootdir", str(run.lesson.graders.parent), str(run.lesson.graders)]
    args += ["-k", run.keyword] if run.keyword else []
    with contextlib.redirect_stdout(log):
        code = pytest.main(args, plugins=[plugin])
    ok = {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}
    if run.tasks is not None or run.keyword:  # a filter may leave a lesson with nothing to run
        ok.add(pytest.ExitCode.NO_TESTS_COLLECTED)
    if code not in ok and not run.results:
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
    jobs: int = 1,
    keyword: str | None = None,
) -> dict:
    """Gradescope results for `submission` on `lessons` (all of them graded, whatever fails).

    jobs > 1 grades lessons in parallel processes (each lesson's judge and sandboxes are
    independent; the speed graders compare ratios, which hold under the extra load)."""
    seed = new_seed() if seed is None else seed
    protect_secrets()
    start = time.monotonic()
    runs = [
        LessonRun(lesson, Path(submission), seed, tasks, budget_s, keyword=keyword)
        for lesson in lessons
    ]
    if jobs > 1 and len(runs) > 1:
        context = multiprocessing.get_context("spawn")  # no fork of a process torch has threaded
        with ProcessPoolExecutor(min(jobs, len(runs)), mp_context=context) as pool:
            runs = list(pool.map(grade_lesson, runs))
    else:
        runs = [grade_lesson(run) for run in runs]
    result = results.gradescope(runs, seed, time.monotonic() - start)
    weak = box.warn_if_weak()
    if weak:
        result["output"] = f"{weak}\n{result['output']}"
    return result
