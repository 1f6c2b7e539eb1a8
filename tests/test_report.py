"""What students and instructors read, from results built here in the engine's format (the
contract: `status`, `extra_data.id`, `extra_data.task`): one line per failed-as-a-whole lesson,
skipped tests marked skipped, no internal names, totals with written answers, gradebook cells
keyed on stable ids. No grading: every test is fast."""

from __future__ import annotations

import csv
import io

import pytest

from autograder import classreport, feedback, gradebook, report
from autograder import results

MISSING = "missing: {task}: lesson2_init/initialization.py was not found in the submission"
IMPORT = "import: {task}: backward.py failed to import: SyntaxError: invalid syntax (line 3)"


def make(lesson, stem, fn, param, task, score, worth, output="", status=None, vis="visible"):
    status = status or ("passed" if score == worth else "failed")
    return {
        "name": f"{lesson}: {task}: does the thing {param}",
        "score": score,
        "max_score": worth,
        "output": output.format(task=task),
        "visibility": vis,
        "status": status,
        "extra_data": {"id": f"{lesson}/{stem}::{fn}[{param}]", "task": task},
    }


def lesson1() -> list[dict]:
    L = "lesson1_matmul"
    tests = [make(L, L, "test_values", p, "matmul_loops", 2, 2) for p in ("a", "b")]
    tests.append(
        make(L, L, "test_check", "x", "matmul_einsum", 0, 1, "values: {task}: differs from a @ b")
    )
    tests += [
        make(L, L, "test_timeout", p, t, 0, 1, "timeout: {task}: the call took longer than 10 s")
        for p, t in (("a", "matmul_broadcast"), ("b", "matmul_broadcast"), ("c", "frobenius_norm"))
    ]
    tests.append(
        make(
            L, L, "test_raise", "y", "matmul_torch", 0, 1,
            "error: {task}: the grader itself failed (StudentAttributeError) in lin_grad_twice",
        )
    )  # fmt: skip
    tests += [
        make(L, L, "test_cuda", p, "matmul_torch", 0, 0, "skipped: no GPU", status="skipped")
        for p in ("cuda-a", "cuda-b")
    ]
    tests.append(
        make(L, L, "test_secret", "z", "matmul_torch", 0, 3, "values: hidden", vis="hidden")
    )
    return tests


def lesson2() -> list[dict]:
    L = "lesson2_init"
    tests = [make(L, L, "test_fans", str(i), "calc_fans", 0, 1, MISSING) for i in range(150)]
    tests += [make(L, L, "test_gpu", "cuda", "gain", 0, 0, "skipped: no GPU", status="skipped")]
    # a grader that cannot tell a missing module from a wrong answer: the module is missing
    tests += [make(L, L, "test_rule", "r", "gain", 0, 1, "rule: {task}: must be defined with def")]
    return tests


def lesson3() -> list[dict]:
    L = "lesson3_backward"
    return [make(L, L, "test_lin", str(i), f"task{i % 5}", 0, 2, IMPORT) for i in range(30)]


def result() -> dict:
    tests = lesson1() + lesson2() + lesson3()
    lessons = {}
    for t in tests:
        lesson = t["extra_data"]["id"].split("/")[0]
        s = lessons.setdefault(lesson, {"score": 0, "max_score": 0})
        s["score"] += t["score"]
        s["max_score"] += t["max_score"]
    return {
        "score": sum(t["score"] for t in tests),
        "max_score": sum(t["max_score"] for t in tests),
        "execution_time": 1.0,
        "output": "Graded 3 lesson(s).",
        "tests": tests,
        "extra_data": {"seed": 7, "lessons": lessons},
    }


def test_a_lesson_failed_as_a_whole_is_one_line():
    lessons = {s.lesson: s for s in report.summarise(result())}
    assert lessons["lesson2_init"].verdict == (  # 150 missing, and one misleading rule message
        "missing: lesson2_init/initialization.py was not found in the submission"
    )
    assert lessons["lesson3_backward"].verdict.startswith("import: backward.py failed to import")
    assert lessons["lesson1_matmul"].verdict == ""


