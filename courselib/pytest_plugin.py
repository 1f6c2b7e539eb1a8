"""One line per failure, and a time limit per test, for the visible tests (`make test-lessonN`).

Loaded with `-p courselib.pytest_plugin` by `python -m courselib.visible` (what the Makefile
runs). Every way a test can end badly reads as one line, category first (courselib.checks):

    values: matmul_loops: the result differs from a @ b, max abs error 3.0e-02 at [0, 7]
    unfinished: matmul_einsum: not implemented yet (raises NotImplementedError)
    error: Lin.bwd: raised TypeError: ... (backward.py line 40)
    timeout: matmul_loops: still running after 10 s, stopped at matmul.py line 41 (an endless loop?)
    crash: matmul_loops: called sys.exit(1)
    import: matmul.py line 33: SyntaxError: invalid syntax          (no test can run)
    missing: matmul.py: no such file in lesson1_matmul/              (no test can run)

The task named is the innermost function of the student's files (the lesson folder, test files
excepted) that was running; messages hold no traceback and no absolute path.

Time limit: `--task-timeout` seconds per test (setup and call together), enforced in the test's
own process with SIGALRM, so the other tests still run. The exception it raises derives from
BaseException: `except Exception` in student code does not swallow it. After a timeout, tests
parametrised with the same function are not run again (each would cost the full limit), and
after MAX_TIMEOUTS timeouts the run stops. Hangs that no signal can end (inside a C call, or
code that catches everything) are the watchdog's job in `courselib.visible`, which reads the
progress this plugin writes to the file named by $COURSE_PROGRESS.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest

from courselib.checks import CheckFailure
from courselib.visible import DEFAULT_TIMEOUT

MAX_TIMEOUTS = 2  # then stop: each further hang would cost the full limit again
MESSAGE_LIMIT = 300  # characters of a student-controlled message kept in one line


class TaskTimeout(BaseException):
    """Raised in the test by the alarm. A BaseException, so `except Exception` lets it pass."""

    def __init__(self, message: str, task: str = ""):
        super().__init__(message)
        self.task = task


# ---- where in the student's code --------------------------------------------------------------


def _is_student_file(filename: str, folder: Path) -> bool:
    path = Path(filename)
    return (
        path.suffix == ".py"
        and path.parent == folder
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def _student_frame(frames, folder: Path):
    """(task, "file line N") of the innermost frame in the student's files, or None.
    `frames`: (code, lineno) pairs from outermost to innermost."""
    found = None
    for code, lineno in frames:
        if _is_student_file(code.co_filename, folder):
            found = (code.co_qualname, f"{Path(code.co_filename).name} line {lineno}")
    if found and found[0] == "<module>":
        found = (Path(found[1].split()[0]).stem, found[1])
    return found


def _tb_frames(tb):
    while tb is not None:
        yield tb.tb_frame.f_code, tb.tb_lineno
        tb = tb.tb_next


def _stack_frames(frame):
    stack = []
    while frame is not None:
        stack.append((frame.f_code, frame.f_lineno))
        frame = frame.f_back
    return reversed(stack)


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


def _exception_text(exc: BaseException) -> str:
    text = _one_line(str(exc))
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# ---- one line per failed test -----------------------------------------------------------------


def _describe(exc: BaseException, folder: Path, test_name: str) -> str | None:
    """The one-line message for an exception that ended a test phase; None: keep pytest's."""
    if isinstance(exc, CheckFailure):
        return _one_line(str(exc))
    if isinstance(exc, TaskTimeout):
        return str(exc)
    if isinstance(exc, (pytest.skip.Exception, pytest.xfail.Exception)):
        return None
    found = _student_frame(_tb_frames(exc.__traceback__), folder)
    task, where = found if found else (test_name, "")
    at = f" ({where})" if where else ""
    if isinstance(exc, NotImplementedError):
        if exc.args and isinstance(exc.args[0], str) and exc.args[0]:
            task = _one_line(exc.args[0])  # the stub's message names its task
        return f"unfinished: {task}: not implemented yet (raises NotImplementedError)"
    if isinstance(exc, SystemExit):
        return f"crash: {task}: called sys.exit({_one_line(repr(exc.code))}){at}"
    if isinstance(exc, pytest.fail.Exception):  # pytest.fail, pytest.raises' DID NOT RAISE
        return f"error: {task}: {_one_line(exc.msg)}"
    if isinstance(exc, AssertionError) and not found:  # a plain assert of the visible test
        return f"values: {task}: {_one_line(str(exc).splitlines()[0] if str(exc) else 'assert')}"
    return f"error: {task}: raised {_exception_text(exc)}{at}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or report.skipped:
        return
    message = _describe(call.excinfo.value, item.path.parent, item.name)
    if message is not None:
        report.longrepr = message
    if isinstance(call.excinfo.value, TaskTimeout) and call.excinfo.value.task:
        state = item.config.stash[_STATE]
        state.timed_out.setdefault(call.excinfo.value.task, item.name)
        state.timeouts += 1
        if state.timeouts >= MAX_TIMEOUTS:
            item.session.shouldstop = f"{state.timeouts} tests timed out: fix those first, the remaining tests were not run"


# ---- a module that does not import: one line, not a collection traceback -----------------------


