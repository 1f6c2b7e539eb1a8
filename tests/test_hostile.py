"""The hostile bank (tests/hostile/, see its README) graded as one class: every case gets its
expected score within its time limits, the batch completes, the gradebook stays intact."""

from __future__ import annotations

import ast
import json
import os
import shutil
import time

import nbformat
import pytest

from autograder import classroom, gradebook
from autograder.lessons import ROOT, select

BANK = ROOT / "tests" / "hostile"
LESSON = select(["lesson1_matmul"])[0]
TASKS = {"frobenius_norm", "matmul_torch"}  # two tasks keep the bank quick (~1 min, 2 workers)
BUDGET_S = 90.0  # a safety net: the slowest case (two 10 s call timeouts) needs ~35 s


def meta(path):
    """The case's upper-case constants, read without importing the file."""
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id.isupper():
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


CASES = sorted(p.stem for p in BANK.glob("*.py"))


def _module(case) -> str | None:
    path = BANK / f"{case}.py"
    m = meta(path)
    reference = (ROOT / "solutions" / LESSON.id / f"{LESSON.module}.py").read_text()
    stub = (ROOT / "assignments" / LESSON.id / f"{LESSON.module}.py").read_text()
    mode = m.get("MODE", "append")
    if m.get("LAYOUT") in ("no_module", "symlink_module", "symlink_lesson"):
        return None
    if mode == "source":
        return m["SOURCE"]
    if mode == "replace":
        return path.read_text()
    base = stub if mode == "stub" else reference
    return f"{base}\n\n# ---- hostile: {case} ----\n{path.read_text()}"


def _notebook(kind, folder):
    nb_path = folder / f"{LESSON.id}.ipynb"
    if kind == "garbage":
        nb_path.write_text('{"cells": [ this is not json')
        return
    nb = nbformat.read(ROOT / "solutions" / LESSON.id / nb_path.name, as_version=4)
    written = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert written, "the lesson-1 notebook should have a written question"
    if kind == "deleted_cell":
        nb.cells = [c for c in nb.cells if c not in written]
    elif kind == "duplicated_cell":
        i = nb.cells.index(written[0])
        copy = nbformat.from_dict(json.loads(json.dumps(written[0])))
        copy["id"] = "duplicate"
        nb.cells.insert(i + 1, copy)
    nbformat.write(nb, nb_path)


def remove_tree(top) -> None:
    """shutil.rmtree without recursion: the deep_nesting case is deeper than Python's
    recursion limit, and pytest's own clean-up of old tmp folders would choke on it."""
    stack, folders = [str(top)], []
    while stack:
        folder = stack.pop()
        folders.append(folder)
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


def build_class(root):
    for case in CASES:
        folder = root / "submitted" / case / LESSON.id
        layout = meta(BANK / f"{case}.py").get("LAYOUT")
        reference = ROOT / "solutions" / LESSON.id
        if layout == "symlink_lesson":  # the whole lesson folder is a link to the reference
            folder.parent.mkdir(parents=True)
            folder.symlink_to(reference, target_is_directory=True)
            continue
        folder.mkdir(parents=True)
        if layout == "symlink_module":  # the module is a link to the reference's
            (folder / f"{LESSON.module}.py").symlink_to(reference / f"{LESSON.module}.py")
        shutil.copy(ROOT / "solutions" / LESSON.id / f"test_{LESSON.module}.py", folder)
        text = _module(case)
        if text is not None:
            (folder / f"{LESSON.module}.py").write_text(text)
        if layout == "deep_nesting":
            deep = folder
            for _ in range(1200):  # one by one: mkdir(parents=True) recurses per level
                deep = deep / "d"
                deep.mkdir()
        elif layout == "many_files":
            for i in range(5000):
                (folder / f"note{i}.txt").write_text("x")
        kind = meta(BANK / f"{case}.py").get("NOTEBOOK")
        if kind:
            _notebook(kind, folder)
    return root


