"""The nbgrader-kernel path: nbgrader's own `autograde` runs a graded notebook cell that calls
our engine by name, and nbgrader records the score (a numeric result = partial credit).

    course = build_course(Path("build/nbgrader-course"), [lesson], tasks={"frobenius_norm"})
    submit(course, "alice", Path("submitted/alice"), [lesson])
    autograde(course, "alice", [lesson])        # nbgrader autograde, one kernel per notebook
    gradebook.scores(course / "gradebook.db")

The graded cell holds no grader source and no hidden input, only a call by name:

    from autograder.nbautograde import score
    score("lesson1_matmul")

`score` grades the lesson folder the kernel runs in (nbgrader's autograded/<student>/<lesson>/)
with the sandboxed engine, with warnings and every byte of the engine's output kept away from
the cell (any stderr in a graded cell zeroes it), and returns the points as a float.
This path is slower than `python -m autograder class` (a kernel per notebook, no parallelism,
nbgrader#174) and is kept as the proof that nbgrader itself scores stubs 0 and the reference
full; the class command is the one to use.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import warnings
from pathlib import Path

import nbformat

from autograder.lessons import REFERENCE, ROOT, Lesson

NOTEBOOK = "{lesson}_autograde.ipynb"


def score(lesson_id: str, tasks: list[str] | None = None, seed: int | None = None) -> float:
    """Points of the submission in the current folder (a lesson folder) for `lesson_id`."""
    from autograder.judge import grade_submission
    from autograder.lessons import select

    folder = Path.cwd()
    saved = os.dup(1), os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            with contextlib.redirect_stderr(io.StringIO()):
                os.dup2(devnull, 1), os.dup2(devnull, 2)
                result = grade_submission(
                    folder.parent, select([lesson_id]), seed, set(tasks) if tasks else None
                )
    finally:
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)
    return float(result["score"])


def _cell_source(lesson: Lesson, tasks) -> str:
    args = f'"{lesson.id}"' + (f", tasks={sorted(tasks)!r}" if tasks else "")
    return (
        "# Graded by the course engine: the hidden graders run outside this notebook.\n"
        "from autograder.nbautograde import score\n\n"
        f"score({args})"
    )


def autograde_notebook(lesson: Lesson, points: float, tasks=None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    intro = nbformat.v4.new_markdown_cell(f"# {lesson.id}: autograded by the course engine")
    intro["id"] = "intro"
    cell = nbformat.v4.new_code_cell(_cell_source(lesson, tasks))
    cell["id"] = "engine"
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": f"{lesson.id}_engine",
        "locked": True,
        "points": points,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    nb.cells = [intro, cell]
    return nb


def _api(course: Path, autograding: bool = False):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.release_directory = "release"
    config.CourseDirectory.submitted_directory = "submitted"
    config.CourseDirectory.autograded_directory = "autograded"
    config.CourseDirectory.feedback_directory = "feedback"
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    config.Execute.timeout = 300
    if autograding:
        # nbgrader_config.py keeps the modules out of every nbgrader copy (so generate_assignment
        # cannot ship a solution); autograde must copy the student's module from submitted/ to
        # autograded/, and Autograde.exclude_overwriting keeps source/'s out of it (#940)
        modules = {m for names in config.Autograde.exclude_overwriting.values() for m in names}
        config.CourseDirectory.ignore = [
            p for p in config.CourseDirectory.ignore if p not in modules
        ]
    return NbGraderAPI(config=config)


def _environment() -> None:
    import sys

    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")  # alembic
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(ROOT) not in paths:  # the kernel imports autograder.nbautograde
        os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in paths if p])


def build_course(course: Path, lessons: list[Lesson], tasks=None) -> Path:
    """An nbgrader course in `course`: one autograde notebook per lesson (its points are the
    reference's score on the same tasks), released with nbgrader generate_assignment."""
    from autograder.judge import grade_submission

    if course.exists():
        shutil.rmtree(course)
    _environment()
    for lesson in lessons:
        worth = grade_submission(REFERENCE, [lesson], tasks=tasks)["max_score"]
        folder = course / "source" / lesson.id
        folder.mkdir(parents=True)
        # the full module sits in source/ as in the real course: nbgrader must neither release
        # it (#1237) nor copy it over a submission when autograding (#940)
        shutil.copy(ROOT / "source" / lesson.id / f"{lesson.module}.py", folder)
        nbformat.write(
            autograde_notebook(lesson, worth, tasks), folder / NOTEBOOK.format(lesson=lesson.id)
        )
    api = _api(course)
    for lesson in lessons:
        result = api.generate_assignment(lesson.id, force=True)
        if not result["success"]:
            raise RuntimeError(f"generate_assignment {lesson.id}: {result['log']}")
    return course


def submit(course: Path, student: str, submission: Path, lessons: list[Lesson]) -> None:
    """Place `submission/<lesson>/` and the released autograde notebook where nbgrader looks."""
    for lesson in lessons:
        target = course / "submitted" / student / lesson.id
        if target.exists():
            shutil.rmtree(target)
        if (submission / lesson.id).is_dir():
            shutil.copytree(submission / lesson.id, target)
        else:
            target.mkdir(parents=True)
        name = NOTEBOOK.format(lesson=lesson.id)
        shutil.copy(course / "release" / lesson.id / name, target / name)


def autograde(course: Path, student: str, lessons: list[Lesson]) -> None:
    _environment()
    api = _api(course, autograding=True)
    for lesson in lessons:
        result = api.autograde(lesson.id, student, force=True)
        if not result["success"]:
            raise RuntimeError(f"autograde {student}/{lesson.id}: {result['log']}")
