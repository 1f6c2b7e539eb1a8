"""Helpers for tests that grade: build a submission folder, grade it, read the results."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from autograder.judge import grade_submission
from autograder.lessons import ROOT, Lesson

MUTANTS = ROOT / "tests" / "mutants"
VARIANTS = ROOT / "tests" / "variants"


def submission_with(tmp: Path, lesson: Lesson, module_text: str) -> Path:
    """A submission folder holding only `lesson`, whose module is `module_text`."""
    folder = tmp / "submission" / lesson.id
    shutil.copytree(ROOT / "solutions" / lesson.id, folder, dirs_exist_ok=True)
    (folder / f"{lesson.module}.py").write_text(module_text)
    return folder.parent


def mutant_source(lesson: Lesson, mutant: Path) -> str:
    """The reference module with the mutant's (or variant's) definitions appended (later ones
    win)."""
    reference = (ROOT / "solutions" / lesson.id / f"{lesson.module}.py").read_text()
    return f"{reference}\n\n# ---- mutant: {mutant.stem} ----\n{mutant.read_text()}"


def _tasks(path: Path, constant: str) -> list[str]:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == constant:
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{path}: needs {constant} = ['<task>', ...]")


def catches(mutant: Path) -> list[str]:
    """The tasks a wrong answer must lose points on."""
    return _tasks(mutant, "CATCHES")


def keeps(variant: Path) -> list[str]:
    """The tasks a correct variant must keep full marks on."""
    return _tasks(variant, "KEEPS")


def grade(submission: Path, lesson: Lesson, seed: int, tasks=None) -> dict:
    return grade_submission(submission, [lesson], seed=seed, tasks=tasks)


def lost(result: dict) -> list[str]:
    return [f"{t['name']}: {t['output']}" for t in result["tests"] if t["score"] < t["max_score"]]
