"""`python -m autograder class`: the example class graded into a gradebook, CSV and feedback,
in parallel, with the layouts students hand in; links refused; graded again without duplicates
or lost grades; the same totals everywhere."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import classroom, gradebook, intake
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


def csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def check_one_truth(out: Path, merged: dict[str, dict]) -> None:
    """The table's totals (run.merged), results/<student>.json, grades.csv (nbgrader's
    exporter), tests.csv, the gradebook and the feedback agree, written answers included."""
    in_db = gradebook.scores(out / "gradebook.db")
    grades = {r["student_id"]: r for r in csv_rows(out / "grades.csv")}
    tests: dict[str, float] = {}
    for r in csv_rows(out / "tests.csv"):
        tests[r["student"]] = tests.get(r["student"], 0.0) + float(r["score"])
    for student, result in merged.items():
        total = (result["score"], result["max_score"])
        assert in_db[student][LESSON.id] == pytest.approx(total), student
        assert (float(grades[student]["score"]), float(grades[student]["max_score"])) == total
        assert tests[student] == pytest.approx(result["score"])
        on_disk = json.loads((out / "results" / f"{student}.json").read_text())
        assert (on_disk["score"], on_disk["max_score"]) == total
        md = (out / "feedback" / student / "feedback.md").read_text()
        assert f"Total: **{result['score']:g} / {result['max_score']:g}**" in md


def test_example_class_graded(tmp_path, seed):
    """One grading of the example class (lesson 1, two tasks, 2 workers): every student's
    expected score, the layouts found, the materialised trees, one truth for totals."""
    out = tmp_path / "grading"
    run = classroom.grade_class(CLASS, out, [LESSON], jobs=2, seed=seed, tasks=TASKS, quiet=True)
    auto = classroom.report(run)
    assert not run.errors, run.errors
    assert set(auto) == set(expected())
    for student, want in expected().items():
        check_expectation(student, want, auto[student])

    assert run.intakes["alice"].layout == intake.REPOSITORY
    assert run.intakes["bob"].layout == intake.MODULE
    log = (out / "logs" / "intake.log").read_text()
    assert "alice: layout: student repository (assignments/lesson1_matmul/)" in log
    assert "Found as: bare module (matmul.py)" in (out / "feedback/bob/feedback.md").read_text()
    for student, tree in classroom.materialised(CLASS).items():
        diffs = differences(tree / LESSON.id, out / "submitted" / student / LESSON.id)
        assert diffs == ["only in lesson1_matmul: timestamp.txt"]

    written = sum(classroom.written_questions(LESSON).values())
    assert written > 0
    for student, result in run.merged.items():
        assert result["max_score"] == pytest.approx(auto[student]["max_score"] + written)
    check_one_truth(out, run.merged)
    assert len(csv_rows(out / "grades.csv")) == len(run.merged)
    tests_rows = csv_rows(out / "tests.csv")
    assert len(tests_rows) == sum(len(r["tests"]) for r in run.merged.values())
    # every row and grade cell keyed on the engine's stable id, never the display name
    assert all(
        r["test_id"].startswith(f"{LESSON.id}/") and "::" in r["test_id"] for r in tests_rows
    )
    with gradebook.open_gradebook(out / "gradebook.db") as gb:
        cells = {c.name for c in gb.find_notebook(LESSON.id, LESSON.id).grade_cells}
    assert cells == {r["test_id"] for r in tests_rows if "/written::" not in r["test_id"]} | set(
        classroom.written_questions(LESSON)
    )
    assert {r["test_id"] for r in tests_rows if r["test"].endswith("broadcast_explanation")} == {
        f"{LESSON.id}/written::broadcast_explanation"
    }
    alice = (out / "feedback" / "alice" / "feedback.md").read_text()
    assert "broadcast_explanation: ?/3, awaiting manual grading" in alice
    for student in run.merged:
        assert (out / "feedback" / student / "feedback.html").is_file()
    # a test that is not visible reports its category, task and summary only
    for result in auto.values():
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


def nest(folder: Path, depth: int) -> None:
    """`depth` nested folders under `folder`, one level at a time (no recursion)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def hostile_class(klass: Path) -> None:
    """Students in the layouts of a real class, and the staging attacks of issue 9."""
    sub = klass / "submitted"
    (sub / "carol" / LESSON.id).mkdir(parents=True)  # an empty lesson folder
    repo = sub / "dana" / "assignments" / LESSON.id  # a GitHub Classroom repository
    shutil.copytree(ROOT / "solutions" / LESSON.id, repo)
    for name in ("courselib", ".github"):
        (sub / "dana" / name).mkdir()
    (sub / "mallory").mkdir()  # dana's work through a link
    (sub / "mallory" / LESSON.id).symlink_to(f"../dana/assignments/{LESSON.id}")
    (sub / "trudy").symlink_to(ROOT / "solutions")  # the whole folder a link to solutions/
    deep = sub / "oscar" / LESSON.id  # 1,200 nested folders beside a stub
    deep.mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / LESSON.id / f"{LESSON.module}.py", deep)
    nest(deep, 1200)
    nest(sub / "oscar", 1200)
    (klass / "class.toml").write_text(
        '[materialise]\nstubs = "assignments"\nreference = "solutions"\n'
    )


