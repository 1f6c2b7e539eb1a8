"""Scores into nbgrader's own gradebook (SQLite, `nbgrader.api.Gradebook`), ready for formgrader.

    with open_gradebook(Path("grading/gradebook.db")) as gb:
        define_lesson(gb, lesson_id, tests, prune=True)     # assignment, notebook, cells
        record(gb, "alice", lesson_id, tests, written_missing, when)
    hand_grades(db)          # written answers (graded by hand, awaiting, missing), overrides
    export_csv(db, Path("grading/grades.csv"))              # nbgrader's own exporter

Layout in nbgrader's terms: one assignment per lesson and one notebook per lesson (the lesson's
walk-through notebook, `<lesson>.ipynb`). In it:
- the notebook's own nbgrader cells, as `nbgrader generate_assignment` records them (grade,
  solution and source cells, from the released notebook in assignments/): the written questions
  are manually graded markdown grade cells, graded in formgrader;
- one auto-graded grade cell per hidden test (cell_type "code", `max_score` = the test's
  points), named after the test's stable id (`extra_data.id`), never its display text: a
  reworded grader docstring keeps its grades.

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

from autograder.lessons import ROOT
from autograder.results import test_id

NAME_MAX = 128  # nbgrader's String(128) for cell names
AWAITING, GRADED, MISSING = "awaiting", "graded", "missing"


def open_gradebook(db: Path):
    from nbgrader.api import Gradebook  # imported here: sqlalchemy is slow to import

    db.parent.mkdir(parents=True, exist_ok=True)
    # a new gradebook asks the `alembic` command for its schema version: it is in our venv's bin
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    return Gradebook(f"sqlite:///{db.resolve()}")


def cell_name(test: dict) -> str:
    """The grade cell of a test: its stable id, shortened with a hash suffix when longer than
    nbgrader allows."""
    name = test_id(test)
    if len(name) > NAME_MAX:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[: NAME_MAX - 10]}~{digest}"
    return name


# ---- the notebook's own cells ----------------------------------------------------------------


def notebook_path(lesson_id: str) -> Path:
    """The released walk-through notebook: its nbgrader cells are what students submit."""
    return ROOT / "assignments" / lesson_id / f"{lesson_id}.ipynb"


def notebook_cells(lesson_id: str) -> list[dict]:
    """The nbgrader cells of the lesson's notebook as nbgrader's SaveCells records them:
    [{grade_id, cell_type, grade, solution, locked, points, source, checksum}]."""
    import nbformat

    path = notebook_path(lesson_id)
    if not path.is_file():
        return []
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade_id"):
            continue
        flags = {k: bool(meta.get(k)) for k in ("grade", "solution", "locked", "task")}
        cells.append(
            dict(
                flags,
                grade_id=meta["grade_id"],
                cell_type=cell.cell_type,
                points=float(meta.get("points", 0) or 0),
                source=cell.source,
                checksum=meta.get("checksum"),
            )
        )
    return cells


def written_questions(lesson_id: str) -> dict[str, float]:
    """{grade_id: points} of the manually graded (markdown) cells of the lesson's notebook."""
    return {
        c["grade_id"]: c["points"]
        for c in notebook_cells(lesson_id)
        if c["grade"] and c["cell_type"] == "markdown"
    }


def _define_notebook_cells(gb, lesson_id: str) -> None:
    for c in notebook_cells(lesson_id):
        name = c["grade_id"]
        if c["grade"]:
            gb.update_or_create_grade_cell(
                name, lesson_id, lesson_id, max_score=c["points"], cell_type=c["cell_type"]
            )
        if c["solution"]:
            gb.update_or_create_solution_cell(name, lesson_id, lesson_id)
        if c["grade"] or c["solution"] or c["locked"] or c["task"]:
            gb.update_or_create_source_cell(
                name,
                lesson_id,
                lesson_id,
                cell_type=c["cell_type"],
                locked=c["locked"],
                source=c["source"],
                checksum=c["checksum"],
            )


