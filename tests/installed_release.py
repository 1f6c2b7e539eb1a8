"""The student release as a student gets it, for the tests that need it installed.

Built by `release.student_release`, unpacked from its .tar.gz into a fresh folder, installed by
its own `make install` (a new venv: torch from pip's wheel, JupyterLab, pytest; no PYTHONPATH,
nothing of this repository), then every notebook run there with the release's own Jupyter:
first as shipped (stubs: each must stop at an unfinished task), then with the reference swapped
in (`release.swap_in_reference`: modules, model answers) and COURSE_SMALL=1, in place. The
executed tree is what the solutions branch holds.

The notebooks run here and only here: this replaced running them against solutions/ in the
instructor's venv, so `make test` pays for them once. Built once per session and shared by
the xdist workers through a file lock; the notebooks run two at a time.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder import release
from autograder.lessons import all_lessons

LESSONS = [lesson.id for lesson in all_lessons()]
BUILD_TIMEOUT = 3000  # s, for the tests that wait on the build: install ≈ 2 min, notebooks ≈ 3


def student_env(**extra) -> dict:
    """A student's shell: no PYTHONPATH (the release must not need one), no outer make's flags,
    no display, the small-data switch on (CI)."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "COURSE_PROGRESS"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(MPLBACKEND="Agg", COURSE_SMALL="1", **extra)
    return env


def _run_notebooks(root: Path, env: dict, inplace: bool, cwd: Path) -> dict:
    """Two at a time: the other xdist worker may be waiting for this build, its core idle."""
    python = root / ".venv" / "bin" / "python"

    def run(notebook):
        start = time.monotonic()
        done = release.run_notebook(notebook, python, env, inplace=inplace, cwd=cwd)
        return notebook.parent.name, {
            "returncode": done.returncode,
            "stderr": done.stderr[-4000:],
            "seconds": round(time.monotonic() - start, 1),
        }

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, release.notebooks(root)))


def _build(base: Path) -> dict:
    built = release.student_release(base / "build" / "student-release")
    fresh = base / "fresh"
    fresh.mkdir()
    with tarfile.open(built.parent / f"{built.name}.tar.gz") as tar:
        tar.extractall(fresh, filter="data")
    root = fresh / built.name
    env = student_env()
    start = time.monotonic()
    done = subprocess.run(
        ["make", "install"], cwd=root, env=env, capture_output=True, text=True, timeout=1800
    )
    install_s = round(time.monotonic() - start, 1)
    if done.returncode != 0:
        raise RuntimeError(f"the release's make install failed:\n{done.stdout[-3000:]}")
    # run from outside the release: `jupyter execute` starts the kernel in the notebook's
    # folder, as JupyterLab does; HOME: nothing of the user's ~/.jupyter or ~/.ipython
    env["HOME"] = str(base)
    stubs = _run_notebooks(root, env, inplace=False, cwd=base)
    release.swap_in_reference(root)
    reference = _run_notebooks(root, env, inplace=True, cwd=base)
    return {
        "root": str(root),
        "install_s": install_s,
        "stubs": stubs,
        "reference": reference,
    }


@pytest.fixture(scope="session")
def installed_release(tmp_path_factory) -> dict:
    """{"root", "install_s", "stubs": {lesson: {returncode, stderr, seconds}}, "reference": ...}"""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if worker else shared
    base, results = shared / "installed-release", shared / "installed-release.json"
    with open(shared / "installed-release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not results.exists():
            base.mkdir(exist_ok=True)
            try:
                found = _build(base)
            except Exception as e:  # noqa: BLE001 - recorded, so the other worker fails fast
                found = {"error": f"{type(e).__name__}: {e}"}
            results.write_text(json.dumps(found, indent=1))
    found = json.loads(results.read_text())
    if "error" in found:
        pytest.fail(f"building the installed student release failed: {found['error']}")
    found["root"] = Path(found["root"])
    return found
