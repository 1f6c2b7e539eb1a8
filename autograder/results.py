"""Gradescope's results.json from the lessons' TestResults.

    {"score", "max_score", "execution_time", "output", "tests": [{name, score, max_score, output,
     visibility, status}], "extra_data": {"seed", "lessons": {id: {score, max_score}}}}

Every test name starts with its lesson id ("lesson1_matmul: matmul_loops: ...").
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
