"""The Gradescope autograder zip, run against a simulated /autograder tree (tmp dir with
source/, submission/, results/) with the local venv; setup.sh is not run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder import gradescope
from autograder.lessons import ROOT, select

LESSON = select(["lesson1_matmul"])[0]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gradescope")
    archive = gradescope.build(tmp / "autograder.zip")
    source = tmp / "autograder" / "source"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        z.extractall(source)
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
    return tmp / "autograder", names, modes


def test_zip_holds_the_engine_graders_and_reference_but_no_tests(unpacked):
    _, names, modes = unpacked
    for required in ("setup.sh", "run_autograder", "requirements.txt", "Makefile"):
        assert required in names
        if required in ("setup.sh", "run_autograder"):
            assert modes[required] & 0o111, f"{required} must be executable"
    grader = LESSON.graders.relative_to(ROOT).as_posix()  # a grader file or a package
    assert any(n == grader or n.startswith(grader + "/") for n in names), grader
    assert f"solutions/{LESSON.id}/{LESSON.module}.py" in names
    assert any(n.startswith("courselib/") for n in names)
    assert not [n for n in names if n.split("/")[0] in ("tests", "source", "examples", ".git")]
    assert not [n for n in names if "__pycache__" in n]


def _run(root, files: dict[str, str]):
    submission, results = root / "submission", root / "results"
    for folder in (submission, results):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for rel, text in files.items():
        (submission / rel).parent.mkdir(parents=True, exist_ok=True)
        (submission / rel).write_text(text)
    env = dict(os.environ)
    env.update(
        AUTOGRADER_ROOT=str(root),
        AUTOGRADER_PYTHON=sys.executable,
        AUTOGRADER_LESSONS=LESSON.id,
        AUTOGRADER_TASKS="frobenius_norm,matmul_torch",
    )
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((results / "results.json").read_text())


def _check_schema(result):
    assert {"score", "max_score", "execution_time", "tests"} <= set(result)
    for t in result["tests"]:
        assert {"name", "score", "max_score", "output", "visibility"} <= set(t)
        assert t["name"].startswith(f"{LESSON.id}: ")
    assert result["score"] == pytest.approx(sum(t["score"] for t in result["tests"]))


def test_reference_uploaded_as_a_repository_gets_full_marks(unpacked):
    root, _, _ = unpacked
    module = (ROOT / "solutions" / LESSON.id / f"{LESSON.module}.py").read_text()
    result = _run(root, {f"repo/assignments/{LESSON.id}/{LESSON.module}.py": module})
    _check_schema(result)
    assert result["score"] == result["max_score"] > 0


def test_loose_stub_module_scores_zero_with_messages(unpacked):
    root, _, _ = unpacked
    stub = (ROOT / "assignments" / LESSON.id / f"{LESSON.module}.py").read_text()
    result = _run(root, {f"{LESSON.module}.py": stub})
    _check_schema(result)
    assert result["score"] == 0 and result["tests"]
    graded = [t for t in result["tests"] if t["max_score"] > 0]
    assert graded and all(t["output"].startswith("unfinished") for t in graded)
    assert f"graded {LESSON.module}.py" in result["output"]


def test_empty_submission_still_writes_results(unpacked):
    root, _, _ = unpacked
    result = _run(root, {"README.txt": "nothing here"})
    _check_schema(result)
    assert result["score"] == 0
    assert all(t["output"].startswith("missing") for t in result["tests"] if t["max_score"])
