"""Gradescope: the autograder zip (`make gradescope`) and what runs inside it.

    python -m autograder.gradescope build [--out build/gradescope-autograder.zip]
    python -m autograder.gradescope run [--submission DIR] [--results FILE]   (in run_autograder)

The zip holds setup.sh and run_autograder at its root (Gradescope's contract), the engine and
the hidden graders (autograder/), the reference solutions the speed graders time against
(solutions/), courselib/, requirements.txt, the Makefile and pyproject.toml. Gradescope
unpacks it to /autograder/source, runs setup.sh once when building the image, then
run_autograder per submission, which must leave /autograder/results/results.json.

`run` accepts what students upload: the lesson folders at the top (lesson1_matmul/...), a
whole repository (assignments/lesson1_matmul/...), or loose modules (matmul.py); it stages them
as one folder per lesson and grades with the engine. It always writes a results file, even
when grading itself fails. Paths can be overridden for tests and local runs:
AUTOGRADER_ROOT (default /autograder), AUTOGRADER_SUBMISSION, AUTOGRADER_RESULTS,
AUTOGRADER_PYTHON (the interpreter run_autograder uses), AUTOGRADER_LESSONS and
AUTOGRADER_TASKS (comma-separated filters, for tests).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

from autograder.lessons import ROOT, all_lessons

INCLUDE = ["autograder", "courselib", "solutions", "requirements.txt", "Makefile", "pyproject.toml"]
EXCLUDE_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope image set-up (runs once, as root, in /autograder/source).
set -euo pipefail
cd /autograder/source
apt-get update -qq
apt-get install -y -qq software-properties-common make > /dev/null
add-apt-repository -y ppa:deadsnakes/ppa > /dev/null
apt-get install -y -qq python3.11 python3.11-venv > /dev/null
# the CPU build of torch (the default wheel on PyPI is the multi-GB CUDA one)
PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu make install PYTHON=python3.11
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this per submission; it must leave $RESULTS (results.json) behind.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUBMISSION="${AUTOGRADER_SUBMISSION:-$ROOT/submission}"
RESULTS="${AUTOGRADER_RESULTS:-$ROOT/results/results.json}"
PY="${AUTOGRADER_PYTHON:-$SOURCE/.venv/bin/python}"
cd "$SOURCE"
PYTHONPATH="$SOURCE" PYTHONDONTWRITEBYTECODE=1 "$PY" -m autograder.gradescope run \\
    --submission "$SUBMISSION" --results "$RESULTS"
"""


# ---- build -----------------------------------------------------------------------------------


def build(out: Path = ROOT / "build" / "gradescope-autograder.zip") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16  # executable
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
        for item in INCLUDE:
            path = ROOT / item
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for f in files:
                rel = f.relative_to(ROOT)
                if EXCLUDE_PARTS.intersection(rel.parts) or f.suffix in (".pyc", ".png"):
                    continue
                z.write(f, str(rel))
    tmp.replace(out)
    return out


# ---- run -------------------------------------------------------------------------------------


def _find(submission: Path, name: str, want_dir: bool, depth: int = 4) -> Path | None:
    """The shallowest entry called `name` under `submission` (no symlinks followed)."""
    level = [submission]
    for _ in range(depth):
        nxt = []
        for folder in level:
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.is_symlink():
                    continue
                if entry.name == name and (entry.is_dir() if want_dir else entry.is_file()):
                    return entry
                if entry.is_dir() and not entry.name.startswith("."):
                    nxt.append(entry)
        level = nxt
    return None


def stage(submission: Path, staged: Path, lessons) -> list[str]:
    """One folder per lesson under `staged`; returns notes on what was found where."""
    notes = []
    for lesson in lessons:
        folder = _find(submission, lesson.id, want_dir=True)
        target = staged / lesson.id
        if folder is not None:
            shutil.copytree(folder, target, symlinks=True)
            continue
        module = _find(submission, f"{lesson.module}.py", want_dir=False)
        if module is not None:
            target.mkdir(parents=True)
            shutil.copy(module, target / module.name)
            notes.append(f"{lesson.id}: graded {module.relative_to(submission)}")
    return notes


def _failed(message: str) -> dict:
    return {"score": 0.0, "output": message, "tests": [], "execution_time": 0}


def run(submission: Path, results_path: Path) -> dict:
    from autograder import results
    from autograder.judge import grade_submission

    try:
        chosen = all_lessons()
        if os.environ.get("AUTOGRADER_LESSONS"):
            wanted = set(os.environ["AUTOGRADER_LESSONS"].split(","))
            chosen = [lesson for lesson in chosen if lesson.id in wanted]
        tasks = os.environ.get("AUTOGRADER_TASKS")
        tasks = set(tasks.split(",")) if tasks else None
        with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
            staged = Path(tmp) / "submission"
            staged.mkdir()
            notes = stage(submission, staged, chosen)
            result = grade_submission(staged, chosen, tasks=tasks, jobs=min(2, os.cpu_count() or 1))
        if notes:
            result["output"] += "\n" + "\n".join(notes)
    except Exception:  # noqa: BLE001 - results are always written
        traceback.print_exc()
        result = _failed("The autograder failed on this submission; the instructor has the log.")
    results.write(result, results_path)
    return result


def main(argv: list[str] | None = None) -> int:
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", default=str(ROOT / "build" / "gradescope-autograder.zip"))
    r = sub.add_parser("run")
    r.add_argument("--submission", default=str(root / "submission"))
    r.add_argument("--results", default=str(root / "results" / "results.json"))
    args = parser.parse_args(argv)
    if args.what == "build":
        out = build(Path(args.out))
        print(f"{out}: upload it as the Gradescope autograder (setup.sh, run_autograder inside)")
        return 0
    result = run(Path(args.submission), Path(args.results))
    print(f"score {result['score']:g}/{result.get('max_score', 0):g} -> {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
