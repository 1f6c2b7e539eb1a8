"""Prove the graders, for every lesson: the reference scores full marks, the stubs score zero,
every realistic wrong answer in tests/mutants/<lesson>/ loses points on its own tasks, and every
correct alternative in tests/variants/<lesson>/ (correct code written differently, e.g. in the
course's own style) keeps full marks on its tasks."""

import pytest

from autograder.lessons import ROOT, all_lessons
from tests.gradingkit import (
    MUTANTS,
    VARIANTS,
    catches,
    grade,
    keeps,
    lost,
    mutant_source,
    submission_with,
)

LESSONS = all_lessons()
BANK = [
    pytest.param(lesson, path, id=f"{lesson.id}-{path.stem}")
    for lesson in LESSONS
    for path in sorted((MUTANTS / lesson.id).glob("*.py"))
]

VARIANT_BANK = [
    pytest.param(lesson, path, id=f"{lesson.id}-{path.stem}")
    for lesson in LESSONS
    for path in sorted((VARIANTS / lesson.id).glob("*.py"))
]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_reference_scores_full_marks(lesson, seed):
    result = grade(ROOT / "solutions", lesson, seed)
    assert result["max_score"] > 0
    assert result["score"] == result["max_score"], "\n".join(lost(result))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_stubs_score_zero(lesson, seed):
    result = grade(ROOT / "assignments", lesson, seed)
    earned = [t["name"] for t in result["tests"] if t["score"] > 0]
    assert result["score"] == 0, earned
    graded = [t for t in result["tests"] if t["status"] != "skipped"]
    assert all(t["output"].startswith("unfinished: ") for t in graded), [
        t["output"] for t in graded if not t["output"].startswith("unfinished: ")
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_bank_has_ten_wrong_answers(lesson):
    assert len(list((MUTANTS / lesson.id).glob("*.py"))) >= 10


@pytest.mark.parametrize("lesson, mutant", BANK)
def test_wrong_answer_loses_points(lesson, mutant, tmp_path, seed):
    tasks = catches(mutant)
    submission = submission_with(tmp_path, lesson, mutant_source(lesson, mutant))
    result = grade(submission, lesson, seed, tasks=set(tasks))
    assert result["tests"], f"no graders ran for tasks {tasks}"
    assert (
        result["score"] < result["max_score"]
    ), f"{mutant.stem} ({mutant.read_text().splitlines()[0]}) passed every grader of {tasks}"


@pytest.mark.parametrize("lesson, variant", VARIANT_BANK)
def test_correct_variant_keeps_full_marks(lesson, variant, tmp_path, seed):
    tasks = keeps(variant)
    submission = submission_with(tmp_path, lesson, mutant_source(lesson, variant))
    result = grade(submission, lesson, seed, tasks=set(tasks))
    assert result["tests"], f"no graders ran for tasks {tasks}"
    assert result["score"] == result["max_score"], "\n".join(lost(result))
