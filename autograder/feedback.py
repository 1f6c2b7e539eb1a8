"""Per-student feedback from a results dict: markdown and a small standalone HTML page.

    write(result, Path("grading/feedback/alice"), notes={"lesson1_matmul": ["..."]})
        -> feedback/alice/feedback.md, feedback/alice/feedback.html

Each test's score and its message as the results hold it: the engine already keeps hidden
inputs out of `output` for tests that are not visible (category, task and summary only).
Tests with visibility "hidden" are not listed one by one; only their total is shown.
"""

from __future__ import annotations

import html
from pathlib import Path


def _lessons(result: dict) -> dict[str, list[dict]]:
    by_lesson: dict[str, list[dict]] = {k: [] for k in result["extra_data"]["lessons"]}
    for t in result["tests"]:
        by_lesson.setdefault(t["name"].split(":", 1)[0], []).append(t)
    return by_lesson


def _short(name: str, lesson: str) -> str:
    return name.removeprefix(f"{lesson}: ")


def markdown(student: str, result: dict, notes: dict[str, list[str]] | None = None) -> str:
    notes = notes or {}
    lines = [f"# Feedback for {student}", ""]
    lines.append(f"Total: **{result['score']:g} / {result['max_score']:g}**")
    lines.append(f"(grading seed {result['extra_data'].get('seed')})")
    for lesson, tests in _lessons(result).items():
        s = result["extra_data"]["lessons"].get(lesson, {"score": 0, "max_score": 0})
        lines += ["", f"## {lesson}: {s['score']:g} / {s['max_score']:g}", ""]
        for note in notes.get(lesson, []):
            lines.append(f"> {note}")
        if notes.get(lesson):
            lines.append("")
        shown = [t for t in tests if t["visibility"] != "hidden"]
        hidden = [t for t in tests if t["visibility"] == "hidden"]
        lines += ["| test | score | message |", "|---|---:|---|"]
        for t in shown:
            message = (t["output"] or "passed").replace("|", "\\|").replace("\n", " ")
            name = _short(t["name"], lesson).replace("|", "\\|")
            lines.append(f"| {name} | {t['score']:g}/{t['max_score']:g} | {message} |")
        if hidden:
            got = sum(t["score"] for t in hidden)
            worth = sum(t["max_score"] for t in hidden)
            lines.append(f"| {len(hidden)} hidden tests | {got:g}/{worth:g} | |")
    return "\n".join(lines) + "\n"


def page(student: str, result: dict, notes: dict[str, list[str]] | None = None) -> str:
    notes = notes or {}
    esc = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'>",
        f"<title>Feedback: {esc(student)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}"
        ".ok{color:#070}.ko{color:#a00}</style>",
        f"<h1>Feedback for {esc(student)}</h1>",
        f"<p>Total: <b>{result['score']:g} / {result['max_score']:g}</b></p>",
    ]
    for lesson, tests in _lessons(result).items():
        s = result["extra_data"]["lessons"].get(lesson, {"score": 0, "max_score": 0})
        parts.append(f"<h2>{esc(lesson)}: {s['score']:g} / {s['max_score']:g}</h2>")
        parts += [f"<p><i>{esc(n)}</i></p>" for n in notes.get(lesson, [])]
        parts.append("<table><tr><th>test</th><th>score</th><th>message</th></tr>")
        for t in tests:
            if t["visibility"] == "hidden":
                continue
            cls = "ok" if t["score"] >= t["max_score"] else "ko"
            parts.append(
                f"<tr class='{cls}'><td>{esc(_short(t['name'], lesson))}</td>"
                f"<td>{t['score']:g}/{t['max_score']:g}</td>"
                f"<td>{esc(t['output'] or 'passed')}</td></tr>"
            )
        parts.append("</table>")
    return "\n".join(parts) + "\n"


def write(folder: Path, student: str, result: dict, notes=None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    md, htm = folder / "feedback.md", folder / "feedback.html"
    md.write_text(markdown(student, result, notes))
    htm.write_text(page(student, result, notes))
    return [md, htm]
