"""What a student handed in (autograder/intake.py): the layouts found, links refused, staging
bounded; and the class command refusing output folders that would destroy submissions.
No grading here: every test runs in well under a second."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import classroom, intake
from autograder.lessons import ROOT, select

L1, L2 = select(["lesson1_matmul", "lesson2_init"])
LESSONS = [L1, L2]


def put(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def staged_files(dest: Path) -> list[str]:
    return sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "files, layout, where",
    [
        ({"lesson1_matmul/matmul.py": "x"}, intake.FOLDERS, "lesson1_matmul/"),
        (
            {"assignments/lesson1_matmul/matmul.py": "x", "courselib/x.py": "", "Makefile": ""},
            intake.REPOSITORY,
            "assignments/lesson1_matmul/",
        ),
        (
            {"my-repo/assignments/lesson1_matmul/matmul.py": "x", "my-repo/README.md": ""},
            intake.REPOSITORY,
            "my-repo/assignments/lesson1_matmul/",
        ),
        (
            {"matmul.py": "x", "lesson1_matmul.ipynb": "{}"},
            intake.LESSON_FOLDER,
            "matmul.py",
        ),
        ({"matmul.py": "x"}, intake.MODULE, "matmul.py"),
        ({"wrapper/lesson1_matmul/matmul.py": "x"}, intake.FOLDERS, "wrapper/lesson1_matmul/"),
    ],
    ids=["lesson-folders", "repository", "zipped-repository", "lesson-folder", "module", "zip"],
)
def test_layouts_are_found_and_named(tmp_path, files, layout, where):
    upload = put(tmp_path / "upload", files)
    found = intake.find(upload, LESSONS)
    assert found.gradeable
    assert found.layout == layout
    assert found.lessons[L1.id].where == where
    assert found.lessons[L2.id].source is None
    assert f"layout: {layout} ({where})" == found.summary()
    dest = intake.stage(found, tmp_path / "staged")
    assert "lesson1_matmul/matmul.py" in staged_files(dest)
    assert (dest / "lesson1_matmul" / "matmul.py").read_text() == "x"


def test_nothing_gradeable_says_what_was_expected(tmp_path):
    found = intake.find(put(tmp_path / "u", {"README.txt": "hi", "notes/a.py": ""}), [L1])
    assert not found.gradeable and found.layout == intake.NOTHING
    expected = found.expected()
    for way in ("matmul.py", "lesson1_matmul/", "assignments/lesson1_matmul/matmul.py"):
        assert way in expected


def test_a_lesson_folder_beats_a_loose_module_and_top_beats_assignments(tmp_path):
    upload = put(
        tmp_path / "u",
        {
            "matmul.py": "loose",
            "lesson1_matmul/matmul.py": "folder",
            "assignments/lesson1_matmul/matmul.py": "repo",
            "assignments/lesson2_init/initialization.py": "repo2",
        },
    )
    found = intake.find(upload, LESSONS)
    assert found.lessons[L1.id].where == "lesson1_matmul/"
    assert found.lessons[L2.id].where == "assignments/lesson2_init/"
    assert found.layout == f"{intake.FOLDERS} + {intake.REPOSITORY}"


def test_a_linked_lesson_folder_is_refused_by_name(tmp_path):
    """mallory/lesson1_matmul -> ../alice/lesson1_matmul must not give mallory alice's grade."""
    put(tmp_path / "alice", {"lesson1_matmul/matmul.py": "alice's work"})
    mallory = tmp_path / "mallory"
    mallory.mkdir()
    (mallory / "lesson1_matmul").symlink_to("../alice/lesson1_matmul")
    (mallory / "lesson2_init").symlink_to(ROOT / "solutions" / "lesson2_init")
    found = intake.find(mallory, LESSONS)
    assert not found.gradeable
    for lesson in LESSONS:
        refused = found.lessons[lesson.id].refused
        assert refused == f"missing: {lesson.id} is a link; links are never graded"
    dest = intake.stage(found, tmp_path / "staged")
    assert staged_files(dest) == []


@pytest.mark.parametrize(
    "link, target",
    [
        ("matmul.py", "../alice/lesson1_matmul/matmul.py"),
        ("assignments", "../alice"),
        ("repo", "../alice"),
    ],
)
def test_links_are_never_followed_anywhere_we_look(tmp_path, link, target):
    put(tmp_path / "alice", {"lesson1_matmul/matmul.py": "alice's work"})
    upload = tmp_path / "mallory"
    upload.mkdir()
    (upload / link).symlink_to(target)
    found = intake.find(upload, [L1])
    assert not found.gradeable
    assert found.lessons[L1.id].refused.startswith(f"missing: {link} is a link")
    assert staged_files(intake.stage(found, tmp_path / "staged")) == []


def test_links_inside_a_lesson_folder_are_not_copied(tmp_path):
    upload = put(tmp_path / "u", {"lesson1_matmul/matmul.py": "mine"})
    (upload / "lesson1_matmul" / "secret.py").symlink_to(
        ROOT / "solutions/lesson1_matmul/matmul.py"
    )
    (upload / "lesson1_matmul" / "data").symlink_to(ROOT / "solutions")
    dest = intake.stage(intake.find(upload, [L1]), tmp_path / "staged")
    assert staged_files(dest) == ["lesson1_matmul/matmul.py"]


def test_a_linked_module_inside_a_lesson_folder_is_refused(tmp_path):
    upload = tmp_path / "u"
    (upload / "lesson1_matmul").mkdir(parents=True)
    (upload / "lesson1_matmul" / "matmul.py").symlink_to(
        ROOT / "solutions/lesson1_matmul/matmul.py"
    )
    found = intake.find(upload, [L1])
    intake.stage(found, tmp_path / "staged")
    assert found.lessons[L1.id].refused == "missing: lesson1_matmul: matmul.py is a link"


