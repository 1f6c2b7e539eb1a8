"""A class's grades, one truth: the engine's results plus what graders' hands set, everywhere.

    merged = classreport.write(Path("grading"))     # after `class` or after manual grading
        -> grading/results/<student>.json, grading/tests.csv, grading/grades.csv (nbgrader's
           exporter), grading/feedback/<student>/feedback.{md,html}; returns {student: results}
    print(classreport.table(merged))

Sources: grading/results/<student>/<lesson>.json (what the engine measured, one file per lesson
graded) and grading/gradebook.db (nbgrader's: written answers graded in formgrader, overrides).
Every total is computed once, here, from both: a written answer is a row of the student's
results like any test ("awaiting manual grading" until a grader scores it, its points counted in
max_score from the start, as nbgrader counts them), so the table, grades.csv, tests.csv and the
feedback agree to the point.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from autograder import feedback, gradebook, report
from autograder.lessons import all_lessons
from autograder.results import lesson_of, test_id
from autograder.results import write as write_json

WRITTEN_OUTPUT = {
    gradebook.AWAITING: "awaiting manual grading",
    gradebook.GRADED: "graded by hand",
    gradebook.MISSING: "missing: the answer is not in the submitted notebook",
}
WRITTEN_STATUS = {gradebook.AWAITING: "awaiting", gradebook.GRADED: "graded"}


def written_rows(lesson_id: str, hand: dict[str, dict]) -> list[dict]:
    """One results row per written answer of the lesson (from the gradebook)."""
    rows = []
    for name, g in sorted(hand.items()):
        if not g["written"]:
            continue
        rows.append(
            {
                "name": f"{lesson_id}: {report.WRITTEN}: {name}",
                "score": round(g["score"] or 0.0, 4),
                "max_score": round(g["max_score"], 4),
                "output": WRITTEN_OUTPUT[g["state"]],
                "visibility": "visible",
                "status": WRITTEN_STATUS.get(g["state"], "failed"),
                "extra_data": {
                    "id": f"{lesson_id}/written::{name}",
                    "task": report.WRITTEN,
                    "written": True,
                },
            }
        )
    return rows


def _with_overrides(tests: list[dict], hand: dict[str, dict]) -> list[dict]:
    """Auto-graded tests, with the score a grader set by hand in formgrader where there is one."""
    out = []
    for t in tests:
        g = hand.get(gradebook.cell_name(t))
        if g is not None and not g["written"]:
            note = f"score set by hand: {g['score']:g}/{g['max_score']:g}"
            output = f"{t['output']} ({note})" if t.get("output") else note
            t = dict(t, score=round(g["score"], 4), output=output)
            t["extra_data"] = dict(t.get("extra_data") or {}, by_hand=True)
        out.append(t)
    return out


def combine(per_lesson: dict[str, dict], hand: dict[str, dict[str, dict]], seed=None) -> dict:
    """One student's results (Gradescope format) from per-lesson results (in lesson order) and
    the student's hand grades {lesson: {cell: grade}}."""
    tests, lessons, seconds = [], {}, 0.0
    for lesson_id, r in per_lesson.items():
        mine = _with_overrides(r["tests"], hand.get(lesson_id, {}))
        mine += written_rows(lesson_id, hand.get(lesson_id, {}))
        tests += mine
        extra = r.get("extra_data", {})
        awaiting = sum(t["max_score"] for t in mine if t.get("status") == "awaiting")
        lessons[lesson_id] = {
            "score": round(sum(t["score"] for t in mine), 4),
            "max_score": round(sum(t["max_score"] for t in mine), 4),
            "awaiting": round(awaiting, 4),
            "layout": extra.get("layout", ""),
            "notes": extra.get("notes", []),
        }
        seconds += r.get("execution_time", 0.0)
        seed = extra.get("seed", seed) if seed is None else seed
    score = round(sum(t["score"] for t in tests), 4)
    max_score = round(sum(t["max_score"] for t in tests), 4)
    text = ", ".join(f"{k} {v['score']:g}/{v['max_score']:g}" for k, v in lessons.items())
    return {
        "score": score,
        "max_score": max_score,
        "execution_time": round(seconds, 2),
        "output": f"Graded {len(lessons)} lesson(s): {text}.",
        "tests": tests,
        "extra_data": {"seed": seed, "lessons": lessons},
    }


