"""The Gradescope autograders (one zip per lesson, one for all), run against a simulated
/autograder tree (tmp dir with source/, submission/, results/) with the local venv; setup.sh
is not run. Uploads in every layout a student uses: the module alone, the lesson folder, the
whole repository, nothing gradeable."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from autograder import gradescope
from autograder.lessons import ROOT, all_lessons, select

LESSON = select(["lesson1_matmul"])[0]
OTHERS = [lesson for lesson in all_lessons() if lesson.id != LESSON.id]
REFERENCE = (ROOT / "solutions" / LESSON.id / f"{LESSON.module}.py").read_text()
STUB = (ROOT / "assignments" / LESSON.id / f"{LESSON.module}.py").read_text()
TASKS = "frobenius_norm,matmul_torch"  # a quick subset of lesson 1 (~10 s per upload)


def unpack(archive, into):
    with zipfile.ZipFile(archive) as z:
        z.extractall(into / "source")
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
    return into, z.namelist(), modes


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gradescope")
    zips = gradescope.build_all(tmp / "build")
    return tmp, {z.name: z for z in zips}


@pytest.fixture(scope="module")
def lesson_zip(built):
    tmp, zips = built
    return unpack(zips[f"gradescope-{LESSON.id}.zip"], tmp / "autograder-lesson1")


@pytest.fixture(scope="module")
def all_zip(built):
    tmp, zips = built
    return unpack(zips[f"gradescope-{gradescope.ALL}.zip"], tmp / "autograder-all")


def test_one_zip_per_lesson_and_one_for_all_private(built):
    tmp, zips = built
    want = {f"gradescope-{lesson.id}.zip" for lesson in all_lessons()}
    assert set(zips) == want | {f"gradescope-{gradescope.ALL}.zip"}
    folder = tmp / "build"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in zips.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path  # solutions and graders inside
    assert not list(folder.glob("*.tmp"))


def test_a_lesson_zip_holds_its_lesson_only(lesson_zip):
    _, names, modes = lesson_zip
    for required in ("setup.sh", "run_autograder", "requirements.txt", "Makefile"):
        assert required in names
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & 0o111, f"{script} must be executable"
    assert any(n.startswith(f"autograder/graders/{LESSON.id}") for n in names)
    assert f"solutions/{LESSON.id}/{LESSON.module}.py" in names
    assert any(n.startswith("courselib/") for n in names)
    for other in OTHERS:
        assert not [n for n in names if other.id in n and not n.startswith("courselib/")], other
    assert not [n for n in names if n.split("/")[0] in ("tests", "source", "examples", ".git")]
    assert not [n for n in names if "__pycache__" in n or n.startswith("autograder/benches")]


def test_setup_installs_bubblewrap_and_run_autograder_names_its_lesson(lesson_zip, all_zip):
    root, _, _ = lesson_zip
    setup = (root / "source" / "setup.sh").read_text()
    assert "apt-get install -y -qq bubblewrap" in setup
    assert f"--lesson {LESSON.id} " in (root / "source" / "run_autograder").read_text()
    run_all = (all_zip[0] / "source" / "run_autograder").read_text()
    assert all(f"--lesson {lesson.id} " in run_all for lesson in all_lessons())


def _run(root, files: dict[str, str], tasks: str | None = TASKS, links=None):
    submission, results = root / "submission", root / "results"
    for folder in (submission, results):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for rel, text in files.items():
        (submission / rel).parent.mkdir(parents=True, exist_ok=True)
        (submission / rel).write_text(text)
    for rel, target in (links or {}).items():
        (submission / rel).symlink_to(target)
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    env.pop("AUTOGRADER_TASKS", None)
    if tasks:
        env["AUTOGRADER_TASKS"] = tasks
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((results / "results.json").read_text())


def _check_schema(result, lessons=(LESSON,)):
    assert {"score", "execution_time", "output", "tests"} <= set(result)
    prefixes = tuple(f"{lesson.id}: " for lesson in lessons)
    for t in result["tests"]:
        assert {"name", "score", "max_score", "output", "visibility"} <= set(t)
        assert t["name"].startswith(prefixes), t["name"]
        assert t.get("status", "passed") in ("passed", "failed")  # all Gradescope knows
    assert result["score"] == pytest.approx(sum(t["score"] for t in result["tests"]))


def test_the_module_alone_gets_full_marks(lesson_zip):
    root, _, _ = lesson_zip
    result = _run(root, {f"{LESSON.module}.py": REFERENCE})
    _check_schema(result)
    assert result["score"] == result["max_score"] > 0
    assert "layout: bare module (matmul.py)" in result["output"]


def test_the_lesson_folder_with_a_stub_says_what_is_unfinished(lesson_zip):
    root, _, _ = lesson_zip
    result = _run(root, {f"{LESSON.id}/{LESSON.module}.py": STUB, f"{LESSON.id}/notes.txt": ""})
    _check_schema(result)
    assert result["score"] == 0 and result["tests"]
    graded = [t for t in result["tests"] if t["max_score"] > 0]
    # per test, what to do: the task named, the category first
    assert graded and all(t["output"].startswith("unfinished: ") for t in graded)
    assert {t["output"].split(": ")[1] for t in graded} == set(TASKS.split(","))
    assert f"layout: lesson folders ({LESSON.id}/)" in result["output"]


def test_a_whole_repository_is_graded_on_this_lesson_only(lesson_zip):
    """The student release as GitHub Classroom holds it, every lesson's module present."""
    root, _, _ = lesson_zip
    files = {f"assignments/{LESSON.id}/{LESSON.module}.py": REFERENCE, "README.md": "my work"}
    for other in OTHERS:
        files[f"assignments/{other.id}/{other.module}.py"] = "raise SystemExit(1)\n"
    files["courselib/__init__.py"] = ""
    result = _run(root, files)
    _check_schema(result)  # only lesson 1's tests
    assert result["score"] == result["max_score"] > 0
    assert f"layout: student repository (assignments/{LESSON.id}/)" in result["output"]


