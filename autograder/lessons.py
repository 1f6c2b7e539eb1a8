"""Which lessons exist: one hidden grader file per lesson, `autograder/graders/<lesson>.py`.

A lesson's graders are a file `autograder/graders/<lesson>.py` or a package
`autograder/graders/<lesson>/` (its `__init__.py` declares, its `test_*.py` files grade). Either
declares `LESSON = "<lesson id>"`, `MODULE = "<student module name>"` and optionally
`ALLOW = ("dynamic attributes",)` (escape hatches the lesson needs, see rules.py); its probes, if
any, are `autograder/probes/<lesson>.py`. Adding a lesson adds files, never code here.
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
    graders: Path  # the grader file, or the grader package's folder
    probes: Path | None
    allow: tuple[str, ...] = ()  # escape hatches this lesson's module may use (rules.py)

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
            target = node.targets[0]
            if isinstance(target, ast.Name) and all(
                isinstance(v, ast.Constant) for v in node.value.elts
            ):
                found[target.id] = tuple(v.value for v in node.value.elts)
    return found


def all_lessons() -> list[Lesson]:
    lessons = []
    for path in sorted(GRADERS.glob("lesson*")):
        declares = path / "__init__.py" if path.is_dir() else path
        if path.suffix not in (".py", "") or not declares.is_file():
            continue
        consts = _constants(declares)
        lesson_id = path.stem
        if consts.get("LESSON") != lesson_id or "MODULE" not in consts:
            raise ValueError(f"{declares}: needs LESSON = {lesson_id!r} and MODULE = '<name>'")
        probes = PROBES / f"{lesson_id}.py"
        allow = consts.get("ALLOW", ())
        allow = (allow,) if isinstance(allow, str) else tuple(allow)
        lessons.append(
            Lesson(lesson_id, consts["MODULE"], path, probes if probes.exists() else None, allow)
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
