"""What leaves the repository: the student release, nbgrader's release, the solutions branch.
None of them may carry a solution marker, a solution body or a hidden grader."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile

import nbformat
import pytest

from autograder import release
from autograder.lessons import GRADERS, ROOT, all_lessons, select

LESSON = select(["lesson1_matmul"])[0]


def _all_text(folder):
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            yield path, path.read_bytes().decode("utf-8", errors="replace")


def test_leak_check_catches_solutions_and_graders(tmp_path):
    found = release.leaks(ROOT / "solutions")
    for lesson in all_lessons():  # every lesson's reference module counts as a leak
        assert any(p.startswith(f"{lesson.id}/{lesson.module}.py: ") for p in found), lesson.id
    assert not release.leaks(ROOT / "assignments")
    folder = tmp_path / "release"
    shutil.copytree(ROOT / "assignments", folder)
    assert not release.leaks(folder)
    shutil.copy(GRADERS / f"{LESSON.id}.py", folder / "notes.py")
    assert any("hidden grader" in p for p in release.leaks(folder))


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    return release.student_release(tmp_path_factory.mktemp("rel") / "student-release")


def test_student_release_holds_exactly_what_students_receive(student):
    top = sorted(p.name for p in student.iterdir())
    assert top == sorted(
        [".github", ".gitignore", "Makefile", "README.md", "assignments", "courselib"]
        + ["requirements.txt"]
    )
    assert sorted(p.name for p in (student / "assignments").iterdir()) == sorted(
        p.name for p in (ROOT / "assignments").iterdir() if p.is_dir()
    )
    for lesson in all_lessons():
        stub = student / "assignments" / lesson.id / f"{lesson.module}.py"
        assert stub.read_text() == (ROOT / stub.relative_to(student)).read_text()
    assert not release.leaks(student)
    for path, text in _all_text(student):
        assert "### BEGIN SOLUTION" not in text, path
        assert "autograder.graders" not in text and "autograder/graders" not in text, path
    assert not {"autograder", "solutions", "source", "tests", "examples"} & {
        p.name for p in student.rglob("*") if p.is_dir()
    }
    requirements = (student / "requirements.txt").read_text()
    assert "torch==" in requirements and "nbgrader" not in requirements


def test_student_archive_matches_the_folder(student):
    with tarfile.open(student.parent / "student-release.tar.gz") as tar:
        names = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    files = {str(p.relative_to(student)) for p in student.rglob("*")}
    assert names == files


def test_classroom_workflow_runs_each_lessons_visible_tests(student):
    workflow = (student / ".github" / "workflows" / "classroom.yml").read_text()
    for lesson in all_lessons():
        number = lesson.id.split("_")[0].removeprefix("lesson")
        assert f"command: make test-lesson{number}" in workflow
        assert f"steps.{lesson.id}.outputs.result" in workflow
    assert "autograding-grading-reporter" in workflow


def test_student_makefile_runs_the_visible_tests_on_the_release(student):
    # what the student Makefile's test target runs, with the release's courselib, on the
    # reference (the stubs fail, by design)
    work = student.parent / "try"
    shutil.copytree(student, work)
    shutil.copytree(ROOT / "solutions" / LESSON.id, work / "mine" / LESSON.id, dirs_exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(work))
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    cmd += ["-p", "courselib.pytest_plugin", "--rootdir=.", "-c", "/dev/null", "."]
    done = subprocess.run(
        cmd, cwd=work / "mine" / LESSON.id, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "test-lesson%:" in (student / "Makefile").read_text()


def test_nbgrader_release_adds_our_stubs_and_registers_the_assignment(tmp_path):
    out = release.nbgrader_release(tmp_path / "nbgrader", lessons=[LESSON])
    folder = out / "release" / LESSON.id
    module = folder / f"{LESSON.module}.py"
    assert module.read_text() == (ROOT / "assignments" / LESSON.id / module.name).read_text()
    notebook = nbformat.read(folder / f"{LESSON.id}.ipynb", as_version=4)
    assert "### BEGIN SOLUTION" not in nbformat.writes(notebook)
    assert not release.leaks(out / "release")
    from autograder import gradebook

    with gradebook.open_gradebook(out / "gradebook.db") as gb:
        cells = {c.name for c in gb.find_notebook(LESSON.id, LESSON.id).grade_cells}
    assert "broadcast_explanation" in cells


def test_nbgrader_config_keeps_modules_out_of_nbgrader_copies():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    for lesson in all_lessons():
        assert f"{lesson.module}.py" in config.CourseDirectory.ignore  # generate_assignment
        assert config.Autograde.exclude_overwriting[lesson.id] == [f"{lesson.module}.py"]
    assert config.CourseDirectory.release_directory == "assignments"
    assert config.CourseDirectory.solution_directory == "solutions"
    assert config.CourseDirectory.source_directory == "source"


def _git(repo, *args):
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_solutions_branch_leaves_the_checkout_alone(tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "test")
    head, branch = _git(repo, "rev-parse", "HEAD"), _git(repo, "branch", "--show-current")
    status = _git(repo, "status", "--porcelain")
    commit = release.solutions_branch(repo)
    assert _git(repo, "rev-parse", "HEAD") == head
    assert _git(repo, "branch", "--show-current") == branch
    assert _git(repo, "status", "--porcelain") == status
    for lesson in all_lessons():
        path = f"{lesson.id}/{lesson.module}.py"
        assert _git(repo, "show", f"solutions:assignments/{path}") == _git(
            repo, "show", f"HEAD:solutions/{path}"
        )
    assert release.solutions_branch(repo) == commit  # nothing new: same commit
    # the visible tests pass on the branch's assignments/
    tree = tmp_path / "tree"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "solutions"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    cmd += ["-p", "courselib.pytest_plugin", "--rootdir=.", "-c", "/dev/null", "."]
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        cmd, cwd=tree / "assignments" / LESSON.id, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-2000:]
