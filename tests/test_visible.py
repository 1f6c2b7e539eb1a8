"""`make test-lessonN`: the visible tests pass on the reference in the installed student release,
fail on the stubs with a message naming the unfinished task, and every other way a test can
end (an endless loop, a syntax error, a crash ...) reads as one line, category first."""

import shutil
import subprocess
import sys
import time

import pytest

from autograder.lessons import ROOT
from tests.installed_release import BUILD_TIMEOUT, LESSONS, installed_release  # noqa: F401
from tests.installed_release import student_env

LESSON = "lesson1_matmul"
# the line where _lesson_with's code begins: after the reference's lines and two blank ones
APPENDED = len((ROOT / "solutions" / LESSON / "matmul.py").read_text().splitlines()) + 3


def _visible(folder, timeout=10):
    cmd = [sys.executable, "-m", "courselib.visible", str(folder), f"--timeout={timeout}"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COURSE_SMALL": "1"}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def _failures(output):
    """The one-line messages: the lines under pytest's failure headers, and the watchdog's."""
    lines = output.splitlines()
    pairs = list(zip([""] + lines, lines))
    return [b for a, b in pairs if a.startswith("____")] + [
        b for a, b in pairs if b.startswith(("crash: ", "timeout: ")) and not a.startswith("____")
    ]


def _lesson_with(tmp_path, code, name=LESSON):
    """A copy of the reference lesson folder with CODE appended to its module (later
    definitions replace the reference's)."""
    folder = tmp_path / name
    shutil.copytree(ROOT / "solutions" / LESSON, folder)
    with open(folder / "matmul.py", "a") as f:
        f.write("\n\n" + code)
    return folder


def _no_traceback(output):
    assert "Traceback" not in output and 'File "/' not in output, output[-3000:]
    assert str(ROOT) not in output


@pytest.mark.parametrize("lesson", LESSONS)
def test_visible_tests_fail_on_stubs_saying_what_to_do(lesson):
    run = _visible(ROOT / "assignments" / lesson)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "unfinished: " in run.stdout and "not implemented yet" in run.stdout, run.stdout[-3000:]
    _no_traceback(run.stdout)


def test_every_failure_kind_is_one_line_and_the_other_tests_still_run(tmp_path):
    folder = _lesson_with(
        tmp_path,
        "def matmul_loops(a, b):\n    while True:\n        pass\n\n\n"
        "def matmul_elementwise(a, b):\n    return a.no_such_method()\n\n\n"
        "def matmul_broadcast(a, b):\n    raise SystemExit(3)\n\n\n"
        "def matmul_einsum(a, b):\n    return (a @ b) + 1\n\n\n"
        "def matmul_torch(a, b):\n    raise NotImplementedError('matmul_torch')\n",
    )
    start = time.monotonic()
    run = _visible(folder, timeout=2)
    assert time.monotonic() - start < 60
    assert run.returncode == 1
    messages = _failures(run.stdout)
    assert len(messages) == 20 and "1 passed" in run.stdout, run.stdout  # frobenius_norm passes
    first = {m.split(": ")[1]: m for m in reversed(messages)}  # the first message per task
    assert first["matmul_loops"].startswith(
        "timeout: matmul_loops: still running after 2 s, stopped at matmul.py line"
    )
    # the other tests of a function that timed out are not run again (each would cost 2 s)
    again = "timeout: matmul_loops: not run again, it timed out in test_equals_torch[matmul_loops]"
    assert messages.count(again) == 3, messages
    assert first["matmul_elementwise"].startswith(
        "error: matmul_elementwise: raised AttributeError: 'Tensor' object has no attribute"
    )
    assert first["matmul_broadcast"].startswith("crash: matmul_broadcast: called sys.exit(3)")
    assert first["matmul_einsum"].startswith("values: matmul_einsum: the result differs from a @ b")
    assert first["matmul_torch"].startswith("unfinished: matmul_torch: not implemented yet")
    _no_traceback(run.stdout)


@pytest.mark.parametrize(
    "code, message",
    [
        ("def matmul_loops((a, b):\n    pass\n", "import: matmul.py line {0}: SyntaxError: "),
        ("x = undefined + 1\n", "import: matmul.py line {0}: NameError: name 'undefined' is not"),
        (
            "import sys\nsys.exit(2)\n",
            "import: matmul.py line {1}: calls sys.exit(2) when imported",
        ),
        ("del frobenius_norm\n", "missing: frobenius_norm: matmul.py does not define it"),
        (None, "missing: matmul.py: no such file in lesson1_matmul/ (the tests import it)"),
        (
            "while True:\n    pass\n",
            "timeout: matmul: still running after 2 s, stopped at matmul.py line",
        ),
    ],
    ids=["syntax", "name", "exit", "name-missing", "file-missing", "endless-import"],
)
def test_a_module_that_does_not_import_is_one_line(tmp_path, code, message):
    folder = _lesson_with(tmp_path, code or "")
    message = message.format(APPENDED, APPENDED + 1)
    if code is None:
        (folder / "matmul.py").unlink()
    run = _visible(folder, timeout=2)
    assert run.returncode == 2, run.stdout
    assert _failures(run.stdout) == [run.stdout.splitlines()[3]], run.stdout
    assert run.stdout.splitlines()[3].startswith(message), run.stdout
    _no_traceback(run.stdout)


@pytest.mark.parametrize(
    "code, message",
    [
        (  # catches the alarm too: only killing the process stops it
            "def matmul_loops(a, b):\n    while True:\n        try:\n            while True:\n"
            "                pass\n        except BaseException:\n            pass\n",
            "timeout: matmul_loops: still running 5 s after its 1 s limit and could not be stopped",
        ),
        (
            "def matmul_loops(a, b):\n    import os\n\n    os._exit(0)\n",
            "crash: test_equals_torch[matmul_loops]: the test process died (it exited with "
            "status 0 before the tests finished); the tests after it were not run",
        ),
        (  # a thread that never ends keeps the process alive after the last test
            "import threading\nimport time\n\n\ndef matmul_torch(a, b):\n"
            "    threading.Thread(target=time.sleep, args=(3600,)).start()\n    return a @ b\n",
            "timeout: the tests finished but the process did not end 5 s later",
        ),
    ],
    ids=["unstoppable", "os-exit", "thread"],
)
def test_what_the_test_process_cannot_report_the_watchdog_does(tmp_path, code, message):
    start = time.monotonic()
    run = _visible(_lesson_with(tmp_path, code), timeout=1)
    assert time.monotonic() - start < 60
    assert run.returncode == 1, run.stdout
    assert _failures(run.stdout)[-1].startswith(message), run.stdout
    _no_traceback(run.stdout)


# ---- in the installed student release, through its own Makefile -------------------------------


def _make(root, target, **variables):
    cmd = ["make", "-s", target] + [f"{k}={v}" for k, v in variables.items()]
    return subprocess.run(
        cmd, cwd=root, env=student_env(), capture_output=True, text=True, timeout=600
    )


@pytest.mark.timeout(BUILD_TIMEOUT)
@pytest.mark.parametrize("lesson", LESSONS)
def test_visible_tests_pass_on_the_reference_in_the_installed_release(
    lesson, installed_release  # noqa: F811
):
    root = installed_release["root"]  # its assignments/ holds the reference by now
    number = lesson.split("_")[0].removeprefix("lesson")
    run = _make(root, f"test-lesson{number}")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


@pytest.mark.timeout(BUILD_TIMEOUT)
def test_installed_release_reports_an_endless_loop_within_30_s(
    installed_release, tmp_path  # noqa: F811
):
    _lesson_with(tmp_path / "mywork", "def matmul_loops(a, b):\n    while True:\n        pass\n")
    start = time.monotonic()
    run = _make(installed_release["root"], "test-lesson1", SUBMISSION=tmp_path / "mywork")
    took = time.monotonic() - start
    assert run.returncode != 0
    assert took < 30, f"make test-lesson1 took {took:.1f} s"
    messages = _failures(run.stdout)
    assert messages[0].startswith("timeout: matmul_loops: still running after 10 s"), run.stdout
    print(f"make test-lesson1 with an endless loop: {took:.1f} s")


@pytest.mark.timeout(BUILD_TIMEOUT)
def test_installed_release_reports_a_syntax_error_as_one_import_line(
    installed_release, tmp_path  # noqa: F811
):
    _lesson_with(tmp_path / "mywork", "def matmul_loops((a, b):\n    pass\n")
    run = _make(installed_release["root"], "test-lesson1", SUBMISSION=tmp_path / "mywork")
    assert run.returncode != 0
    messages = _failures(run.stdout)
    assert len(messages) == 1, run.stdout
    assert messages[0].startswith(f"import: matmul.py line {APPENDED}: SyntaxError: "), run.stdout
    _no_traceback(run.stdout)
