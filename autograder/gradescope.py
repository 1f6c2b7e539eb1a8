"""Gradescope: one autograder zip per lesson and one for all lessons (`make gradescope`), and
what runs inside them.

    python -m autograder.gradescope build [--out build] [--lesson ID ...]
        -> build/gradescope-lesson1_matmul.zip ... build/gradescope-all-lessons.zip
    python -m autograder.gradescope run [--lesson ID ...] [--submission DIR] [--results FILE]

A zip holds setup.sh and run_autograder at its root (Gradescope's contract), the engine
(autograder/) with the hidden graders and probes of its lesson(s) only, the reference solution
of its lesson(s) that the speed graders time against (solutions/<lesson>/), courselib/,
requirements.txt, the Makefile and pyproject.toml. Gradescope unpacks it to
/autograder/source, runs setup.sh once when building the image (it installs bubblewrap, the
sandbox, where apt can), then run_autograder per submission, which must leave
/autograder/results/results.json. The zips hold solutions and graders: build/ is made 0700 and
each zip 0600, so no sandbox (an unprivileged uid) can read them.

`run` accepts what students upload, in any layout `intake` knows: the lesson's module alone,
the lesson folder, or a whole student repository (assignments/<lesson>/...); it grades only its
lesson(s), and when nothing gradeable was uploaded says so, and what was expected, in the
top-level `output` (no tests are run). It always writes a results file, even when grading
itself fails. Paths can be overridden for tests and local runs: AUTOGRADER_ROOT (default
/autograder), AUTOGRADER_SUBMISSION, AUTOGRADER_RESULTS, AUTOGRADER_PYTHON (the interpreter
run_autograder uses), AUTOGRADER_TASKS (comma-separated task filter, for tests).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

from autograder.lessons import ROOT, Lesson, all_lessons, select

BUILD = ROOT / "build"
ALL = "all-lessons"
TOP = ["autograder", "courselib", "requirements.txt", "Makefile", "pyproject.toml"]
PER_LESSON = {("autograder", "graders"), ("autograder", "probes")}  # only the zip's own lessons
EXCLUDE_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", "benches"}

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope image set-up (runs once, as root, in /autograder/source).
set -euo pipefail
cd /autograder/source
apt-get update -qq
apt-get install -y -qq software-properties-common make > /dev/null
# the sandbox: without bubblewrap the grader falls back to a uid sandbox and says so loudly
apt-get install -y -qq bubblewrap > /dev/null || echo "warning: bubblewrap not installed"
add-apt-repository -y ppa:deadsnakes/ppa > /dev/null
apt-get install -y -qq python3.11 python3.11-venv > /dev/null
# the CPU build of torch (the default wheel on PyPI is the multi-GB CUDA one)
PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu make install PYTHON=python3.11
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this per submission; it must leave $RESULTS (results.json) behind.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
SUBMISSION="${{AUTOGRADER_SUBMISSION:-$ROOT/submission}}"
RESULTS="${{AUTOGRADER_RESULTS:-$ROOT/results/results.json}}"
PY="${{AUTOGRADER_PYTHON:-$SOURCE/.venv/bin/python}}"
cd "$SOURCE"
PYTHONPATH="$SOURCE" PYTHONDONTWRITEBYTECODE=1 "$PY" -m autograder.gradescope run \\
    {lessons}--submission "$SUBMISSION" --results "$RESULTS"
"""


# ---- build -----------------------------------------------------------------------------------


def private_folder(folder: Path) -> Path:
    """`folder` (created) with mode 0700, and its parent build/ too when it is one."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in (folder, *(p for p in folder.parents if p.name == "build")):
        f.chmod(0o700)
    return folder


def _members(lessons: list[Lesson]) -> list[tuple[Path, str]]:
    """(file, name in the zip): the engine, courselib, and the given lessons' graders, probes
    and reference solutions - nothing of the other lessons."""
    mine = {lesson.id for lesson in lessons}
    files = []
    for item in TOP + [f"solutions/{i}" for i in sorted(mine)]:
        path = ROOT / item
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = []
    for f in files:
        rel = f.relative_to(ROOT)
        if EXCLUDE_PARTS.intersection(rel.parts) or f.suffix in (".pyc", ".png"):
            continue
        if rel.parts[:2] in PER_LESSON and len(rel.parts) > 2:
            lesson = rel.parts[2].removesuffix(".py")
            if lesson.startswith("lesson") and lesson not in mine:
                continue
        out.append((f, str(rel)))
    return out


def build(out: Path, lessons: list[Lesson]) -> Path:
    """One zip for `lessons`, written privately (0600 in a 0700 folder), atomically."""
    private_folder(out.parent)
    tmp = out.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    args = "".join(f"--lesson {lesson.id} " for lesson in lessons)
    with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16  # executable
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.format(lessons=args) if name == "run_autograder" else text)
        for f, name in _members(lessons):
            z.write(f, name)
    os.chmod(tmp, 0o600)
    tmp.replace(out)
    return out


def build_all(folder: Path = BUILD, lessons: list[Lesson] | None = None) -> list[Path]:
    """One zip per lesson and the all-lessons one (when every lesson is built)."""
    lessons = lessons if lessons is not None else all_lessons()
    zips = [build(folder / f"gradescope-{lesson.id}.zip", [lesson]) for lesson in lessons]
    if len(lessons) == len(all_lessons()):
        zips.append(build(folder / f"gradescope-{ALL}.zip", lessons))
    return zips


# ---- run -------------------------------------------------------------------------------------


def _nothing(found) -> dict:
    """Results for an upload with nothing to grade: what was found, what was expected."""
    lines = ["Nothing gradeable was uploaded, so nothing was graded.", found.summary()]
    lines += found.notes + [found.expected(), "Upload again; your score updates."]
    return {"score": 0.0, "execution_time": 0, "output": "\n".join(lines), "tests": []}


def _failed(message: str) -> dict:
    return {"score": 0.0, "output": message, "tests": [], "execution_time": 0}


def run(submission: Path, results_path: Path, lessons: list[Lesson]) -> dict:
    from autograder import intake, report, results
    from autograder.judge import grade_submission

    try:
        tasks = os.environ.get("AUTOGRADER_TASKS")
        tasks = set(tasks.split(",")) if tasks else None
        found = intake.find(submission, lessons, course_ok=False)  # never our own folders
        if not found.gradeable:
            result = _nothing(found)
        else:
            with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
                staged = intake.stage(found, Path(tmp) / "submission")
                jobs = min(2, os.cpu_count() or 1)
                result = grade_submission(staged, lessons, tasks=tasks, jobs=jobs)
            result = report.for_gradescope(intake.explain(result, found))
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
    b.add_argument("--out", default=str(BUILD), help="folder for the zips (default build/)")
    b.add_argument("--lesson", action="append", help="only this lesson's zip (repeatable)")
    r = sub.add_parser("run")
    r.add_argument("--lesson", action="append", help="grade only this lesson (repeatable)")
    r.add_argument("--submission", default=str(root / "submission"))
    r.add_argument("--results", default=str(root / "results" / "results.json"))
    args = parser.parse_args(argv)
    if args.what == "build":
        for path in build_all(Path(args.out), select(args.lesson) if args.lesson else None):
            print(f"{path}: a Gradescope autograder (setup.sh, run_autograder inside)")
        return 0
    result = run(Path(args.submission), Path(args.results), select(args.lesson))
    print(f"score {result['score']:g}/{result.get('max_score', 0):g} -> {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
