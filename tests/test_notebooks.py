"""Every walk-through notebook runs top to bottom where students run it: in the student release,
unpacked in a fresh folder and installed by its own `make install`, with that venv's Jupyter and
kernel and no PYTHONPATH (tests/installed_release.py). As shipped (stubs) each stops at an
unfinished task; with the reference swapped in each runs to the end (small-data switch on) and
saves its figures."""

import nbformat
import pytest

from autograder import release
from autograder.lessons import ROOT
from tests.installed_release import BUILD_TIMEOUT, LESSONS, installed_release  # noqa: F401


@pytest.mark.timeout(BUILD_TIMEOUT)
@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_runs_in_the_installed_release(lesson, installed_release):  # noqa: F811
    run = installed_release["reference"][lesson]
    assert run["returncode"] == 0, f"{lesson}:\n{run['stderr']}"
    folder = installed_release["root"] / "assignments" / lesson
    assert release.executed(folder / f"{lesson}.ipynb"), f"{lesson}: a cell did not run"
    assert list(folder.glob("*.png")), f"{lesson}: the notebook saved no figure"


@pytest.mark.timeout(BUILD_TIMEOUT)
@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_stops_at_unfinished_task_on_stubs(lesson, installed_release):  # noqa: F811
    # the notebook as shipped: courselib and the stub module import (no ModuleNotFoundError),
    # and the first call into an unfinished task stops it
    run = installed_release["stubs"][lesson]
    assert run["returncode"] != 0, f"{lesson}: ran to the end on the stubs"
    assert "NotImplementedError" in run["stderr"], f"{lesson}:\n{run['stderr']}"
    assert "ModuleNotFoundError" not in run["stderr"], f"{lesson}:\n{run['stderr']}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_release_notebook_has_the_reference_notebooks_code(lesson):
    # the installed release runs the reference notebooks (model answers in the written cells);
    # the code students run is the same cell for cell, so that run covers theirs
    def code(tree):
        nb = nbformat.read(ROOT / tree / lesson / f"{lesson}.ipynb", as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "code"]

    assert code("assignments") == code("solutions")