def define_lesson(gb, lesson_id: str, tests: list[dict], prune: bool) -> None:
    """Make the assignment, its notebook and its cells match the released notebook and this
    grading. tests: the results' tests of this lesson (auto-graded). prune: drop auto-graded
    cells no longer produced by the graders (only when the whole lesson was graded)."""
    gb.update_or_create_assignment(lesson_id)
    gb.update_or_create_notebook(lesson_id, lesson_id)
    _define_notebook_cells(gb, lesson_id)
    own = {c["grade_id"] for c in notebook_cells(lesson_id)}
    wanted = {cell_name(t): t["max_score"] for t in tests}
    for name, worth in wanted.items():
        gb.update_or_create_grade_cell(
            name, lesson_id, lesson_id, max_score=worth, cell_type="code"
        )
    if prune:
        notebook = gb.find_notebook(lesson_id, lesson_id)
        for cell in list(notebook.grade_cells):
            if cell.name not in wanted and cell.name not in own:
                for grade in list(cell.grades):
                    gb.db.delete(grade)
                gb.db.delete(cell)
        gb.db.commit()


# ---- one submission --------------------------------------------------------------------------


def _submission_notebook(gb, lesson_id: str, student: str, when: datetime):
    from nbgrader.api import Comment, Grade, Notebook

    gb.update_or_create_student(student)
    gb.update_or_create_submission(lesson_id, student, timestamp=when)
    nb = gb.find_submission_notebook(lesson_id, lesson_id, student)
    # add_submission mirrors the cells that existed then; add grades/comments for newer cells
    notebook = gb.db.query(Notebook).filter(Notebook.id == nb.notebook_id).one()
    have = {g.cell_id for g in nb.grades}
    for cell in notebook.grade_cells:
        if cell.id not in have:
            gb.db.add(Grade(cell_id=cell.id, notebook=nb))
    have = {c.cell_id for c in nb.comments}
    for cell in notebook.solution_cells:
        if cell.id not in have:
            gb.db.add(Comment(cell_id=cell.id, notebook=nb))
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
    """Write one student's auto scores for one lesson. Written answers wait for manual grading
    (nbgrader's needs_manual_grade, what formgrader lists); one the student deleted from the
    notebook scores 0 unless a grader set a score."""
    from nbgrader.api import GradeCell

    with warnings.catch_warnings():  # nbgrader's add_submission trips SQLAlchemy's autoflush
        warnings.simplefilter("ignore")
        nb = _submission_notebook(gb, lesson_id, student, when or datetime.now(timezone.utc))
    by_name = {g.cell.name: g for g in nb.grades}
    for t in tests:
        grade = by_name.get(cell_name(t))
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


# ---- reading back ----------------------------------------------------------------------------


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


def hand_grades(db: Path) -> dict[str, dict[str, dict[str, dict]]]:
    """What the graders' hands set: {student: {lesson: {cell name: {score, max_score, state,
    written}}}} for every written answer, and for every auto-graded cell a grader overrode in
    formgrader (manual score or extra credit). state: graded (by hand), awaiting (manual
    grading), missing (0: not in the notebook). score is nbgrader's (extra credit included)."""
    from nbgrader.api import GradeCell

    out: dict = {}
    if not db.is_file():
        return out
    with open_gradebook(db) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        cell = grade.cell
                        if not isinstance(cell, GradeCell):
                            continue
                        written = cell.cell_type == "markdown"
                        touched = grade.manual_score is not None or grade.extra_credit
                        if not written and not touched:
                            continue
                        if touched:
                            state = GRADED
                        elif grade.auto_score is not None:
                            state = MISSING
                        else:
                            state = AWAITING
                        lesson = out.setdefault(sub.student.id, {}).setdefault(assignment.name, {})
                        lesson[cell.name] = {
                            "score": None if state == AWAITING else float(grade.score),
                            "max_score": float(cell.max_score),
                            "state": state,
                            "written": written,
                        }
    return out


def export_csv(db: Path, csv: Path) -> Path:
    """nbgrader's own CSV exporter (what `nbgrader export` runs) on the gradebook."""
    from nbgrader.plugins.export import CsvExportPlugin

    csv.parent.mkdir(parents=True, exist_ok=True)
    with open_gradebook(db) as gb:
        CsvExportPlugin(to=str(csv)).export(gb)
    return csv
