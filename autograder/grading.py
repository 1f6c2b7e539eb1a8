"""What a hidden grader file uses: task/points/visibility markers, devices, and the fixtures.

    @task("lin_grad")      # the module function or class the test grades (exactly one per test)
    @points(2)             # default 1
    @visible               # students see the full message (default: category and summary only)
    def test_lin_grad(student, rng): ...

Fixtures (provided by GradingPlugin): `student` and `reference` (sandbox proxies, see
sandbox.Remote), `reference_module` (the reference imported in the judge), `rng` (a
torch.Generator seeded per grading run and test), `grading_seed` (the run's int seed), and
`expect` (courselib.checks.Expect bound to the test's task: `expect.close(got, want, ...)`).

Every result carries a stable id, "<lesson>/<grader file>::<test>[<params>]", which does not
change when a docstring (the display name) is reworded.
"""

from __future__ import annotations

import atexit
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import torch

from autograder import rules
from autograder.lessons import REFERENCE, Lesson, load_reference
from autograder.sandbox import (
    ImportFailed,
    ModuleMissing,
    Refused,
    Remote,
    Sandbox,
    SandboxFailure,
    SandboxTimeout,
    StudentRaised,
)
from courselib.checks import CheckFailure, Expect

VISIBILITY = ("visible", "after_published", "after_due_date", "hidden")
DEFAULT_VISIBILITY = "after_published"


def task(name: str):
    return pytest.mark.task(name)


def task_from(param: str):
    """The task is the value of a parameter: `@task_from("fn")` with parametrize("fn", [...])."""
    return pytest.mark.task(param=param)


def points(n: float):
    return pytest.mark.points(n)


visible = pytest.mark.visibility("visible")

DEVICES = [
    "cpu",
    pytest.param(
        "cuda",
        marks=pytest.mark.skipif(
            not torch.cuda.is_available(), reason="no GPU on the grading machine"
        ),
    ),
]


@dataclass
class TestResult:
    lesson: str
    task: str
    id: str  # stable: "<lesson>/<grader file>::<test>[<params>]"
    name: str  # for people: "<lesson>: <task>: <docstring's first line> [<params>]"
    score: float
    max_score: float
    output: str
    visibility: str
    status: str  # passed | failed | skipped


@dataclass
class LessonRun:
    lesson: Lesson
    submission: Path
    seed: int
    tasks: set[str] | None = None  # grade only the tests of these tasks
    budget_s: float = 300.0
    results: list[TestResult] = field(default_factory=list)
    keyword: str | None = None  # a pytest -k expression over the graders' test names


def _marker(item, name, default=None):
    mark = item.get_closest_marker(name)
    if mark is not None and "param" in mark.kwargs:
        return item.callspec.params[mark.kwargs["param"]]
    return mark.args[0] if mark and mark.args else default


LESSON_WIDE = (ModuleMissing, ImportFailed, Refused)


def lesson_wide(exc: BaseException) -> bool:
    """A failure of the whole lesson (no module, no import, refused, out of time): every test
    reports the same line, so feedback can say it once."""
    budget = isinstance(exc, SandboxTimeout) and "budget" in str(exc)
    return isinstance(exc, LESSON_WIDE) or budget


def describe(exc: BaseException, task_name: str, visible: bool) -> str:
    """The one-line message for a failed test: category first, never a traceback."""
    if isinstance(exc, SandboxFailure) and lesson_wide(exc):
        return f"{exc.category}: {exc}"
    if isinstance(exc, CheckFailure):
        return str(exc) if visible else exc.public()
    if isinstance(exc, NotImplementedError):
        return f"unfinished: {task_name}: not implemented yet (raises NotImplementedError)"
    if isinstance(exc, StudentRaised):
        where = f" ({exc.where})" if exc.where else ""
        detail = f": {str(exc)[:300]}" if visible and str(exc) else ""
        return f"error: {task_name}: raised {exc.type_name}{detail}{where}"
    if isinstance(exc, SandboxFailure):
        return f"{exc.category}: {task_name}: {exc}"
    if isinstance(exc, AssertionError):
        return f"values: {task_name}: " + (str(exc).splitlines()[0] if visible else "check failed")
    return (
        f"error: {task_name}: the grader itself failed ({type(exc).__name__}); tell the instructor"
    )


_REFERENCE_BOXES: dict[str, Sandbox] = {}
# The reference is never the student's problem: it gets time to spare on a loaded machine, and
# if it still fails the test reports an error of the grader (ReferenceFailed), not a timeout.
REFERENCE_CALL_TIMEOUT_S = 60.0
REFERENCE_IMPORT_TIMEOUT_S = 120.0