def test_the_course_repository_is_never_a_submission(tmp_path):
    for folder in (ROOT, ROOT / "solutions", ROOT / "solutions" / "lesson1_matmul", ROOT / ".."):
        found = intake.find(folder, [L1], course_ok=False)
        assert not found.gradeable, folder
        assert "course repository" in found.lessons[L1.id].refused
    assert intake.find(ROOT / "solutions", [L1]).gradeable  # the instructor's own `grade`


def nest(folder: Path, depth: int) -> None:
    """`depth` nested folders d/d/d/... under `folder`, one level at a time (pathlib and
    os.makedirs recurse, and would hit Python's recursion limit first)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def unnest(folder: Path) -> None:
    """Remove a deeply nested tree (shutil.rmtree recurses; coreutils' rm does not)."""
    subprocess.run(["rm", "-rf", str(folder)], check=True)


def test_deep_nesting_costs_nothing(tmp_path):
    """1,200 nested folders (deeper than Python's recursion limit) are never walked."""
    upload = put(tmp_path / "u", {"lesson1_matmul/matmul.py": "x"})
    nest(upload, 1200)
    nest(upload / "lesson1_matmul", 1200)
    start = time.monotonic()
    found = intake.find(upload, LESSONS)
    dest = intake.stage(found, tmp_path / "staged")
    took = time.monotonic() - start
    unnest(upload)  # before asserting: pytest's own clean-up would hit the recursion limit
    assert took < 1.0
    assert staged_files(dest) == ["lesson1_matmul/matmul.py"]


def test_file_count_and_size_are_bounded_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_FILES", 5)
    files = {f"lesson1_matmul/junk{i:03}.txt": "j" for i in range(20)}
    files["lesson1_matmul/matmul.py"] = "module"
    files["lesson1_matmul/lesson1_matmul.ipynb"] = "{}"
    upload = put(tmp_path / "u", files)
    found = intake.find(upload, [L1])
    dest = intake.stage(found, tmp_path / "staged")
    first = ["matmul.py", "lesson1_matmul.ipynb", "junk000.txt", "junk001.txt", "junk002.txt"]
    assert staged_files(dest) == sorted(f"lesson1_matmul/{f}" for f in first)
    assert any("not staged" in n and "and 14 more" in n for n in found.lessons[L1.id].notes)


def test_a_module_over_the_size_limit_is_refused(tmp_path):
    upload = tmp_path / "u" / "lesson1_matmul"
    upload.mkdir(parents=True)
    with open(upload / "matmul.py", "wb") as f:  # sparse: costs no disk
        f.truncate(intake.MAX_FILE + 1)
    found = intake.find(upload.parent, [L1])
    dest = intake.stage(found, tmp_path / "staged")
    assert staged_files(dest) == []
    assert found.lessons[L1.id].refused.startswith("missing: matmul.py was not staged: larger")


def test_a_misnamed_module_gets_a_hint(tmp_path):
    upload = put(tmp_path / "u", {"lesson1_matmul/Matmul.py": "x"})
    found = intake.find(upload, [L1])
    intake.stage(found, tmp_path / "staged")
    assert found.lessons[L1.id].notes == [
        "lesson1_matmul/ has no matmul.py; it holds Matmul.py: the module must be called matmul.py"
    ]


def test_explain_names_the_refusal_in_every_missing_test(tmp_path):
    mallory = tmp_path / "mallory"
    mallory.mkdir()
    (mallory / "lesson1_matmul").symlink_to(ROOT / "solutions" / "lesson1_matmul")
    found = intake.find(mallory, [L1])
    missing = "missing: matmul_loops: lesson1_matmul/matmul.py was not found in the submission"
    result = {
        "output": "Graded 1 lesson(s)",
        "tests": [
            {"name": "lesson1_matmul: matmul_loops: x", "output": missing, "score": 0},
            {"name": "lesson1_matmul: matmul_loops: y [cuda]", "output": "skipped: no GPU"},
        ],
    }
    out = intake.explain(result, found)
    assert out["tests"][0]["output"] == "missing: lesson1_matmul is a link; links are never graded"
    assert out["tests"][1]["output"] == "skipped: no GPU"
    assert "refused: lesson1_matmul is a link" in out["output"]


# ---- the class command's folders -------------------------------------------------------------


@pytest.mark.parametrize("out", ["class", "class/grading", "class/submitted", "."])
def test_an_output_folder_in_or_around_the_class_is_refused(tmp_path, out):
    klass = put(tmp_path / "class", {"submitted/alice/lesson1_matmul/matmul.py": "x"})
    with pytest.raises(classroom.FolderError):
        classroom.check_folders(klass, tmp_path / out)


@pytest.mark.parametrize("out", [".", "solutions", "autograder/graders", ".."])
def test_an_output_folder_in_the_repository_is_refused(tmp_path, out):
    klass = put(tmp_path / "class", {"submitted/alice/lesson1_matmul/matmul.py": "x"})
    with pytest.raises(classroom.FolderError, match="course repository"):
        classroom.check_folders(klass, ROOT / out)
    classroom.check_folders(klass, ROOT / "grading")  # the default is fine
    classroom.check_folders(klass, tmp_path / "out")


def test_class_out_equal_to_class_is_refused_and_deletes_nothing(tmp_path):
    klass = put(tmp_path / "class", {"submitted/alice/lesson1_matmul/matmul.py": "x"})
    cmd = [sys.executable, "-m", "autograder", "class", str(klass), "--out", str(klass)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "is the class folder" in done.stderr and "Traceback" not in done.stderr
    assert (klass / "submitted/alice/lesson1_matmul/matmul.py").read_text() == "x"
