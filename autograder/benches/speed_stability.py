"""Do the speed graders ever fail the reference? Grade the reference's speed tests many times
in a row, optionally with a busy loop pinning one core, and count full marks.

    python -m autograder.benches.speed_stability [--runs 30] [--busy] [--lesson ID ...]

A speed grader that fails the reference even once in these runs is a flaky grader (DESIGN.md:
"the reference must never fail its own speed test in many repeated runs").
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from autograder import judge, lessons
from autograder.lessons import REFERENCE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.benches.speed_stability")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--busy", action="store_true", help="a busy loop on one core meanwhile")
    parser.add_argument("--lesson", action="append", help="default: every lesson")
    args = parser.parse_args(argv)
    chosen = lessons.select(args.lesson)
    burner = None
    if args.busy:
        burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    failures, ratios_seen, start = [], 0, time.monotonic()
    try:
        for i in range(args.runs):
            result = judge.grade_submission(REFERENCE, chosen, keyword="speed")
            lost = [t for t in result["tests"] if t["score"] < t["max_score"]]
            ratios_seen += sum(1 for t in result["tests"] if t["status"] == "passed")
            failures += [f"run {i + 1}: {t['name']}: {t['output']}" for t in lost]
            mark = "ok" if not lost else f"{len(lost)} LOST"
            print(
                f"run {i + 1}/{args.runs}: {len(result['tests'])} speed tests, {mark}", flush=True
            )
    finally:
        if burner is not None:
            burner.kill()
    print(
        f"{args.runs} gradings of the reference's speed tests"
        f"{' with a busy loop on one core' if args.busy else ''}: "
        f"{args.runs - len({f.split(':')[0] for f in failures})}/{args.runs} full marks, "
        f"{ratios_seen} speed tests passed, {time.monotonic() - start:.0f} s"
    )
    for line in failures:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
