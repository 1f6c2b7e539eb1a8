"""Run one lesson's visible tests: `make test-lessonN` calls this.

    python -m courselib.visible FOLDER [--timeout SECONDS]

FOLDER is a lesson folder (`assignments/lesson1_matmul`). The tests run in one child process
(pytest with `courselib.pytest_plugin`: one line per failure, a time limit per test). This
parent is the watchdog for what the child cannot report itself, each as one more line:

    timeout: matmul_loops: still running 5 s after its 10 s limit and could not be stopped ...
    crash: test_equals_torch[matmul_loops]: the test process died (killed by SIGSEGV) ...

The first when a test (or the import of the tests) outlives its limit by GRACE seconds (stuck
inside a C call, or code that catches every exception, the alarm included), or the process
outlives the end of the run by GRACE seconds (a thread that never ends): the child is killed. The second when the child
ends without finishing the run (os._exit, a segfault, the out-of-memory killer).
The exit status is pytest's (0: all passed), or 1 after either line. This parent imports
nothing but the standard library (no torch), so it costs no start-up time of its own.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_TIMEOUT = 10.0  # seconds per test: the hidden graders' limit per call
GRACE = 5.0  # seconds past a test's limit before the watchdog kills the run
POLL = 0.1  # seconds between looks at the progress file


def _progress(path: Path) -> list[list[str]]:
    try:
        return [line.split("\t") for line in path.read_text().splitlines() if line]
    except OSError:
        return []


def _last_start(lines: list[list[str]]) -> int:
    starts = [i for i, x in enumerate(lines) if x[0] == "start"]
    return starts[-1] if starts else 0


def _test_name(nodeid: str) -> str:
    return nodeid.split("::")[-1] if "::" in nodeid else f"importing {nodeid or 'the tests'}"


def _how_it_ended(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"it exited with status {code} before the tests finished"


def run(folder: Path, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Run the visible tests in `folder`; prints pytest's report and at most one more line."""
    folder = Path(folder)
    if not folder.is_dir():
        print(f"missing: {folder}: no such folder")
        return 2
    root = str(Path(__file__).resolve().parents[1])  # where courselib lives
    with tempfile.TemporaryDirectory(prefix="visible-") as tmp:
        progress = Path(tmp) / "progress"
        progress.touch()
        env = dict(os.environ, COURSE_PROGRESS=str(progress))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:timeout"]
        cmd += ["-p", "courselib.pytest_plugin", f"--task-timeout={timeout:g}"]
        cmd += ["--rootdir=.", "-c", os.devnull, "."]
        child = subprocess.Popen(cmd, cwd=folder, env=env, start_new_session=True)
        current, started, task, killed, finished = "", 0.0, "", "", 0.0
        try:
            while child.poll() is None:
                time.sleep(POLL)
                lines = _progress(progress)
                last = next((x for x in reversed(lines) if x[0] in ("start", "end")), None)
                if last and last[0] == "start" and last[1] != current:
                    current, started = last[1], time.monotonic()
                elif last and last[0] == "end":
                    current = ""
                since = [x for x in lines[_last_start(lines) :] if x[0] == "alarm"]
                task = since[-1][1] if since else ""
                if timeout > 0 and current and time.monotonic() - started > timeout + GRACE:
                    killed = "test"
                if lines and lines[-1][0] == "finished":
                    finished = finished or time.monotonic()
                    if time.monotonic() - finished > GRACE:  # e.g. a thread that never ends
                        killed = "exit"
                if killed:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
        except KeyboardInterrupt:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise
        finally:
            if child.poll() is None:  # pragma: no cover - only on an unexpected error above
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        lines = _progress(progress)
    sys.stdout.flush()
    if killed == "exit":
        status = int(lines[-1][1])
        print(
            f"\ntimeout: the tests finished but the process did not end {GRACE:g} s later (a "
            "thread still running?): stopped"
        )
        return status or 1
    if killed:
        print(
            f"\ntimeout: {task or _test_name(current)}: still running {GRACE:g} s after its "
            f"{timeout:g} s limit and could not be stopped (stuck inside torch, or catching every "
            f"exception?); the run was stopped in {_test_name(current)}"
        )
        return 1
    if not any(x[0] == "finished" for x in lines):
        last = next((x[1] for x in reversed(lines) if x[0] == "start"), "")
        print(
            f"\ncrash: {_test_name(last)}: the test process died ({_how_it_ended(child.returncode)})"
            "; the tests after it were not run"
        )
        return 1
    return child.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courselib.visible", description=__doc__)
    parser.add_argument("folder", help="a lesson folder, e.g. assignments/lesson1_matmul")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds each test may run (default {DEFAULT_TIMEOUT:g}); 0: no limit",
    )
    args = parser.parse_args(argv)
    return run(Path(args.folder), args.timeout)


if __name__ == "__main__":
    sys.exit(main())
