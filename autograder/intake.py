"""What a student handed in: find the lessons in an upload and stage them safely.

One place for every way in (class grading, Gradescope, `python -m autograder grade`):

    found = intake.find(Path("submitted/alice"), lessons)     # which layout, where each lesson is
    staged = intake.stage(found, Path("grading/submitted/alice"))   # one folder per lesson
    result = judge.grade_submission(staged, lessons, ...)
    result = intake.explain(result, found)                    # refusals named in the messages

Layouts accepted, looked for in this order for each lesson (the first hit wins):
    lesson folders       <upload>/lesson1_matmul/matmul.py              (laid out like assignments/)
    student repository   <upload>/assignments/lesson1_matmul/matmul.py  (the student release, as
                                                                         GitHub Classroom clones it)
    lesson folder        <upload>/matmul.py + lesson1_matmul.ipynb      (one lesson folder's contents)
    bare module          <upload>/matmul.py                             (the module alone)
and the same inside one wrapper folder (a zip of a folder: <upload>/myrepo/assignments/...) when
nothing is found at the top. Nothing else is searched: no walk of the upload, so its depth and
size never matter.

Staging copies, per lesson, the regular files at the top of the lesson folder (the module first,
then the notebooks, then the rest), into a fresh folder. Refused, with a `missing:` message
naming what was refused, for that lesson only:
- symbolic links, anywhere we look (a lesson folder, a module, `assignments/`, the wrapper):
  never followed, never copied - a link to another student's folder or to solutions/ gets 0;
- a module that is not a regular file or is larger than MAX_FILE;
- whatever is left when the submission's MAX_FILES files or MAX_BYTES bytes are staged (a note
  says what was left out).
Subfolders of a lesson folder are not staged (the sandbox only ever sees the top level).
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from autograder.lessons import ROOT, Lesson

MAX_FILE = 20 << 20  # bytes per staged file: the sandbox copies at most 20 MiB of a lesson folder
MAX_BYTES = 64 << 20  # bytes per submission: six lessons with notebooks and their outputs fit
MAX_FILES = 200  # files per submission: a lesson folder holds a module, a notebook, tests, plots
MAX_ENTRIES = 5000  # entries listed per folder before giving up (a folder of a million files)
IGNORED = {"__MACOSX", ".git", ".github", ".ipynb_checkpoints", "__pycache__"}
# the course repository's own folders: never graded as somebody's submission
COURSE_FOLDERS = ("solutions", "source", "assignments", "autograder", "courselib", "tests", ".git")

FOLDERS = "lesson folders"
REPOSITORY = "student repository"
LESSON_FOLDER = "lesson folder"
MODULE = "bare module"
NOTHING = "nothing gradeable"


@dataclass
class Found:
    """One lesson in an upload: where it is (None: not there), how it was found, or why it was
    refused (a one-line `missing:` message)."""

    lesson: Lesson
    source: Path | None = None  # the lesson folder, or the loose module file
    where: str = ""  # as the student would write it: "assignments/lesson1_matmul/"
    layout: str = NOTHING
    refused: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Intake:
    upload: Path
    lessons: dict[str, Found]
    notes: list[str] = field(default_factory=list)  # about the upload as a whole

    @property
    def gradeable(self) -> bool:
        return any(f.source is not None and not f.refused for f in self.lessons.values())

    @property
    def layout(self) -> str:
        """The layouts found, e.g. "student repository" or "lesson folders + bare module"."""
        kinds = [f.layout for f in self.lessons.values() if f.source is not None]
        kinds = [k for i, k in enumerate(kinds) if k not in kinds[:i]]
        return " + ".join(kinds) if kinds else NOTHING

    def summary(self) -> str:
        """One line: the layout, where each lesson was found, what was refused."""
        found = [f.where for f in self.lessons.values() if f.source is not None and not f.refused]
        refused = [f.refused.removeprefix("missing: ") for f in self.lessons.values() if f.refused]
        text = f"layout: {self.layout}" + (f" ({', '.join(found)})" if found else "")
        return text + (f"; refused: {'; '.join(refused)}" if refused else "")

    def expected(self) -> str:
        """What a gradeable upload looks like, for a student who handed in nothing we can grade."""
        ways = []
        for f in self.lessons.values():
            m = f"{f.lesson.module}.py"
            ways.append(
                f"{m} alone, the folder {f.lesson.id}/ with {m} inside, or your whole repository "
                f"(assignments/{f.lesson.id}/{m})"
            )
        return "Expected " + "; or for ".join(ways) + "."


# ---- finding ---------------------------------------------------------------------------------


def _lstat(path: Path):
    try:
        return path.lstat()
    except OSError:
        return None


def _is_link(path: Path) -> bool:
    st = _lstat(path)
    return st is not None and stat.S_ISLNK(st.st_mode)


def _is_dir(path: Path) -> bool:
    st = _lstat(path)
    return st is not None and stat.S_ISDIR(st.st_mode)


def _listing(folder: Path) -> list[os.DirEntry] | None:
    """The folder's entries, sorted by name; None when it holds more than MAX_ENTRIES."""
    entries = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                entries.append(entry)
                if len(entries) > MAX_ENTRIES:
                    return None
    except OSError:
        return []
    return sorted(entries, key=lambda e: e.name)


