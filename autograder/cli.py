"""Command line: `python -m autograder grade DIR --json OUT [--lesson ID ...] [--seed N]`.

DIR is any layout `intake` accepts (a folder laid out like assignments/, a student repository,
a lesson folder, a bare module); the terminal shows the layout found, one line per lesson and
what failed. Exit status 0 whenever results were written (a failing submission is a result,
not an error); 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from autograder import classroom, intake, judge, lessons, report, results


def _grade(args) -> int:
    submission = Path(args.dir)
    if not submission.is_dir():
        print(f"error: {submission} is not a folder", file=sys.stderr)
        return 2
    chosen = lessons.select(args.lesson)
    tasks = set(args.task) if args.task else None
    found = intake.find(submission, chosen)
    with tempfile.TemporaryDirectory(prefix="autograder-grade-") as tmp:
        staged = intake.stage(found, Path(tmp) / "submission")
        result = judge.grade_submission(staged, chosen, args.seed, tasks, args.budget, args.jobs)
    result = intake.explain(result, found)
    if args.json:
        results.write(result, Path(args.json))
    print(found.summary())
    print(report.terminal(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade one submission folder")
    g.add_argument("dir", help="submission: lesson folders, a student repository, a module ...")
    g.add_argument("--json", help="write Gradescope results.json here")
    g.add_argument("--lesson", action="append", help="grade only this lesson id (repeatable)")
    g.add_argument("--task", action="append", help="grade only the tests of this task")
    g.add_argument("--seed", type=int, help="seed for the hidden inputs (default: random)")
    g.add_argument("--jobs", type=int, default=1, help="lessons graded in parallel (default 1)")
    g.add_argument("--budget", type=float, default=300.0, help="seconds per lesson (default 300)")
    classroom.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "class":
        return args.handler(args)
    return 2
