"""`make test-lessonN`: the visible tests pass on the solutions and fail, with a message naming
the unfinished task, on the stubs."""

import subprocess
import sys

import pytest

from autograder.lessons import ROOT

LESSONS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())


def _run(folder):
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p"]
    cmd += ["courselib.pytest_plugin", "--rootdir=.", "-c", "/dev/null", "."]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COURSE_SMALL": "1"}
    return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("lesson", LESSONS)
def test_visible_tests_pass_on_solutions(lesson):
    run = _run(ROOT / "solutions" / lesson)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.parametrize("lesson", LESSONS)
def test_visible_tests_fail_on_stubs_saying_what_to_do(lesson):
    run = _run(ROOT / "assignments" / lesson)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "unfinished: " in run.stdout and "not implemented yet" in run.stdout, run.stdout[-3000:]
    assert "Traceback" not in run.stdout