def course_folder(path: Path) -> str:
    """Why `path` is the course repository's own folder (never a submission), or ""."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return f"{path.name} cannot be resolved"
    if real == ROOT or real in ROOT.parents:
        return f"{path.name} is (or holds) the course repository"
    for name in COURSE_FOLDERS:
        own = ROOT / name
        if real == own or own in real.parents:
            return f"{path.name} is the course repository's {name}/ folder"
    return ""


def _wrapper(upload: Path) -> Path | None:
    """The only visible folder at the top of the upload (a zip of a folder), if there is one."""
    entries = _listing(upload) or []
    folders = [
        e for e in entries if not e.name.startswith(".") and e.name not in IGNORED and e.is_dir()
    ]
    return Path(folders[0].path) if len(folders) == 1 else None


def _roots(base: Path, prefix: str = "") -> list[tuple[Path, str, str]]:
    """(folder, its path as the student sees it, the layout a lesson folder there means)."""
    return [(base, prefix, FOLDERS), (base / "assignments", f"{prefix}assignments/", REPOSITORY)]


def _look(found: Found, root: Path, prefix: str, folder_layout: str) -> bool:
    """Look for the lesson in one root; True when something (found or refused) settles it."""
    lesson = found.lesson
    folder, module = root / lesson.id, root / f"{lesson.module}.py"
    for path, shown in ((folder, f"{prefix}{lesson.id}"), (module, f"{prefix}{module.name}")):
        if _is_link(path):
            found.refused = f"missing: {shown} is a link; links are never graded"
            found.where = shown
            return True
        if path is folder and _is_dir(folder):
            found.source, found.where, found.layout = folder, f"{shown}/", folder_layout
            return True
        if path is module and _lstat(module) is not None:
            found.source, found.where = module, shown
            notebooks = [p for p in root.glob(f"{lesson.id}*.ipynb") if not _is_link(p)]
            found.layout = LESSON_FOLDER if notebooks else MODULE
            return True
    return False


def _search(pending: list[Found], base: Path, prefix: str = "") -> list[Found]:
    """Look for each pending lesson in `base` and `base`/assignments; returns those not found."""
    for root, shown, layout in _roots(base, prefix):
        if _is_link(root) or not _is_dir(root):
            continue
        pending = [f for f in pending if not _look(f, root, shown, layout)]
    return pending


def find(upload: Path, lessons: list[Lesson], *, course_ok: bool = True) -> Intake:
    """Where each of `lessons` is in `upload`. course_ok=False refuses an upload that is the
    course repository's own folder (class grading: a student folder is never solutions/)."""
    upload = Path(upload)
    intake = Intake(upload, {lesson.id: Found(lesson) for lesson in lessons})
    why = "" if course_ok else course_folder(upload)
    if _is_link(upload):
        why = f"{upload.name} is a link; links are never graded"
    elif not _is_dir(upload):
        why = why or f"{upload.name} is not a folder"
    if why:
        for f in intake.lessons.values():
            f.refused = f"missing: {why}"
        intake.notes.append(f"not graded: {why}")
        return intake
    pending = _search(list(intake.lessons.values()), upload)
    links = ["assignments"]
    if len(pending) == len(intake.lessons):  # nothing at the top: inside one wrapper folder?
        wrapper = _wrapper(upload)
        if wrapper is not None:
            links += [wrapper.name, f"{wrapper.name}/assignments"]
            if not _is_link(wrapper):
                pending = _search(pending, wrapper, f"{wrapper.name}/")
    for name in links:
        if _is_link(upload / name):
            intake.notes.append(f"{name} is a link: not followed")
            for f in pending:
                f.refused = f.refused or f"missing: {name} is a link; links are never graded"
    return intake


# ---- staging ---------------------------------------------------------------------------------


@dataclass
class _Budget:
    files: int
    bytes: int


def _regular(path: Path) -> os.stat_result | None:
    st = _lstat(path)
    return st if st is not None and stat.S_ISREG(st.st_mode) else None