def test_nothing_gradeable_says_what_was_expected(lesson_zip):
    root, _, _ = lesson_zip
    result = _run(root, {"README.txt": "nothing here", "Matmul.PY": "x"})
    assert result["score"] == 0 and result["tests"] == []
    output = result["output"]
    assert output.startswith("Nothing gradeable was uploaded")
    assert "matmul.py alone, the folder lesson1_matmul/" in output
    assert "assignments/lesson1_matmul/matmul.py" in output


def test_a_linked_upload_is_refused_by_name(lesson_zip):
    root, _, _ = lesson_zip
    result = _run(root, {}, links={LESSON.id: ROOT / "solutions" / LESSON.id})
    assert result["score"] == 0 and result["tests"] == []
    assert "lesson1_matmul is a link; links are never graded" in result["output"]


def test_the_all_lessons_zip_shows_a_missing_lesson_as_one_row(all_zip):
    """matmul.py alone uploaded to the all-lessons assignment: lesson 1 graded test by test,
    every other lesson one row worth its points, saying what is missing."""
    root, _, _ = all_zip
    result = _run(root, {f"{LESSON.module}.py": STUB}, tasks=None)
    _check_schema(result, all_lessons())
    for other in OTHERS:
        rows = [t for t in result["tests"] if t["name"].startswith(f"{other.id}: ")]
        assert len(rows) == 1, [t["name"] for t in rows]
        assert rows[0]["max_score"] > 0 and rows[0]["score"] == 0
        assert rows[0]["output"] == (
            f"missing: {other.id}/{other.module}.py was not found in the submission"
        )
    mine = [t for t in result["tests"] if t["name"].startswith(f"{LESSON.id}: ")]
    assert len(mine) > 10 and result["score"] == 0
    assert result["max_score"] == pytest.approx(sum(t["max_score"] for t in result["tests"]))
    first = result["output"].splitlines()[0]
    assert first.startswith(f"{LESSON.id}: 0/") and "failed" in first
