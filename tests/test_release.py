"""What leaves the repository: the student release, nbgrader's release, the solutions branch.
None of them may carry a solution marker, a solution body or a hidden grader."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tarfile
import time
import urllib.request

import nbformat
import pytest
from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from autograder import release
from autograder.lessons import ROOT, all_lessons, select
from tests.installed_release import BUILD_TIMEOUT, installed_release, student_env  # noqa: F401

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
    assert not release.leaks(ROOT / "solutions", reference=True)  # what the solutions branch may
    folder = tmp_path / "release"
    shutil.copytree(ROOT / "assignments", folder)
    assert not release.leaks(folder)
    graders = LESSON.graders  # a grader file, or a package of them
    grader = graders if graders.is_file() else sorted(graders.glob("test_*.py"))[0]
    shutil.copy(grader, folder / "notes.py")
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
    assert "torch==" in requirements and "jupyterlab==" in requirements
    ours = (ROOT / "requirements.txt").read_text()
    for line in requirements.splitlines()[1:]:  # each pin as the instructor's repository has it
        assert line in ours
    for tool in ("nbgrader", "black", "hypothesis", "pytest-xdist"):  # instructor tools
        assert tool not in requirements


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


# ---- the installed release: make lab, the solutions branch --------------------------------------


def _api(port, method, path, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        return json.loads(reply.read() or b"null")


TOKEN = "course-release-test"


def _imports_from(client) -> list[str]:
    """cwd, interpreter, courselib's file and the lesson module's file, as a kernel sees them."""
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        printed = []
        code = "import os, sys, courselib, matmul\n"
        code += "print(os.getcwd(), sys.executable, courselib.__file__, matmul.__file__)"
        client.execute_interactive(
            code, timeout=120, output_hook=lambda m: printed.append(m["content"].get("text", ""))
        )
    finally:
        client.stop_channels()
    return "".join(printed).split()


@pytest.mark.timeout(BUILD_TIMEOUT)
def test_make_lab_opens_the_course_and_its_kernel_imports_courselib_and_the_module(
    installed_release, tmp_path  # noqa: F811
):
    # `make lab` as a student runs it (plus what a headless test as root needs); a notebook
    # opened through the server gets the release's Python, started in the notebook's folder,
    # importing courselib from the release and the module beside the notebook
    root, folder = installed_release["root"], installed_release["root"] / "assignments" / LESSON.id
    home = tmp_path / "home"
    home.mkdir()
    args = "--no-browser --allow-root --ServerApp.ip=127.0.0.1 --ServerApp.port=0"
    args += f" --IdentityProvider.token={TOKEN}"
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        lab = subprocess.Popen(
            ["make", "lab", f"LAB_ARGS={args}"],
            cwd=root,
            env=student_env(HOME=str(home)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        port = None
        for _ in range(600):
            found = re.search(r"http://127\.0\.0\.1:(\d+)/lab", log.read_text())
            if found or lab.poll() is not None:
                port = found and found.group(1)
                break
            time.sleep(0.2)
        assert port, log.read_text()[-3000:]
        listing = _api(port, "GET", f"/api/contents/assignments/{LESSON.id}")["content"]
        assert f"{LESSON.id}.ipynb" in {entry["name"] for entry in listing}  # opens on the course
        spec = _api(port, "GET", "/api/kernelspecs")["kernelspecs"]["python3"]["spec"]
        assert spec["display_name"] == "Python 3 (course)"
        assert spec["argv"][0] == str(root / ".venv" / "bin" / "python")
        notebook = f"assignments/{LESSON.id}/{LESSON.id}.ipynb"
        body = {"path": notebook, "type": "notebook", "name": "", "kernel": {"name": "python3"}}
        session = _api(port, "POST", "/api/sessions", body)
        runtime = home / ".local" / "share" / "jupyter" / "runtime"
        client = BlockingKernelClient()
        client.load_connection_file(str(runtime / f"kernel-{session['kernel']['id']}.json"))
        assert _imports_from(client) == [
            str(folder),
            str(root / ".venv" / "bin" / "python"),
            str(root / "courselib" / "__init__.py"),
            str(folder / f"{LESSON.module}.py"),
        ]
        _api(port, "DELETE", f"/api/sessions/{session['id']}")
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()


@pytest.mark.timeout(BUILD_TIMEOUT)
def test_a_notebook_opened_outside_the_release_imports_courselib_and_its_module(
    installed_release, tmp_path  # noqa: F811
):
    # what any front end does (VS Code, a JupyterLab started elsewhere): the release's kernel
    # spec, started in the notebook's folder, here a copy of the lesson outside the release
    root = installed_release["root"]
    mine = tmp_path / "mywork" / LESSON.id
    shutil.copytree(root / "assignments" / LESSON.id, mine)
    specs = KernelSpecManager(kernel_dirs=[str(root / ".venv" / "share" / "jupyter" / "kernels")])
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    manager.start_kernel(cwd=str(mine), env=student_env(HOME=str(tmp_path)))
    try:
        assert _imports_from(manager.client()) == [
            str(mine),
            str(root / ".venv" / "bin" / "python"),
            str(root / "courselib" / "__init__.py"),
            str(mine / f"{LESSON.module}.py"),
        ]
    finally:
        manager.shutdown_kernel(now=True)


def _git(repo, *args):
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.timeout(BUILD_TIMEOUT)
def test_solutions_branch_holds_the_reference_release_and_no_grader(
    installed_release, tmp_path  # noqa: F811
):
    # the tree: the installed release after its notebooks ran on the reference (what
    # `make solutions-branch` builds and executes itself, with the instructor's Jupyter)
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    head, branch = _git(repo, "rev-parse", "HEAD"), _git(repo, "branch", "--show-current")
    status = _git(repo, "status", "--porcelain")
    commit = release.solutions_branch(repo, tree=installed_release["root"])
    assert _git(repo, "rev-parse", "HEAD") == head  # the checkout is left alone
    assert _git(repo, "branch", "--show-current") == branch
    assert _git(repo, "status", "--porcelain") == status
    assert release.solutions_branch(repo, tree=installed_release["root"]) == commit  # unchanged

    files = _git(repo, "ls-tree", "-r", "--name-only", "solutions").splitlines()
    top = {f.split("/")[0] for f in files}
    assert top == {".github", ".gitignore", "Makefile", "README.md", "assignments", "courselib"} | {
        "requirements.txt"
    }
    for secret in release.SECRET_PARTS:  # no engine, grader, probe, test, source, example
        assert not [f for f in files if secret in f.split("/")[:-1]], secret
    assert not [f for f in files if ".venv" in f or "__pycache__" in f]
    tree = tmp_path / "tree"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "solutions"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    assert not release.leaks(tree, reference=True)  # no marker, no hidden grader's lines
    for lesson in all_lessons():
        folder = tree / "assignments" / lesson.id
        for name in (f"{lesson.module}.py", f"test_{lesson.module}.py"):
            assert (folder / name).read_text() == (
                ROOT / "solutions" / lesson.id / name
            ).read_text()
        assert release.executed(folder / f"{lesson.id}.ipynb"), lesson.id  # with its outputs
        assert list(folder.glob("*.png")), lesson.id  # and its figures
        answers = nbformat.read(ROOT / "solutions" / lesson.id / f"{lesson.id}.ipynb", 4)
        written = [c.source for c in answers.cells if c.cell_type == "markdown"]
        branch_nb = nbformat.read(folder / f"{lesson.id}.ipynb", 4)
        assert written == [c.source for c in branch_nb.cells if c.cell_type == "markdown"]
    assert "Reference solutions" in (tree / "README.md").read_text()
    assert (tree / "Makefile").read_text() == release.STUDENT_MAKEFILE