def _copy(src: Path, dst: Path, size: int) -> None:
    """Copy one regular file without following a link swapped in meanwhile (O_NOFOLLOW)."""
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fin, open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout, length=1 << 20)
        if fout.tell() > size:  # grew while copying
            raise OSError("file changed while staging")


def _stage_files(found: Found, files: list[Path], target: Path, budget: _Budget) -> None:
    lesson = found.lesson
    module = f"{lesson.module}.py"
    order = sorted(files, key=lambda p: (p.name != module, p.suffix != ".ipynb", p.name))
    left_out = []
    for path in order:
        st = _regular(path)
        if st is None:  # links, folders, FIFOs, devices: never staged
            if path.name == module:
                kind = "a link" if _is_link(path) else "not a regular file"
                found.refused = f"missing: {found.where.rstrip('/')}: {module} is {kind}"
            continue
        if st.st_size > MAX_FILE or st.st_size > budget.bytes or budget.files <= 0:
            if path.name == module:
                found.refused = (
                    f"missing: {module} was not staged: larger than {MAX_FILE >> 20} MiB"
                    if st.st_size > MAX_FILE
                    else f"missing: {module} was not staged: the submission is over "
                    f"{MAX_FILES} files or {MAX_BYTES >> 20} MiB"
                )
            left_out.append(path.name)
            continue
        target.mkdir(parents=True, exist_ok=True)
        try:
            _copy(path, target / path.name, st.st_size)
        except OSError:
            left_out.append(path.name)
            continue
        budget.files -= 1
        budget.bytes -= st.st_size
    if left_out:
        shown = ", ".join(left_out[:3]) + (f" and {len(left_out) - 3} more" if left_out[3:] else "")
        found.notes.append(
            f"not staged ({MAX_FILE >> 20} MiB per file, {MAX_FILES} files or "
            f"{MAX_BYTES >> 20} MiB per submission): {shown}"
        )


def stage(intake: Intake, dest: Path) -> Path:
    """One folder per found lesson under `dest` (created; must not exist or be empty)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    budget = _Budget(MAX_FILES, MAX_BYTES)
    for found in intake.lessons.values():
        if found.source is None or found.refused:
            continue
        target = dest / found.lesson.id
        if _is_dir(found.source):
            entries = _listing(found.source)
            if entries is None:  # too many to list: the module and the notebook by name only
                found.notes.append(
                    f"{found.where} holds more than {MAX_ENTRIES} entries: only "
                    f"{found.lesson.module}.py and {found.lesson.id}.ipynb were staged"
                )
                named = [f"{found.lesson.module}.py", f"{found.lesson.id}.ipynb"]
                files = [found.source / n for n in named if _lstat(found.source / n)]
            else:
                files = [Path(e.path) for e in entries]
            if not any(p.name == f"{found.lesson.module}.py" for p in files):
                found.notes.append(_no_module_hint(found, files))
        else:  # a loose module: itself and the lesson's notebooks beside it
            files = [found.source] + sorted(found.source.parent.glob(f"{found.lesson.id}*.ipynb"))
        _stage_files(found, files, target, budget)
    return dest


def _no_module_hint(found: Found, files: list[Path]) -> str:
    module = f"{found.lesson.module}.py"
    others = [p.name for p in files if p.suffix == ".py"][:3]
    hint = f"; it holds {', '.join(others)}" if others else ""
    return f"{found.where} has no {module}{hint}: the module must be called {module}"


def stage_tree(tree: Path, dest: Path, lessons: list[Lesson]) -> Intake:
    """Stage a trusted tree laid out like assignments/ (solutions/, assignments/)."""
    intake = find(tree, lessons)
    stage(intake, dest)
    return intake


# ---- messages --------------------------------------------------------------------------------


def explain(result: dict, intake: Intake) -> dict:
    """Name the refusal (a link, a file too large ...) or the hint (a misnamed module) in the
    messages of a lesson the engine found missing; adds the layout to the top-level output."""
    for found in intake.lessons.values():
        why = found.refused or next((n for n in found.notes if " has no " in n), "")
        if not why:
            continue
        why = why if why.startswith("missing: ") else f"missing: {why}"
        for t in result["tests"]:
            if t["name"].startswith(f"{found.lesson.id}: ") and t["output"].startswith("missing:"):
                t["output"] = why
    lines = [intake.summary()] + intake.notes
    lines += [f"{i}: {n}" for i, f in intake.lessons.items() for n in f.notes]
    result["output"] = "\n".join(filter(None, [result.get("output", "")] + lines))
    result.setdefault("extra_data", {})["layout"] = intake.layout
    return result