def auto_only(result: dict) -> dict:
    """The results without the written answers' rows (what the engine graded), with totals."""
    tests = [t for t in result["tests"] if not (t.get("extra_data") or {}).get("written")]
    lessons = {}
    for lesson_id, s in result["extra_data"]["lessons"].items():
        mine = [t for t in tests if lesson_of(t) == lesson_id]
        lessons[lesson_id] = dict(
            s,
            score=round(sum(t["score"] for t in mine), 4),
            max_score=round(sum(t["max_score"] for t in mine), 4),
            awaiting=0.0,
        )
    return dict(
        result,
        tests=tests,
        score=round(sum(t["score"] for t in tests), 4),
        max_score=round(sum(t["max_score"] for t in tests), 4),
        extra_data=dict(result["extra_data"], lessons=lessons),
    )


def stored(out: Path) -> dict[str, dict[str, dict]]:
    """{student: {lesson: results}} from OUT/results/<student>/<lesson>.json, lesson order."""
    order = [lesson.id for lesson in all_lessons()]
    found: dict[str, dict[str, dict]] = {}
    for path in sorted((out / "results").glob("*/*.json")):
        found.setdefault(path.parent.name, {})[path.stem] = json.loads(path.read_text())
    for student, per_lesson in found.items():
        rank = {
            lesson: order.index(lesson) if lesson in order else len(order) for lesson in per_lesson
        }
        found[student] = dict(sorted(per_lesson.items(), key=lambda kv: rank[kv[0]]))
    return found


def write(out: Path, students: list[str] | None = None, seed=None) -> dict[str, dict]:
    """Every report of the class in OUT from the stored results and the gradebook."""
    db = out / "gradebook.db"
    hand = gradebook.hand_grades(db)
    merged = {}
    for student, per_lesson in stored(out).items():
        if students is not None and student not in students:
            continue
        merged[student] = combine(per_lesson, hand.get(student, {}), seed)
        write_json(merged[student], out / "results" / f"{student}.json")
        feedback.write(out / "feedback" / student, student, merged[student])
    if db.is_file():
        gradebook.export_csv(db, out / "grades.csv")
    write_tests_csv(out / "tests.csv", merged)
    return merged


def write_tests_csv(path: Path, merged: dict[str, dict]) -> None:
    """One row per student and test (written answers included), keyed on the stable test id."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            ["student", "lesson", "test_id", "test", "score", "max_score", "status", "output"]
        )
        for student, r in sorted(merged.items()):
            for t in r["tests"]:
                status = t.get("status") or ("passed" if t["score"] >= t["max_score"] else "failed")
                row = [student, lesson_of(t), test_id(t), t["name"], t["score"], t["max_score"]]
                out.writerow(row + [status, report.clean(t.get("output") or "")])


def table(merged: dict[str, dict]) -> str:
    """Students x lessons, auto and written points together; `*` marks written answers that
    await manual grading (their points are in the maximum, not yet in the score)."""
    order = [lesson.id for lesson in all_lessons()]
    ids = sorted({i for r in merged.values() for i in r["extra_data"]["lessons"]}, key=order.index)
    width = max([len(s) for s in merged] + [7])
    head = f"{'student':<{width}}  " + "  ".join(f"{i.split('_')[0]:>10}" for i in ids)
    rows = [head + f"  {'total':>12}"]
    awaiting_any = False
    for student, r in sorted(merged.items()):
        cells = []
        for i in ids:
            s = r["extra_data"]["lessons"].get(i)
            if s is None:
                cells.append(f"{'-':>10}")
                continue
            star = "*" if s.get("awaiting") else " "
            awaiting_any |= bool(s.get("awaiting"))
            cells.append(f"{s['score']:g}/{s['max_score']:g}{star}".rjust(10))
        star = "*" if any(s.get("awaiting") for s in r["extra_data"]["lessons"].values()) else " "
        total = f"{r['score']:g}/{r['max_score']:g}{star}".rjust(12)
        rows.append(f"{student:<{width}}  " + "  ".join(cells) + f"  {total}")
    if awaiting_any:
        rows.append(
            "* written answers await manual grading: graded in formgrader, then `make feedback`"
        )
    return "\n".join(rows)