def test_identical_failures_are_grouped_and_skipped_tests_are_skipped():
    l1 = report.summarise(result())[0]
    messages = {row.message: row for row in l1.failed}
    grouped = messages["timeout: the call took longer than 10 s"]
    assert grouped.name == "3 tests (frobenius_norm, matmul_broadcast)" and len(grouped.ids) == 3
    assert [r.status for r in l1.skipped] == ["skipped"] and len(l1.skipped[0].ids) == 2
    assert all(r.status == "passed" for r in l1.passed) and len(l1.passed) == 2
    assert l1.counts == "6 failed, 2 passed, 2 skipped"


def test_a_probe_named_like_a_student_function_is_not_renamed():
    names = report._probe_names()
    assert not {"matmul_loops", "frobenius_norm", "lin_grad", "forward_and_backward"} & names
    assert report.clean("error: lin_grad: raised StudentValueError") == (
        "error: lin_grad: raised ValueError"
    )


def test_internal_names_never_reach_a_student():
    text = feedback.markdown("alice", result()) + feedback.page("alice", result())
    text += report.terminal(result()) + str(report.for_gradescope(result()))
    assert "StudentAttributeError" not in text and "AttributeError" in text
    assert "lin_grad_twice" not in text  # a probe of lesson 3


def test_feedback_fits_one_screen():
    md = feedback.markdown("alice", result())
    assert md.count("initialization.py was not found") == 1  # 150 tests, one line
    assert md.count("backward.py failed to import") == 1
    assert len(md.splitlines()) < 70
    summary_table = md.split("## ")[0]
    assert "| lesson2_init | 0/151 | missing: lesson2_init/initialization.py" in summary_table
    # skipped rows never look passed: not in the passed count, marked skipped
    assert "2 tests (matmul_torch) skipped (no GPU)" in md
    assert "| matmul_torch: does the thing cuda-a | 0/0 | skipped |" in md
    html = feedback.page("alice", result())
    assert "<tr class='skipped'><td>2 tests (matmul_torch)</td>" in html
    # hidden tests are counted, not listed
    assert "1 hidden tests: 0/3" in md and "values: hidden" not in md


def test_the_terminal_lists_what_failed():
    text = report.terminal(result())
    assert "lesson2_init: 0/151 - missing: lesson2_init/initialization.py" in text
    assert "lesson1_matmul: matmul_einsum: does the thing x: values: matmul_einsum" in text
    assert "3 tests (frobenius_norm, matmul_broadcast): timeout: the call took longer" in text
    assert text.count("initialization.py") == 1


def test_gradescope_results_collapse_lessons_and_know_only_passed_and_failed():
    gs = report.for_gradescope(result())
    assert {t.get("status") for t in gs["tests"]} <= {"passed", "failed", None}
    whole = [t for t in gs["tests"] if t["name"] == "lesson2_init: the whole lesson"]
    assert len(whole) == 1 and whole[0]["score"] == 0
    assert whole[0]["output"].startswith("missing: lesson2_init/initialization.py")
    assert len([t for t in gs["tests"] if t["name"].startswith("lesson2_init")]) == 1
    assert whole[0]["max_score"] == 151
    skipped = [t for t in gs["tests"] if "skipped" in t["name"]]
    assert len(skipped) == 1 and "status" not in skipped[0] and skipped[0]["max_score"] == 0
    assert gs["score"] == pytest.approx(sum(t["score"] for t in gs["tests"]))
    assert sum(t["max_score"] for t in gs["tests"]) == pytest.approx(gs["max_score"])
    assert gs["output"].splitlines()[0].startswith("lesson1_matmul: 4/12 - 6 failed")


# ---- one truth for totals: written answers and hand grades -----------------------------------


def hand(state, score=None, written=True, worth=3.0):
    return {"score": score, "max_score": worth, "state": state, "written": written}


