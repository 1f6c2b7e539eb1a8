"""Per-student feedback a student reads in one screen: markdown and a small standalone HTML page.

    write(Path("grading/feedback/alice"), "alice", result)
        -> feedback/alice/feedback.md, feedback/alice/feedback.html

Order: the total, then one line per lesson (a lesson missing or failing to import is that one
line), then per lesson what to fix: the failed tests (identical messages grouped), the written
answers (graded by hand, or awaiting manual grading), skipped tests marked skipped, and how many
passed. The full list of tests sits folded at the end of each lesson. Tests with visibility
"hidden" are counted, never listed; messages are the engine's (hidden inputs never in them),
cleaned of internal names (`report.clean`).
"""

from __future__ import annotations

import html
from pathlib import Path

from autograder import report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _total(result: dict, lessons: list[report.LessonSummary]) -> str:
    text = f"Total: **{result['score']:g} / {result['max_score']:g}**"
    awaiting = sum(lesson.awaiting for lesson in lessons)
    if awaiting:
        text += f" ({awaiting:g} points of written answers await manual grading)"
    return text


def _details(result: dict, lesson_id: str) -> dict:
    return result.get("extra_data", {}).get("lessons", {}).get(lesson_id, {})


def _visible(rows: list[report.Row]) -> list[report.Row]:
    return [r for r in rows if r.visibility != "hidden"]


def _hidden(lesson: report.LessonSummary) -> tuple[int, float, float]:
    rows = [r for r in lesson.failed + lesson.passed if r.visibility == "hidden"]
    n = sum(len(r.ids) for r in rows)
    return n, sum(r.score for r in rows), sum(r.max_score for r in rows)


def markdown(student: str, result: dict) -> str:
    lessons = report.summarise(result)
    seed = result.get("extra_data", {}).get("seed")
    lines = [f"# Feedback for {student}", "", _total(result, lessons), ""]
    lines += ["| lesson | score | summary |", "|---|---:|---|"]
    for lesson in lessons:
        summary = lesson.verdict or lesson.counts
        if lesson.awaiting:
            summary += f"; written answers awaiting manual grading ({lesson.awaiting:g} points)"
        lines.append(
            f"| {lesson.lesson} | {lesson.score:g}/{lesson.max_score:g} | {_cell(summary)} |"
        )
    for lesson in lessons:
        details = _details(result, lesson.lesson)
        notes = [n for n in details.get("notes", []) if n != lesson.verdict]
        if lesson.verdict and not (notes or lesson.written):
            continue  # the summary line above says it all
        lines += ["", f"## {lesson.lesson}: {lesson.score:g} / {lesson.max_score:g}"]
        if details.get("layout"):
            lines += ["", f"Found as: {details['layout']}."]
        if notes:
            lines += [""] + [f"> {_cell(note)}" for note in notes]
        failed = [] if lesson.verdict else _visible(lesson.failed)
        if failed:
            lines += ["", "What to fix:", "", "| test | score | message |", "|---|---:|---|"]
            for row in failed:
                lines.append(
                    f"| {_cell(row.name)} | {row.score:g}/{row.max_score:g} | "
                    f"{_cell(row.message or 'failed')} |"
                )
        if lesson.written:
            lines += ["", "Written answers:", ""]
            for row in lesson.written:
                shown = "?" if row.status == "awaiting" else f"{row.score:g}"
                lines.append(f"- {row.name}: {shown}/{row.max_score:g}, {row.message}")
        tail = []
        passed = _visible(lesson.passed)
        if passed:
            tail.append(f"{len(passed)} tests passed ({sum(r.score for r in passed):g} points)")
        n, got, worth = _hidden(lesson)
        if n:
            tail.append(f"{n} hidden tests: {got:g}/{worth:g}")
        for row in lesson.skipped:
            tail.append(f"{row.name} skipped ({row.message.removeprefix('skipped: ')})")
        if tail and not lesson.verdict:
            lines += ["", "; ".join(tail) + "."]
        tests = _visible(lesson.tests)
        if tests and not lesson.verdict:
            lines += ["", "<details><summary>All tests</summary>", ""]
            lines += ["| test | score | status |", "|---|---:|---|"]
            for row in tests:
                lines.append(
                    f"| {_cell(row.name)} | {row.score:g}/{row.max_score:g} | {row.status} |"
                )
            lines += ["", "</details>"]
    lines += ["", f"(grading seed {seed})"]
    return "\n".join(lines) + "\n"


STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto}"
    "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}"
    ".passed{color:#070}.failed{color:#a00}.skipped,.awaiting{color:#777}"
)


def page(student: str, result: dict) -> str:
    esc = html.escape
    lessons = report.summarise(result)
    total = _total(result, lessons).replace("**", "")
    parts = [
        "<!doctype html><meta charset='utf-8'>",
        f"<title>Feedback: {esc(student)}</title><style>{STYLE}</style>",
        f"<h1>Feedback for {esc(student)}</h1>",
        f"<p>{esc(total)}</p>",
        "<table><tr><th>lesson</th><th>score</th><th>summary</th></tr>",
    ]
    for lesson in lessons:
        status = "failed" if lesson.verdict or lesson.failed_tests else "passed"
        summary = lesson.verdict or lesson.counts
        parts.append(
            f"<tr class='{status}'><td>{esc(lesson.lesson)}</td>"
            f"<td>{lesson.score:g}/{lesson.max_score:g}</td><td>{esc(summary)}</td></tr>"
        )
    parts.append("</table>")
    for lesson in lessons:
        details = _details(result, lesson.lesson)
        notes = [n for n in details.get("notes", []) if n != lesson.verdict]
        if lesson.verdict and not (notes or lesson.written):
            continue  # the summary line above says it all
        parts.append(f"<h2>{esc(lesson.lesson)}: {lesson.score:g} / {lesson.max_score:g}</h2>")
        if details.get("layout"):
            parts.append(f"<p>Found as: {esc(details['layout'])}.</p>")
        parts += [f"<p><i>{esc(n)}</i></p>" for n in notes]
        rows = lesson.written
        if not lesson.verdict:
            rows = _visible(lesson.failed) + rows + lesson.skipped + _visible(lesson.passed)
        parts.append("<table><tr><th>test</th><th>score</th><th>message</th></tr>")
        for row in rows:
            shown = "?" if row.status == "awaiting" else f"{row.score:g}"
            message = row.message or row.status
            parts.append(
                f"<tr class='{row.status}'><td>{esc(row.name)}</td>"
                f"<td>{shown}/{row.max_score:g}</td><td>{esc(message)}</td></tr>"
            )
        n, got, worth = _hidden(lesson)
        if n and not lesson.verdict:
            parts.append(f"<tr><td>{n} hidden tests</td><td>{got:g}/{worth:g}</td><td></td></tr>")
        parts.append("</table>")
    return "\n".join(parts) + "\n"


def write(folder: Path, student: str, result: dict) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    md, htm = folder / "feedback.md", folder / "feedback.html"
    md.write_text(markdown(student, result))
    htm.write_text(page(student, result))
    return [md, htm]
