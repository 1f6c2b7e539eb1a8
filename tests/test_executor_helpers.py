"""The executor's helpers cannot be rebound from the student's module (issue 9, item 4).

The probes, the record registry and the lesson's harness are loaded in the child before the
student's module and then taken out of `sys.modules`: the module's `import courselib...` gets
fresh copies. A module that empties the record registry and rewrites the harness's shared
tables (all of it plain dict and namespace mutation, which no source rule forbids) changes
nothing the judge receives: the reference with that code keeps full marks, and a Runner that
forgets zero_grad still loses its points with its own message, not a crash or a rule.
"""

import pytest

from autograder.lessons import ROOT, select
from tests.gradingkit import grade, lost, mutant_source, submission_with, MUTANTS

LESSON = select(["lesson4_callbacks"])[0]
TAMPER = """

import courselib.records as _records
import courselib.lesson4_callbacks as _harness

_records.RECORDS.clear()  # the registry the wire would name records by
_harness.CANCELS.clear()  # the harness's shared tables, as the probes read them


def _shrink(settings):  # an object passed in, not a module's attribute: no source rule applies
    settings.n_train, settings.peak_lr = 64, 0.0


_shrink(_harness.MNIST)  # if the probes shared this copy, the MNIST run would learn nothing
"""


@pytest.fixture(scope="module")
def tampered(tmp_path_factory):
    def build(base: str):
        folder = tmp_path_factory.mktemp("tampered")
        return submission_with(folder, LESSON, base + TAMPER)

    return build


def test_tampering_with_the_course_library_changes_nothing_for_the_reference(tampered, seed):
    reference = (ROOT / "solutions" / LESSON.id / f"{LESSON.module}.py").read_text()
    result = grade(tampered(reference), LESSON, seed, tasks={"Runner", "lr_find"})
    assert result["tests"]
    assert result["score"] == result["max_score"], "\n".join(lost(result))


def test_tampering_does_not_hide_a_wrong_runner(tampered, seed):
    wrong = mutant_source(LESSON, MUTANTS / LESSON.id / "forgets_zero_grad.py")
    result = grade(tampered(wrong), LESSON, seed, tasks={"Runner"})
    failed = [t for t in result["tests"] if t["score"] < t["max_score"]]
    assert failed, "a Runner without zero_grad kept full marks after tampering"
    for test in failed:  # judged on what it did, not refused or crashed
        assert not test["output"].startswith(("rule:", "crash:", "import:")), test["output"]
