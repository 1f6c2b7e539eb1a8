"""Through nbgrader itself: generate_assignment releases no solution, autograde runs a graded
cell that calls the engine by name, and the gradebook shows stubs 0 and the reference full;
and the manual grading path: the class graded, a written answer graded in nbgrader's formgrader
(its REST API, as its page drives it), every total updated."""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder import classroom, gradebook, nbautograde
from autograder.lessons import ROOT, select
from autograder.release import leaks

LESSON = select(["lesson1_matmul"])[0]
pytestmark = pytest.mark.filterwarnings("ignore:Object of type")  # nbgrader's own SQLAlchemy use


def test_nbgrader_autograde_scores_stubs_zero_and_reference_full(tmp_path):
    lessons = [LESSON]
    course = nbautograde.build_course(tmp_path / "course", lessons, tasks={"frobenius_norm"})
    released = course / "release" / LESSON.id
    assert not (released / f"{LESSON.module}.py").exists()  # nbgrader#1237: not shipped
    assert not leaks(released)
    for student, tree in (("reference", "solutions"), ("stubs", "assignments")):
        nbautograde.submit(course, student, ROOT / tree, lessons)
        nbautograde.autograde(course, student, lessons)
    scores = gradebook.scores(course / "gradebook.db")
    got, worth = scores["reference"][LESSON.id]
    assert got == worth > 0
    assert scores["stubs"][LESSON.id][0] == 0
    # nbgrader#940: the student's module was graded, not source/'s copied over it
    graded = course / "autograded" / "stubs" / LESSON.id / f"{LESSON.module}.py"
    assert graded.read_text() == (ROOT / "assignments" / LESSON.id / graded.name).read_text()
    # the graded cell holds a call by name and its output is the score, with no stderr
    nb = nbformat.read(graded.parent / f"{LESSON.id}_autograde.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    assert "def test_" not in cell.source and "score(" in cell.source
    assert [o["output_type"] for o in cell.outputs] == ["execute_result"]


# ---- manual grading through formgrader, end to end -------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Formgrader:
    """nbgrader's formgrader (a Jupyter server extension) on the graded class in `course`,
    driven through its REST API, as its web page does."""

    def __init__(self, course: Path):
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            f"c.CourseDirectory.root = {str(course)!r}\n"
            "c.CourseDirectory.submitted_directory = 'submitted'\n"
            "c.CourseDirectory.autograded_directory = 'autograded'\n"
            f"c.CourseDirectory.db_url = 'sqlite:///{course / 'gradebook.db'}'\n"
        )
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{_free_port()}"
        cmd = [str(Path(sys.executable).parent / "jupyter"), "server", "--no-browser"]
        cmd += [f"--port={self.url.rsplit(':', 1)[1]}", "--ip=127.0.0.1"]
        cmd += [f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={course}"]
        cmd += ["--ServerApp.disable_check_xsrf=True"]
        cmd += ["--ServerApp.jpserver_extensions={'nbgrader.server_extensions.formgrader': True}"]
        cmd += ["--allow-root"] if os.geteuid() == 0 else []
        self.log = open(course / "formgrader.log", "wb")
        self.proc = subprocess.Popen(cmd, cwd=course, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                self.get("/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise RuntimeError((course / "formgrader.log").read_text()[-3000:])
                time.sleep(0.5)

    def request(self, path: str, data=None, method="GET"):
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.url + path, data=body, method=method)
        req.add_header("Authorization", f"token {self.token}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=60) as reply:
            text = reply.read().decode()
        return json.loads(text) if path.startswith(("/api", "/formgrader/api")) else text

    def get(self, path: str):
        return self.request(path)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def test_a_written_answer_graded_in_formgrader_reaches_every_total(tmp_path, seed):
    """`make autograde`, then a TA grades the reference's written answer 2.5/3 in formgrader,
    then `make feedback`: the table, results, grades.csv, tests.csv and feedback all show it."""
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "class.toml").write_text(
        '[materialise]\nreference = "solutions"\nstubs = "assignments"\n'
    )
    course = tmp_path / "grading"
    run = classroom.grade_class(
        klass, course, [LESSON], jobs=2, seed=seed, tasks={"frobenius_norm"}, quiet=True
    )
    classroom.report(run)
    auto = run.merged["reference"]["score"]
    assert auto > 0 and run.merged["reference"]["extra_data"]["lessons"][LESSON.id]["awaiting"] == 3

    fg = Formgrader(course)
    try:
        subs = {s["student"]: s for s in fg.get(f"/formgrader/api/submissions/{LESSON.id}")}
        assert subs["reference"]["autograded"] and subs["reference"]["needs_manual_grade"]
        assert subs["stubs"]["autograded"]  # the stub notebook holds the unanswered question
        notebooks = fg.get(f"/formgrader/api/submitted_notebooks/{LESSON.id}/{LESSON.id}")
        nb = next(n for n in notebooks if n["student"] == "reference")
        page = fg.get(f"/formgrader/submissions/{nb['id']}/")  # what the TA sees
        assert "broadcast_explanation" in page and "/ 3.0" in page
        grades = fg.get(f"/formgrader/api/grades?submission_id={nb['id']}")
        grade = next(g for g in grades if g["name"] == "broadcast_explanation")
        assert grade["needs_manual_grade"] and grade["manual_score"] is None
        fg.request(f"/formgrader/api/grade/{grade['id']}", {"manual_score": 2.5}, "PUT")
    finally:
        fg.close()

    cmd = [sys.executable, "-m", "autograder.classroom", "report", "--out", str(course)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    total = auto + 2.5
    line = next(x for x in done.stdout.splitlines() if x.startswith("reference"))
    assert f"{total:g}/{run.merged['reference']['max_score']:g}" in line and "*" not in line
    result = json.loads((course / "results" / "reference.json").read_text())
    assert result["score"] == total
    assert gradebook.scores(course / "gradebook.db")["reference"][LESSON.id][0] == total
    grades = {r["student_id"]: r for r in csv.DictReader(open(course / "grades.csv"))}
    assert float(grades["reference"]["score"]) == total
    rows = [r for r in csv.DictReader(open(course / "tests.csv")) if r["student"] == "reference"]
    assert sum(float(r["score"]) for r in rows) == total
    written = next(r for r in rows if r["test_id"] == f"{LESSON.id}/written::broadcast_explanation")
    assert (written["score"], written["status"]) == ("2.5", "graded")
    md = (course / "feedback" / "reference" / "feedback.md").read_text()
    assert f"Total: **{total:g} / " in md and "broadcast_explanation: 2.5/3, graded by hand" in md