def test_command_line_twice_one_row_each_manual_grades_kept(tmp_path, seed):
    klass = tmp_path / "class"
    hostile_class(klass)
    out = tmp_path / "out"
    try:
        first = _class_cli(klass, out, seed)
    finally:  # pytest's clean-up recurses: it would hit the recursion limit
        oscar = klass / "submitted" / "oscar"
        subprocess.run(["rm", "-rf", str(oscar / "d"), str(oscar / LESSON.id / "d")], check=True)
    assert "stubs" in first.stdout and "reference" in first.stdout and "total" in first.stdout
    assert "layouts found: " in first.stdout and "student repository 1" in first.stdout
    for name in ("gradebook.db", "grades.csv", "tests.csv", "results/stubs.json"):
        assert (out / name).is_file(), name
    db = out / "gradebook.db"
    in_db = gradebook.scores(db)
    full = in_db["reference"][LESSON.id][0]
    assert full > 0 and in_db["dana"][LESSON.id][0] == full  # the repository layout graded
    for student in ("mallory", "trudy", "carol", "stubs", "oscar"):
        assert in_db[student][LESSON.id][0] == 0, student
    link = "missing: lesson1_matmul is a link; links are never graded"
    mallory = json_tests(out, "mallory")
    assert mallory and all(t["output"] == link for t in mallory if t["max_score"])
    assert (out / "feedback/mallory/feedback.md").read_text().count(link) == 1  # one line
    trudy = json_tests(out, "trudy")
    assert all(t["output"] == "missing: trudy is a link; links are never graded" for t in trudy)
    oscar = json_tests(out, "oscar")
    assert oscar and all(t["output"].startswith("unfinished") for t in oscar if t["max_score"])

    before = _counts(db)
    with gradebook.open_gradebook(db) as gb:  # a TA grades the reference's written answer
        gb.find_grade("broadcast_explanation", LESSON.id, LESSON.id, "reference").manual_score = 3
        gb.db.commit()
    second = _class_cli(klass, out, seed + 1)
    assert _counts(db) == before
    in_db = gradebook.scores(db)
    assert in_db["reference"][LESSON.id][0] == in_db["reference"][LESSON.id][1]  # 3 + auto
    assert in_db["carol"][LESSON.id][0] == 0  # an empty lesson folder: missing module
    assert "reference" in second.stdout and "*" in second.stdout  # others still awaiting
    assert (
        "broadcast_explanation: 3/3, graded by hand"
        in (out / "feedback" / "reference" / "feedback.md").read_text()
    )
    assert (
        "broadcast_explanation: 0/3, missing: the answer is not in the submitted notebook"
        in (out / "feedback" / "carol" / "feedback.md").read_text()
    )


def json_tests(out: Path, student: str) -> list[dict]:
    return json.loads((out / "results" / student / f"{LESSON.id}.json").read_text())["tests"]