def _reference_box(lesson: Lesson) -> Sandbox:
    """The clean reference child of `lesson`, started once per process and reused by every
    submission this process grades (it is trusted and keeps no state between calls but the
    one staged input), which saves a torch import per graded lesson."""
    if lesson.id not in _REFERENCE_BOXES:
        box = Sandbox(
            REFERENCE / lesson.id,
            lesson.module,
            lesson.probes,
            trusted=True,
            call_timeout=REFERENCE_CALL_TIMEOUT_S,
            import_timeout=REFERENCE_IMPORT_TIMEOUT_S,
        )
        _REFERENCE_BOXES[lesson.id] = box
        atexit.register(box.close)
    return _REFERENCE_BOXES[lesson.id]


def _refusal(folder: Path, lesson: Lesson) -> str | None:
    """Why the rules refuse the module before it is ever imported (an escape hatch), if so."""
    path = folder / f"{lesson.module}.py"
    if path.is_symlink() or not path.is_file():
        return None  # the sandbox reports it missing
    try:
        source = path.read_text(errors="replace")
    except OSError:
        return None
    return rules.refusal(path.name, source, lesson.allow)


class GradingPlugin:
    """Pytest plugin for one lesson of one submission: fixtures in, TestResults out."""

    def __init__(self, run: LessonRun):
        self.run = run
        self.boxes: list[Sandbox] = []

    # -- fixtures --

    @pytest.fixture(scope="session")
    def student(self):
        lesson = self.run.lesson
        folder = lesson.folder(self.run.submission)
        box = Sandbox(
            folder,
            lesson.module,
            lesson.probes,
            budget_s=self.run.budget_s,
            refused=_refusal(folder, lesson),
        )
        self.boxes.append(box)
        return Remote(box)

    @pytest.fixture(scope="session")
    def reference(self):
        return Remote(_reference_box(self.run.lesson))

    @pytest.fixture(scope="session")
    def reference_module(self):
        return load_reference(self.run.lesson.id)

    @pytest.fixture(scope="session")
    def grading_seed(self):
        return self.run.seed

    @pytest.fixture
    def expect(self, request):
        return Expect(_marker(request.node, "task"))

    @pytest.fixture
    def rng(self, request):
        digest = hashlib.sha256(f"{self.run.seed}:{request.node.nodeid}".encode()).digest()
        return torch.Generator().manual_seed(int.from_bytes(digest[:8], "little"))

    # -- hooks --

    def pytest_configure(self, config):
        for line in (
            "task(name): the module function or class a test grades",
            "points(n): what the test is worth",
            "visibility(v): Gradescope visibility of the test",
        ):
            config.addinivalue_line("markers", line)

    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            if len(list(item.iter_markers("task"))) != 1:
                raise pytest.UsageError(f"{item.nodeid}: every grader needs exactly one @task")
        if self.run.tasks is not None:
            items[:] = [i for i in items if _marker(i, "task") in self.run.tasks]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self._record(item, call, report)

    def _record(self, item, call, report):
        lesson = self.run.lesson.id
        task_name = _marker(item, "task")
        visibility = _marker(item, "visibility", DEFAULT_VISIBILITY)
        worth = float(_marker(item, "points", 1))
        doc = (item.function.__doc__ or item.function.__name__).strip().splitlines()[0]
        ids = item.callspec.id.split("-") if hasattr(item, "callspec") else []
        ids = [i for i in ids if i != task_name]  # the task is already in the name
        param = f" [{'-'.join(ids)}]" if ids else ""
        name = f"{lesson}: {task_name}: {doc}{param}"
        test_id = f"{lesson}/{item.path.stem}::{item.name}"
        if report.skipped:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else "skipped"
            reason = reason.removeprefix("Skipped: ")
            result = TestResult(
                lesson, task_name, test_id, name, 0, 0, f"skipped: {reason}", visibility, "skipped"
            )
        elif report.passed:
            result = TestResult(
                lesson, task_name, test_id, name, worth, worth, "", visibility, "passed"
            )
        else:
            exc = call.excinfo.value if call.excinfo else AssertionError("failed")
            message = describe(exc, task_name, visibility == "visible")
            if message.startswith("error: ") and "the grader itself failed" in message:
                print(f"[autograder] internal error in {item.nodeid}:", file=sys.stderr)
                print(call.excinfo.getrepr(style="short"), file=sys.stderr)
            result = TestResult(
                lesson, task_name, test_id, name, 0, worth, message, visibility, "failed"
            )
        self.run.results.append(result)

    def pytest_sessionfinish(self, session):
        for box in self.boxes:
            box.close()