def test_written_answers_count_in_every_total():
    per_lesson = {"lesson1_matmul": dict(result(), tests=lesson1())}
    awaiting = classreport.combine(per_lesson, {"lesson1_matmul": {"q1": hand("awaiting")}})
    s = awaiting["extra_data"]["lessons"]["lesson1_matmul"]
    assert (s["score"], s["max_score"], s["awaiting"]) == (4, 15, 3)
    assert awaiting["max_score"] == 15
    assert "awaiting manual grading" in feedback.markdown("alice", awaiting)
    assert "3 points of written answers await manual grading" in feedback.markdown("a", awaiting)

    graded = classreport.combine(per_lesson, {"lesson1_matmul": {"q1": hand("graded", 2.5)}})
    assert graded["score"] == 6.5 and graded["max_score"] == 15
    row = next(t for t in graded["tests"] if t["extra_data"].get("written"))
    assert (row["score"], row["status"], results.test_id(row)) == (
        2.5,
        "graded",
        "lesson1_matmul/written::q1",
    )
    table = classreport.table({"alice": awaiting, "bob": graded})
    assert "4/15*" in table and "6.5/15 " in table and "await manual grading" in table


def test_a_score_set_by_hand_on_a_test_wins():
    per_lesson = {"lesson1_matmul": dict(result(), tests=lesson1())}
    einsum = next(t for t in lesson1() if t["extra_data"]["task"] == "matmul_einsum")
    override = {gradebook.cell_name(einsum): hand("graded", 1.0, written=False, worth=1.0)}
    merged = classreport.combine(per_lesson, {"lesson1_matmul": override})
    assert merged["score"] == 5
    row = next(t for t in merged["tests"] if results.test_id(t) == results.test_id(einsum))
    assert row["score"] == 1.0 and "score set by hand: 1/1" in row["output"]


def test_tests_csv_is_keyed_on_the_stable_id(tmp_path):
    merged = {"alice": classreport.combine({"lesson1_matmul": dict(result(), tests=lesson1())}, {})}
    classreport.write_tests_csv(tmp_path / "tests.csv", merged)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "tests.csv").read_text())))
    assert [r["test_id"] for r in rows] == [results.test_id(t) for t in lesson1()]
    assert {r["status"] for r in rows} == {"passed", "failed", "skipped"}
    assert not [r for r in rows if "StudentAttributeError" in r["output"]]


def test_gradebook_cells_survive_a_reworded_docstring(tmp_path):
    """A grade cell is keyed on extra_data.id: rewording the display name keeps the cell and
    a TA's score on it; a test that is gone is pruned."""
    db = tmp_path / "gradebook.db"
    tests = lesson1()
    with gradebook.open_gradebook(db) as gb:
        gradebook.define_lesson(gb, "lesson1_matmul", tests, prune=True)
        gradebook.record(gb, "alice", "lesson1_matmul", tests)
        cell = gradebook.cell_name(tests[2])
        gb.find_grade(cell, "lesson1_matmul", "lesson1_matmul", "alice").manual_score = 1.0
        gb.db.commit()
        cells = {c.name for c in gb.find_notebook("lesson1_matmul", "lesson1_matmul").grade_cells}
    assert {gradebook.cell_name(t) for t in tests} <= cells
    assert "broadcast_explanation" in cells  # the notebook's written question
    reworded = [dict(t, name=t["name"].replace("does the thing", "reworded")) for t in tests[:-1]]
    with gradebook.open_gradebook(db) as gb:
        gradebook.define_lesson(gb, "lesson1_matmul", reworded, prune=True)
        gradebook.record(gb, "alice", "lesson1_matmul", reworded)
        after = {c.name for c in gb.find_notebook("lesson1_matmul", "lesson1_matmul").grade_cells}
    assert after == cells - {gradebook.cell_name(tests[-1])}
    grades = gradebook.hand_grades(db)["alice"]["lesson1_matmul"]
    assert grades[cell]["score"] == 1.0 and grades[cell]["state"] == "graded"
    assert grades["broadcast_explanation"]["state"] == "awaiting"
