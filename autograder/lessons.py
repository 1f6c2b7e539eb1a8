"""Which lessons exist: one hidden grader file per lesson, `autograder/graders/<lesson>.py`.

Each grader file declares `LESSON = "<lesson id>"` and `MODULE = "<student module name>"`; its
probes, if any, are `autograder/probes/<lesson>.py`. Adding a lesson adds files, never code here.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GRADERS = HERE / "graders"
PROBES = HERE / "probes"
REFERENCE = ROOT / "solutions"


@dataclass(frozen=True)
class Lesson:
    id: str  # "lesson1_matmul": the folder name in a submission, the prefix of test names
    module: str  # "matmul": the student's module, <submission>/<id>/<module>.py
    graders: Path
    probes: Path | None

    def folder(self, submission: Path) -> Path:
        return Path(submission) / self.id


def _constants(path: Path) -> dict:
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            names = node.targets[0].elts if isinstance(node.targets[0], ast.Tuple) else []
            for name, value in zip(names, node.value.elts):
                if isinstance(name, ast.Name) and isinstance(value, ast.Constant):
                    found[name.id] = value.value
    return found


def all_lessons() -> list[Lesson]:
    lessons = []
    for path in sorted(GRADERS.glob("lesson*.py")):
        consts = _constants(path)
        if consts.get("LESSON") != path.stem or "MODULE" not in consts:
            raise ValueError(f"{path}: needs LESSON = {path.stem!r} and MODULE = '<module name>'")
        probes = PROBES / path.name
        lessons.append(
            Lesson(path.stem, consts["MODULE"], path, probes if probes.exists() else None)
        )
    return lessons


def select(ids: list[str] | None) -> list[Lesson]:
    """The lessons named by `ids` (all when empty); a clear error for an unknown id."""
    lessons = all_lessons()
    if not ids:
        return lessons
    known = {lesson.id: lesson for lesson in lessons}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SystemExit(f"unknown lesson {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[i] for i in ids]


def load_file(name: str, path: Path):
    """Import the file at `path` as module `name` (once per process; later calls reuse it)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_reference(lesson_id: str):
    """The reference solution of a lesson, imported here (trusted code: never a submission)."""
    lesson = select([lesson_id])[0]
    return load_file(f"_reference_{lesson.id}", REFERENCE / lesson.id / f"{lesson.module}.py")