def test_bank_is_big_enough_and_well_formed():
    assert len(CASES) >= 40
    for case in CASES:
        m = meta(BANK / f"{case}.py")
        assert m.get("EXPECT") in (0, "full", "partial"), case
        if m["EXPECT"] == "partial":
            assert m.get("ZERO"), f"{case}: a partial case names the tests that score 0"
        assert (BANK / f"{case}.py").read_text().startswith('"""'), f"{case}: say what it does"


def _test_id(t) -> str:
    return t.get("extra_data", {}).get("id", t["name"])


def problems_of(case, result) -> list[str]:
    """What is wrong with one case's grading (empty when it scored exactly as expected)."""
    m = meta(BANK / f"{case}.py")
    if not result["tests"]:
        return [f"{case}: no tests recorded"]
    zero = m.get("ZERO", []) if m["EXPECT"] == "partial" else []
    problems = []
    graded = [t for t in result["tests"] if t.get("status") != "skipped"]
    for t in graded:
        if m["EXPECT"] == 0 or any(z in _test_id(t) for z in zero):
            if t["score"] != 0:
                problems.append(f"{case}: {_test_id(t)} should score 0, got {t['score']}")
            elif "MESSAGE" in m and m["MESSAGE"] not in t["output"]:
                problems.append(f"{case}: {_test_id(t)}: {t['output']!r} lacks {m['MESSAGE']!r}")
        elif t["score"] != t["max_score"]:
            problems.append(f"{case}: {_test_id(t)} should keep full marks: {t['output']}")
    for z in zero:
        if not any(z in _test_id(t) for t in result["tests"]):
            problems.append(f"{case}: no test matches {z!r}")
    for t in graded:  # one short line naming a category; no path, no traceback
        out = t["output"]
        if "/tmp/" in out or "box-" in out or "Traceback" in out or len(out) > 400:
            problems.append(f"{case}: {_test_id(t)}: {out[:200]}")
    if result["execution_time"] > BUDGET_S + 30:
        problems.append(f"{case}: took {result['execution_time']} s")
    return problems


def test_hostile_bank_graded_as_a_class(tmp_path, seed):
    """One test (one grading of the bank, ~2 min on 2 busy cores): every case scores as
    expected within its time limits, the batch completes, the gradebook stays intact."""
    class_dir = build_class(tmp_path / "class")
    try:
        _grade_and_check(class_dir, tmp_path / "out", seed)
    finally:
        for deep in (class_dir / "submitted", tmp_path / "out" / "submitted"):
            if (deep / "deep_nesting").exists():
                remove_tree(deep / "deep_nesting")


def _grade_and_check(class_dir, out, seed):
    start = time.monotonic()
    run = classroom.grade_class(
        class_dir, out, [LESSON], jobs=2, seed=seed, tasks=TASKS, budget_s=BUDGET_S, quiet=True
    )
    merged = classroom.report(run)
    wall = time.monotonic() - start
    print(f"hostile bank: {len(merged)} cases in {wall:.1f} s with 2 workers")
    assert not run.errors, run.errors
    assert set(merged) == set(CASES)
    problems = [p for case in CASES for p in problems_of(case, merged[case])]
    assert not problems, "\n".join(problems)

    # the gradebook holds one submission per case with the judge's scores
    in_db = gradebook.scores(out / "gradebook.db")
    assert set(in_db) == set(CASES)
    written_max = sum(classroom.written_questions(LESSON).values())
    for case in CASES:
        score, worth = in_db[case][LESSON.id]
        assert score == pytest.approx(merged[case]["score"]), case
        assert worth == pytest.approx(merged[case]["max_score"] + written_max), case
    assert len((out / "grades.csv").read_text().splitlines()) == 1 + len(CASES)
    # the results on disk are the judge's, whatever fake_results wrote
    on_disk = json.loads((out / "results" / "fake_results.json").read_text())
    assert on_disk["score"] == merged["fake_results"]["score"] < on_disk["max_score"]
    assert not list(out.rglob("results.json"))

    # notebook problems reach the feedback
    def feedback(case):
        return (out / "feedback" / case / "feedback.md").read_text()

    assert "missing from the notebook" in feedback("notebook_deleted_cell")
    assert "more than once" in feedback("notebook_duplicated_cell")
    assert "could not be read" in feedback("notebook_garbage")
