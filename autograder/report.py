"""What a student reads, from a results dict: per-lesson summaries that fit one screen.

    for lesson in report.summarise(result):          # feedback, the terminal, Gradescope
        lesson.verdict    # one line when the whole lesson failed the same way, else ""
        lesson.failed     # failed tests, identical messages grouped into one row
        lesson.skipped    # skipped tests, one row per reason (never shown as passed)
        lesson.written    # written answers: graded by hand, awaiting manual grading, or missing
    report.terminal(result)                          # `python -m autograder grade`
    report.for_gradescope(result)                    # the results.json Gradescope shows

A lesson whose module is missing, unimportable, refused by the rules or hangs at import lists
every test with the same message (max_score never depends on the student): it is shown as one
line. Messages are cleaned of the engine's internal names (probe functions, `Student*Error`).
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field

from autograder.lessons import PROBES, REFERENCE
from autograder.results import lesson_of, task_of, test_id

WHOLE_LESSON = ("missing", "import", "rule", "timeout")  # categories that can fail a lesson
GROUP = 3  # failed tests with the same message: shown as one row from this many on
WRITTEN = "written answer"  # the task of a manually graded written question


@dataclass
class Row:
    """One row a student reads: a test, or a group of tests failing the same way."""

    name: str
    score: float
    max_score: float
    message: str
    status: str  # passed | failed | skipped | awaiting | graded
    ids: list[str] = field(default_factory=list)
    visibility: str = "visible"


@dataclass
class LessonSummary:
    lesson: str
    score: float = 0.0
    max_score: float = 0.0
    awaiting: float = 0.0  # points of written answers not graded yet
    verdict: str = ""
    failed: list[Row] = field(default_factory=list)
    passed: list[Row] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)
    written: list[Row] = field(default_factory=list)
    tests: list[Row] = field(default_factory=list)  # every auto-graded test, one row each

    @property
    def counts(self) -> str:
        parts = [f"{len(self.failed_tests)} failed", f"{len(self.passed)} passed"]
        skipped = sum(len(r.ids) for r in self.skipped)
        if skipped:
            parts.append(f"{skipped} skipped")
        return ", ".join(parts)

    @property
    def failed_tests(self) -> list[str]:
        return [i for r in self.failed for i in r.ids]

    def line(self) -> str:
        """The lesson in one line: score, then the verdict or the counts, then written answers."""
        text = self.verdict or self.counts
        if self.awaiting:
            text += f"; {self.awaiting:g} points of written answers await manual grading"
        return f"{self.lesson}: {self.score:g}/{self.max_score:g} - {text}"


# ---- cleaning --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _probe_names() -> frozenset[str]:
    """Names of the probe functions (the engine's), except those the lessons' modules also
    define (a probe may share a name with the student function it drives)."""
    probes, public = set(), set()
    for path in PROBES.rglob("*.py") if PROBES.is_dir() else []:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                probes.add(node.name)
    for path in REFERENCE.glob("*/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                public.add(node.name)
    # a plain word (no underscore) could be the student's own name too
    return frozenset(n for n in probes - public if "_" in n.strip("_"))


def clean(message: str) -> str:
    """A message without the engine's internal names: `StudentValueError` -> `ValueError`,
    a probe function's name -> "a grader check"."""
    message = re.sub(r"\bStudent(\w*(?:Error|Exception|Warning|Exit|Interrupt))\b", r"\1", message)
    for name in _probe_names():
        if name in message:
            message = re.sub(rf"\b{re.escape(name)}\b", "a grader check", message)
    return message


def category(message: str) -> str:
    head = message.split(":", 1)[0]
    return head if head and " " not in head else ""


def _detail(t: dict) -> str:
    """The message without its task ("import: matmul_loops: X" -> "import: X")."""
    message = t.get("output") or ""
    cat, task = category(message), task_of(t)
    if cat and task and message.startswith(f"{cat}: {task}: "):
        message = f"{cat}: " + message[len(f"{cat}: {task}: ") :]
    return clean(message)


def short_name(t: dict) -> str:
    return t["name"].removeprefix(f"{lesson_of(t)}: ")


# ---- summaries -------------------------------------------------------------------------------


def _is_written(t: dict) -> bool:
    return (t.get("extra_data") or {}).get("written", False)


def _verdict(tests: list[dict]) -> str:
    """The one message the whole lesson failed with, if there is one: every graded test failed
    with it, or it says the module is missing (then nothing else could be measured, whatever
    another test's message says)."""
    graded = [t for t in tests if t.get("status") != "skipped" and t["max_score"] > 0]
    if not graded or any(t["score"] > 0 for t in graded):
        return ""
    details = [_detail(t) for t in graded]
    common = max(set(details), key=details.count)
    if category(common) not in WHOLE_LESSON:
        return ""
    if details.count(common) == len(details) or category(common) == "missing":
        return common
    return ""


def _rows(tests: list[dict], status: str, group_from: int = GROUP) -> list[Row]:
    """Rows for tests; tests sharing one message (`group_from` or more) become one row.
    Hidden tests (visibility "hidden") group apart from the others and keep that visibility."""
    by_message: dict[tuple[str, str], list[dict]] = {}
    for t in tests:
        hidden = "hidden" if t.get("visibility") == "hidden" else "visible"
        by_message.setdefault((_detail(t), hidden), []).append(t)
    out = []
    for (message, hidden), group in by_message.items():
        if len(group) >= group_from:
            tasks = sorted({task_of(t) for t in group if task_of(t)})
            plural = "s" if len(group) > 1 else ""
            name = f"{len(group)} test{plural}" + (f" ({', '.join(tasks)})" if tasks else "")
            score, worth = sum(t["score"] for t in group), sum(t["max_score"] for t in group)
            ids = [test_id(t) for t in group]
            out.append(Row(name, score, worth, message, status, ids, hidden))
            continue
        for t in group:
            message = clean(t.get("output") or "")
            visibility = t.get("visibility", "visible")
            row = Row(short_name(t), t["score"], t["max_score"], message, status, [test_id(t)])
            row.visibility = visibility
            out.append(row)
    return out


def _status(t: dict) -> str:
    if t.get("status"):
        return t["status"]
    return "passed" if t["score"] >= t["max_score"] else "failed"


def summarise(result: dict) -> list[LessonSummary]:
    """Per lesson, in the results' order."""
    by_lesson: dict[str, list[dict]] = {
        k: [] for k in result.get("extra_data", {}).get("lessons", {})
    }
    for t in result["tests"]:
        by_lesson.setdefault(lesson_of(t), []).append(t)
    out = []
    for lesson_id, tests in by_lesson.items():
        lesson = LessonSummary(lesson_id)
        lesson.score = round(sum(t["score"] for t in tests), 4)
        lesson.max_score = round(sum(t["max_score"] for t in tests), 4)
        auto = [t for t in tests if not _is_written(t)]
        for t in tests:
            if _is_written(t):
                row = Row(short_name(t), t["score"], t["max_score"], t["output"], _status(t))
                row.ids = [test_id(t)]
                lesson.written.append(row)
                lesson.awaiting += t["max_score"] if row.status == "awaiting" else 0
        lesson.verdict = _verdict(auto)
        lesson.failed = _rows([t for t in auto if _status(t) == "failed"], "failed")
        lesson.passed = _rows([t for t in auto if _status(t) == "passed"], "passed", 10**9)
        lesson.skipped = _rows([t for t in auto if _status(t) == "skipped"], "skipped", 1)
        for t in auto:
            row = Row(short_name(t), t["score"], t["max_score"], "", _status(t), [test_id(t)])
            row.visibility = t.get("visibility", "visible")
            lesson.tests.append(row)
        out.append(lesson)
    return out


# ---- the terminal ----------------------------------------------------------------------------


def terminal(result: dict, limit: int = 40) -> str:
    """Per lesson one line, then what failed (grouped), at most `limit` rows."""
    lessons = summarise(result)
    lines = [lesson.line() for lesson in lessons]
    lines.append(f"total: {result['score']:g}/{result['max_score']:g}")
    failed = []
    for lesson in lessons:
        if lesson.verdict:
            continue
        for row in lesson.failed:
            failed.append(f"  {lesson.lesson}: {row.name}: {row.message or 'failed'}")
    if failed:
        lines.append("failed:")
        lines += failed[:limit]
        if len(failed) > limit:
            lines.append(f"  ... and {len(failed) - limit} more (see the results file)")
    return "\n".join(lines)


# ---- Gradescope ------------------------------------------------------------------------------


def for_gradescope(result: dict) -> dict:
    """The results Gradescope shows: a lesson failed as a whole is one row worth the lesson's
    points; skipped tests are one informational row per lesson and reason (Gradescope knows
    only passed/failed, and would show a 0/0 test as passed); the top-level output says, per
    lesson, the score and what to look at."""
    lessons = {lesson.lesson: lesson for lesson in summarise(result)}
    tests, done = [], set()
    for t in result["tests"]:
        lesson = lessons[lesson_of(t)]
        if lesson.verdict and not _is_written(t):
            if lesson.lesson not in done:
                done.add(lesson.lesson)
                worth = sum(
                    x["max_score"]
                    for x in result["tests"]
                    if lesson_of(x) == lesson.lesson and not _is_written(x)
                )
                tests.append(
                    {
                        "name": f"{lesson.lesson}: the whole lesson",
                        "score": 0.0,
                        "max_score": round(worth, 4),
                        "output": lesson.verdict,
                        "visibility": "visible",
                        "status": "failed",
                        "extra_data": {"lesson": lesson.lesson},
                    }
                )
            continue
        if _status(t) == "skipped":
            continue
        shown = dict(t, output=clean(t.get("output") or ""))
        tests.append(shown)
    for lesson in lessons.values():
        if lesson.verdict:
            continue
        for row in lesson.skipped:
            tests.append(
                {
                    "name": f"{lesson.lesson}: {row.name} skipped",
                    "score": 0.0,
                    "max_score": 0.0,
                    "output": row.message,
                    "visibility": "visible",
                    "extra_data": {"lesson": lesson.lesson, "skipped": row.ids},
                }
            )
    out = dict(result, tests=tests)
    summary = [lesson.line() for lesson in lessons.values()]
    rest = [x for x in result.get("output", "").splitlines() if not x.startswith("Graded ")]
    out["output"] = "\n".join(summary + rest)
    return out
