"""`python -m autograder class`: the example class graded into a gradebook, CSV and feedback,
in parallel, and graded again without duplicates or lost grades."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import classroom, gradebook
from autograder.generate import differences
from autograder.lessons import ROOT, select

CLASS = ROOT / "examples" / "class"
LESSON = select(["lesson1_matmul"])[0]
# two tasks where the partial submissions differ from the reference (about 40 s on 2 cores)
TASKS = {"matmul_broadcast", "frobenius_norm"}


def expected() -> dict:
    return classroom.read_config(CLASS)["expect"]


def check_expectation(student, want, result):
    score, worth = result["score"], result["max_score"]
    assert worth > 0, student
    if want == "full":
        assert score == worth, (student, [t["output"] for t in result["tests"] if t["output"]])
    elif want == 0:
        assert score == 0, (student, [t["name"] for t in result["tests"] if t["score"]])
    elif want == "partial":
        assert 0 < score < worth, (student, score, worth)
    else:
        raise AssertionError(f"class.toml: unknown expectation {want!r} for {student}")


def test_example_class_is_in_the_expected_state():
    committed = sorted(p.name for p in (CLASS / "submitted").iterdir())
    materialised = classroom.materialised(CLASS)
    assert set(materialised) == {"reference", "stubs"}
    assert not set(committed) & set(materialised), "reference/stubs are made at grading time"
    assert set(committed) | set(materialised) == set(expected())
    assert materialised["reference"] == ROOT / "solutions"
    assert materialised["stubs"] == ROOT / "assignments"
    assert len([s for s, w in expected().items() if w == "partial"]) >= 2
    assert len([s for s, w in expected().items() if w == 0 and s != "stubs"]) >= 3


def test_example_class_graded(tmp_path, seed):
    """One grading of the example class (lesson 1, two tasks, 2 workers): every student's
    expected score, the materialised trees, the gradebook, both CSVs and the feedback."""
    out = tmp_path / "grading"
    run = classroom.grade_class(CLASS, out, [LESSON], jobs=2, seed=seed, tasks=TASKS, quiet=True)
    merged = classroom.report(run)
    assert not run.errors, run.errors
    assert set(merged) == set(expected())
    for student, want in expected().items():
        check_expectation(student, want, merged[student])

    for student, tree in classroom.materialised(CLASS).items():
        assert not differences(tree / LESSON.id, out / "submitted" / student / LESSON.id)

    in_db = gradebook.scores(out / "gradebook.db")
    written = sum(classroom.written_questions(LESSON).values())
    assert written > 0
    for student, result in merged.items():
        score, worth = in_db[student][LESSON.id]
        assert score == pytest.approx(result["score"])
        assert worth == pytest.approx(result["max_score"] + written)
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("assignment,duedate,timestamp,student_id")
    assert len(rows) == 1 + len(merged)
    tests_rows = (out / "tests.csv").read_text().splitlines()
    assert len(tests_rows) == 1 + sum(len(r["tests"]) for r in merged.values())
    for student in merged:
        md = (out / "feedback" / student / "feedback.md").read_text()
        assert f"# Feedback for {student}" in md and LESSON.id in md
        assert (out / "feedback" / student / "feedback.html").is_file()
    # a test that is not visible reports its category, task and summary only
    for result in merged.values():
        for t in result["tests"]:
            if t["output"] and t["visibility"] != "visible":
                assert t["output"].split(":")[0] in classroom_categories(), t
    assert "no notebook submitted" in (out / "feedback" / "bob" / "feedback.md").read_text()


def classroom_categories():
    from courselib.checks import CATEGORIES

    return set(CATEGORIES) | {"skipped"}


def _counts(db):
    with sqlite3.connect(db) as con:
        return {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("student", "submitted_assignment", "submitted_notebook", "grade")
        }


def _class_cli(klass, out, seed):
    cmd = [sys.executable, "-m", "autograder", "class", str(klass), "--out", str(out)]
    cmd += ["--lesson", LESSON.id, "--task", "frobenius_norm", "--jobs", "2", "--quiet"]
    cmd += ["--seed", str(seed)]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", run.stderr  # no warnings, no worker chatter on the terminal
    return run


def test_command_line_twice_one_row_each_manual_grades_kept(tmp_path, seed):
    klass = tmp_path / "class"
    (klass / "submitted" / "carol" / LESSON.id).mkdir(parents=True)
    (klass / "class.toml").write_text(
        '[materialise]\nstubs = "assignments"\nreference = "solutions"\n'
    )
    out = tmp_path / "out"
    first = _class_cli(klass, out, seed)
    assert "stubs" in first.stdout and "reference" in first.stdout and "total" in first.stdout
    for name in ("gradebook.db", "grades.csv", "tests.csv", "results/stubs.json"):
        assert (out / name).is_file(), name
    db = out / "gradebook.db"
    before = _counts(db)
    with gradebook.open_gradebook(db) as gb:  # a TA grades the reference's written answer
        gb.find_grade("broadcast_explanation", LESSON.id, LESSON.id, "reference").manual_score = 3
        gb.db.commit()
    _class_cli(klass, out, seed + 1)
    assert _counts(db) == before
    in_db = gradebook.scores(db)
    assert in_db["reference"][LESSON.id][0] == in_db["reference"][LESSON.id][1]  # 3 + auto
    assert in_db["stubs"][LESSON.id][0] == 0
    assert in_db["carol"][LESSON.id][0] == 0  # an empty lesson folder: missing module
    assert (
        "'broadcast_explanation': 3/3 (graded by hand)"
        in (out / "feedback" / "reference" / "feedback.md").read_text()
    )
    assert (
        "'broadcast_explanation': 0/3 (missing)"
        in (out / "feedback" / "carol" / "feedback.md").read_text()
    )