def _describe_import(exc: BaseException, folder: Path) -> str:
    cause = exc.__cause__ if isinstance(exc, pytest.Collector.CollectError) else exc
    if isinstance(cause, TaskTimeout):  # "timeout: matmul: still running ... (module level)"
        return str(cause)
    if cause is None:  # a collection error that is not an import: keep pytest's words, one line
        return f"import: {_one_line(str(exc).splitlines()[0] if str(exc) else 'collection failed')}"
    if isinstance(cause, SyntaxError):
        name = Path(cause.filename or "?").name
        return f"import: {name} line {cause.lineno}: {type(cause).__name__}: {cause.msg}"
    found = _student_frame(_tb_frames(cause.__traceback__), folder)
    if isinstance(cause, ModuleNotFoundError) and not found and cause.name:
        file = f"{cause.name}.py"
        if not (folder / file).exists() and "." not in cause.name:
            return f"missing: {file}: no such file in {folder.name}/ (the tests import it)"
    if isinstance(cause, ImportError) and not found:
        name = re.match(r"cannot import name '([^']+)'", str(cause))
        if name and cause.name:
            return f"missing: {name.group(1)}: {cause.name}.py does not define it"
    if found:
        return f"import: {found[1]}: {_exception_text(cause)}"
    return f"import: {_exception_text(cause)}"


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    # importing the test module imports the student's: an endless loop at import is stopped too
    state = collector.config.stash[_STATE]
    module = isinstance(collector, pytest.Module)
    if module:
        state.running = (Path(collector.path).parent, collector.name)
        state.deadline = time.monotonic() + state.timeout
        state.write(f"start\t{collector.nodeid}")
        _arm(state)
    try:
        report = yield
    except SystemExit as e:  # sys.exit() while the module imports: pytest would end here
        folder = Path(collector.path).parent
        found = _student_frame(_tb_frames(e.__traceback__), folder)
        where = f"{found[1]}: " if found else ""
        message = f"import: {where}calls sys.exit({_one_line(repr(e.code))}) when imported"
        return pytest.CollectReport(collector.nodeid, "failed", message, None)
    finally:
        if module:
            _disarm(state)
            state.running = None
            state.write(f"end\t{collector.nodeid}")
    call = report.__dict__.get("call")
    if report.failed and call is not None and call.excinfo is not None:
        report.longrepr = _describe_import(call.excinfo.value, Path(collector.path).parent)
    return report


# ---- the time limit ----------------------------------------------------------------------------


class _State:
    def __init__(self, timeout: float, progress: str | None):
        self.timeout = timeout
        self.timed_out: dict[str, str] = {}  # task -> the test where it timed out
        self.timeouts = 0
        self.deadline = 0.0
        self.running: tuple[Path, str] | None = None  # (lesson folder, test name) under the alarm
        self.progress = open(progress, "a", buffering=1) if progress else None  # noqa: SIM115

    def write(self, line: str) -> None:
        if self.progress is not None:
            self.progress.write(line + "\n")


_STATE = pytest.StashKey[_State]()


def pytest_addoption(parser):
    parser.addoption(
        "--task-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds each visible test may run (setup and call together); 0: no limit",
    )


def pytest_configure(config):
    state = _State(config.getoption("--task-timeout"), os.environ.get("COURSE_PROGRESS"))
    config.stash[_STATE] = state
    if state.timeout > 0 and hasattr(signal, "setitimer"):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGALRM, _alarm(state))


def pytest_unconfigure(config):
    state = config.stash.get(_STATE, None)
    if state is not None and state.progress is not None:
        state.progress.close()


def _alarm(state: _State):
    def handler(signum, frame):
        if state.running is None:
            return
        folder, name = state.running
        found = _student_frame(_stack_frames(frame), folder)
        task, where = found if found else (name, "")
        state.write(f"alarm\t{task}")
        at = f", stopped at {where}" if where else ""
        raise TaskTimeout(
            f"timeout: {task}: still running after {state.timeout:g} s{at} (an endless loop?)",
            task,
        )

    return handler


def _arm(state: _State) -> None:
    if state.timeout <= 0 or not hasattr(signal, "setitimer"):
        return
    left = state.deadline - time.monotonic()
    if left <= 0:
        signal.setitimer(signal.ITIMER_REAL, 0.001)  # fires at once, inside this phase
    else:
        signal.setitimer(signal.ITIMER_REAL, left)


def _disarm(state: _State) -> None:
    if state.timeout > 0 and hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)


def _parametrised_with(item, task: str) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return any(getattr(value, "__qualname__", None) == task for value in params.values())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    state = item.config.stash[_STATE]
    state.running, state.deadline = (item.path.parent, item.name), time.monotonic() + state.timeout
    state.write(f"start\t{item.nodeid}")
    _arm(state)
    try:
        return (yield)
    finally:
        _disarm(state)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    state = item.config.stash[_STATE]
    for task, where in state.timed_out.items():
        if _parametrised_with(item, task):
            # not counted again: `task` left empty
            raise TaskTimeout(f"timeout: {task}: not run again, it timed out in {where}")
    _arm(state)
    try:
        return (yield)
    finally:
        _disarm(state)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    state = item.config.stash[_STATE]
    try:
        return (yield)
    finally:
        state.running = None
        state.write(f"end\t{item.nodeid}")


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash.get(_STATE, None)
    if state is not None:
        state.write(f"finished\t{int(exitstatus)}")
