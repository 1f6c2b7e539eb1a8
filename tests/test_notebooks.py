"""Every walk-through notebook runs top to bottom against solutions/ (real kernel, small-data
switch on) and saves its figures; against the stubs it stops only at an unfinished task."""

import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder.lessons import ROOT

LESSONS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())


def _execute(tree, lesson, tmp_path):
    folder = tmp_path / lesson
    shutil.copytree(ROOT / tree / lesson, folder)
    nb = nbformat.read(folder / f"{lesson}.ipynb", as_version=4)
    os.environ["COURSE_SMALL"] = "1"
    os.environ["PYTHONPATH"] = str(ROOT)
    os.environ["MPLBACKEND"] = "Agg"
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    return client, folder


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_runs_on_solutions(lesson, tmp_path):
    client, folder = _execute("solutions", lesson, tmp_path)
    client.execute()
    assert list(folder.glob("*.png")), f"{lesson}: the notebook saved no figure"


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_stops_at_unfinished_task_on_stubs(lesson, tmp_path):
    client, _ = _execute("assignments", lesson, tmp_path)
    with pytest.raises(CellExecutionError) as err:
        client.execute()
    assert (
        err.value.ename == "NotImplementedError"
    ), f"{lesson}: {err.value.ename}: {err.value.evalue}"
