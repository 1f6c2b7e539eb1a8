"""Through nbgrader itself: generate_assignment releases no solution, autograde runs a graded
cell that calls the engine by name, and the gradebook shows stubs 0 and the reference full."""

from __future__ import annotations

import nbformat
import pytest

from autograder import gradebook, nbautograde
from autograder.lessons import ROOT, select
from autograder.release import leaks

LESSON = select(["lesson1_matmul"])[0]
pytestmark = pytest.mark.filterwarnings("ignore:Object of type")  # nbgrader's own SQLAlchemy use


def test_nbgrader_autograde_scores_stubs_zero_and_reference_full(tmp_path):
    lessons = [LESSON]
    course = nbautograde.build_course(tmp_path / "course", lessons, tasks={"frobenius_norm"})
    released = course / "release" / LESSON.id
    assert not (released / f"{LESSON.module}.py").exists()  # nbgrader#1237: not shipped
    assert not leaks(released)
    for student, tree in (("reference", "solutions"), ("stubs", "assignments")):
        nbautograde.submit(course, student, ROOT / tree, lessons)
        nbautograde.autograde(course, student, lessons)
    scores = gradebook.scores(course / "gradebook.db")
    got, worth = scores["reference"][LESSON.id]
    assert got == worth > 0
    assert scores["stubs"][LESSON.id][0] == 0
    # nbgrader#940: the student's module was graded, not source/'s copied over it
    graded = course / "autograded" / "stubs" / LESSON.id / f"{LESSON.module}.py"
    assert graded.read_text() == (ROOT / "assignments" / LESSON.id / graded.name).read_text()
    # the graded cell holds a call by name and its output is the score, with no stderr
    nb = nbformat.read(graded.parent / f"{LESSON.id}_autograde.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    assert "def test_" not in cell.source and "score(" in cell.source
    assert [o["output_type"] for o in cell.outputs] == ["execute_result"]
