"""Scores into nbgrader's own gradebook (SQLite, `nbgrader.api.Gradebook`), and its CSV export.

    with open_gradebook(Path("grading/gradebook.db")) as gb:
        define_lesson(gb, lesson_id, tests, written)      # assignment, notebook, grade cells
        record(gb, "alice", lesson_id, tests, written_found)
    export_csv(Path("grading/gradebook.db"), Path("grading/grades.csv"))   # nbgrader's exporter

Layout in nbgrader's terms: one assignment per lesson, one notebook per lesson (named after the
lesson's walk-through notebook), and in it one grade cell per hidden test (cell_type "code",
auto-graded by our engine, `max_score` = the test's points) plus one grade cell per manually
graded written question of the notebook (cell_type "markdown", graded in formgrader).

Re-running is safe: rows are updated in place (nbgrader's unique constraints forbid duplicates),
auto scores are overwritten by the new grading, manual scores are never touched.
"""

from __future__ import annotations

import hashlib
import os
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path


NAME_MAX = 128  # nbgrader's String(128) for cell names


def open_gradebook(db: Path):
    from nbgrader.api import Gradebook  # imported here: sqlalchemy is slow to import

    db.parent.mkdir(parents=True, exist_ok=True)
    # a new gradebook asks the `alembic` command for its schema version: it is in our venv's bin
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    return Gradebook(f"sqlite:///{db.resolve()}")


def cell_name(test_name: str, lesson_id: str) -> str:
    """The grade cell's name for a test: the test name without the lesson prefix, shortened
    with a hash suffix when longer than nbgrader allows."""
    name = test_name.removeprefix(f"{lesson_id}: ")
    if len(name) > NAME_MAX:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[: NAME_MAX - 10]}~{digest}"
    return name


def define_lesson(gb, lesson_id: str, tests: list[dict], written: dict, prune: bool):
    """Make the assignment, its notebook and its grade cells match this grading.

    tests: the results' tests of this lesson; written: {grade_id: points} of the notebook's
    manually graded cells. prune: drop auto-graded cells no longer produced by the graders
    (only when the whole lesson was graded, not a task filter)."""
    gb.update_or_create_assignment(lesson_id)
    gb.update_or_create_notebook(lesson_id, lesson_id)
    wanted = {}
    for t in tests:
        wanted[cell_name(t["name"], lesson_id)] = t["max_score"]
    for name, worth in wanted.items():
        gb.update_or_create_grade_cell(
            name, lesson_id, lesson_id, max_score=worth, cell_type="code"
        )
    for grade_id, worth in written.items():
        gb.update_or_create_grade_cell(
            grade_id, lesson_id, lesson_id, max_score=worth, cell_type="markdown"
        )
    if prune:
        notebook = gb.find_notebook(lesson_id, lesson_id)
        for cell in list(notebook.grade_cells):
            if cell.cell_type == "code" and cell.name not in wanted:
                for grade in list(cell.grades):
                    gb.db.delete(grade)
                gb.db.delete(cell)
        gb.db.commit()


def _submission_notebook(gb, lesson_id: str, student: str, when: datetime):
    from nbgrader.api import Grade, Notebook

    gb.update_or_create_student(student)
    gb.update_or_create_submission(lesson_id, student, timestamp=when)
    nb = gb.find_submission_notebook(lesson_id, lesson_id, student)
    # add_submission mirrors the grade cells that existed then; add grades for newer cells
    have = {g.cell_id for g in nb.grades}
    notebook = gb.db.query(Notebook).filter(Notebook.id == nb.notebook_id).one()
    for cell in notebook.grade_cells:
        if cell.id not in have:
            gb.db.add(Grade(cell_id=cell.id, notebook=nb))
    gb.db.commit()
    return nb


def record(
    gb,
    student: str,
    lesson_id: str,
    tests: list[dict],
    written_missing: set[str] = frozenset(),
    when: datetime | None = None,
) -> None:
    """Write one student's auto scores for one lesson. Written answers stay for manual
    grading; one the student deleted from the notebook scores 0 unless a grader set a score."""
    from nbgrader.api import GradeCell

    with warnings.catch_warnings():  # nbgrader's add_submission trips SQLAlchemy's autoflush
        warnings.simplefilter("ignore")
        nb = _submission_notebook(gb, lesson_id, student, when or datetime.now(timezone.utc))
    by_name = {g.cell.name: g for g in nb.grades}
    for t in tests:
        grade = by_name.get(cell_name(t["name"], lesson_id))
        if grade is not None:
            grade.auto_score = float(t["score"])
            grade.needs_manual_grade = False
    for grade in nb.grades:
        if isinstance(grade.cell, GradeCell) and grade.cell.cell_type == "markdown":
            if grade.manual_score is None:
                missing = grade.cell.name in written_missing
                grade.auto_score = 0.0 if missing else None
                grade.needs_manual_grade = not missing
    gb.db.commit()


def scores(db: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """{student: {lesson: (score, max_score)}} as nbgrader computes them."""
    from nbgrader.api import MissingEntry

    out: dict[str, dict[str, tuple[float, float]]] = {}
    with open_gradebook(db) as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                out.setdefault(student.id, {})[assignment.name] = (
                    float(sub.score),
                    float(assignment.max_score),
                )
    return out


def export_csv(db: Path, csv: Path) -> Path:
    """nbgrader's own CSV exporter (what `nbgrader export` runs) on the gradebook."""
    from nbgrader.plugins.export import CsvExportPlugin

    csv.parent.mkdir(parents=True, exist_ok=True)
    with open_gradebook(db) as gb:
        CsvExportPlugin(to=str(csv)).export(gb)
    return csv


def written_grades(db: Path) -> dict[str, dict[str, list[str]]]:
    """{student: {lesson: ["written answer 'id': 2/3 (graded by hand)" ...]}} from the gradebook."""
    from nbgrader.api import GradeCell

    out: dict[str, dict[str, list[str]]] = {}
    with open_gradebook(db) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        cell = grade.cell
                        if not (isinstance(cell, GradeCell) and cell.cell_type == "markdown"):
                            continue
                        if grade.manual_score is not None:
                            state = f"{grade.manual_score:g}/{cell.max_score:g} (graded by hand)"
                        elif grade.auto_score is not None:
                            state = f"{grade.auto_score:g}/{cell.max_score:g} (missing)"
                        else:
                            state = f"?/{cell.max_score:g} (awaiting manual grading)"
                        notes = out.setdefault(sub.student.id, {}).setdefault(assignment.name, [])
                        notes.append(f"written answer '{cell.name}': {state}")
    return out
