"""Gradescope's results.json from the lessons' TestResults.

    {"score", "max_score", "execution_time", "output", "tests": [{name, score, max_score, output,
     visibility, status}], "extra_data": {"seed", "lessons": {id: {score, max_score}}}}

Every test name starts with its lesson id ("lesson1_matmul: matmul_loops: ..."). A test's
stable identity is `extra_data.id` ("lesson1_matmul/lesson1_matmul::test_speed[matmul_loops]"):
anything keyed per test (gradebook cells, tests.csv, feedback) keys on `test_id(t)`, never on the
display name, which follows the grader's docstring.
"""

from __future__ import annotations

import json
from pathlib import Path


def _round(x: float) -> float:
    return round(x, 4)


def gradescope(runs, seed: int, seconds: float) -> dict:
    tests, lessons = [], {}
    for run in runs:
        got = sum(r.score for r in run.results)
        worth = sum(r.max_score for r in run.results)
        lessons[run.lesson.id] = {"score": _round(got), "max_score": _round(worth)}
        for r in run.results:
            tests.append(
                {
                    "name": r.name,
                    "score": _round(r.score),
                    "max_score": _round(r.max_score),
                    "output": r.output,
                    "visibility": r.visibility,
                    "status": r.status,
                    "extra_data": {"id": r.id, "task": r.task},
                }
            )
    score = sum(t["score"] for t in tests)
    max_score = sum(t["max_score"] for t in tests)
    summary = ", ".join(f"{k} {v['score']:g}/{v['max_score']:g}" for k, v in lessons.items())
    return {
        "score": _round(score),
        "max_score": _round(max_score),
        "execution_time": round(seconds, 2),
        "output": f"Graded {len(lessons)} lesson(s): {summary}.",
        "tests": tests,
        "extra_data": {"seed": seed, "lessons": lessons},
    }


def test_id(t: dict) -> str:
    """The test's stable id (`extra_data.id`); results without one fall back to the name."""
    return (t.get("extra_data") or {}).get("id") or t["name"]


def lesson_of(t: dict) -> str:
    return (t.get("extra_data") or {}).get("id", "").split("/", 1)[0] or t["name"].split(":")[0]


def task_of(t: dict) -> str:
    """The task the test grades (`extra_data.task`, else the name's second field)."""
    task = (t.get("extra_data") or {}).get("task")
    if task:
        return task
    parts = t["name"].split(": ")
    return parts[1] if len(parts) > 2 else ""


def write(result: dict, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(path)  # never a half-written results file


def table(result: dict) -> str:
    """A short per-lesson score table for the terminal."""
    rows = [f"{'lesson':<22} {'score':>8}"]
    for lesson, v in result["extra_data"]["lessons"].items():
        rows.append(f"{lesson:<22} {v['score']:>4g}/{v['max_score']:<4g}")
    rows.append(f"{'total':<22} {result['score']:>4g}/{result['max_score']:<4g}")
    return "\n".join(rows)
