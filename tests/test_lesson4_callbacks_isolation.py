"""One test, one failure, for lesson 4: a wrong answer in one part of a task fails the tests of
that part and no other. Each case grades the reference with one mutant of tests/mutants/ and
lists exactly the tests that must fail (found by the course's own code, issue 10: its
recursive __getattr__ failed the callback-name test through a probe shared with delegation)."""

import pytest

from autograder.lessons import select
from tests.gradingkit import MUTANTS, grade, mutant_source, submission_with

LESSON = select(["lesson4_callbacks"])[0]
CASES = {
    # the course's Callback.__getattr__: only delegation may fail, not name or cb(event)
    "getattr_recursion": ("Callback", {"test_callback::test_delegation"}),
    # no history: the averages, the reset and the printing are still right
    "avg_stats_no_history": ("AvgStatsCallback", {"test_avg_stats::test_history"}),
    # a best loss kept from the first search only breaks the second search
    "lr_find_best_in_init": ("LR_Find", {"test_lr_find::test_search_again"}),
}


@pytest.mark.parametrize("mutant", sorted(CASES))
def test_a_mistake_fails_only_its_own_tests(mutant, tmp_path, seed):
    task, failing = CASES[mutant]
    source = mutant_source(LESSON, MUTANTS / LESSON.id / f"{mutant}.py")
    result = grade(submission_with(tmp_path, LESSON, source), LESSON, seed, tasks={task})
    lost = {
        t["extra_data"]["id"].split("/", 1)[1]
        for t in result["tests"]
        if t["score"] < t["max_score"]
    }
    assert lost == failing, [t["output"] for t in result["tests"] if t["score"] < t["max_score"]]
