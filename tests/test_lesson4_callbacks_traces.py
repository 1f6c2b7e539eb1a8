"""Lesson 4's graders compute expected event traces with `_simulate`, the Runner's rules in plain
Python. Check that simulation against the reference Runner for every exception, raise point and
a few occurrences, so the two specifications cannot drift apart."""

import pytest

from autograder.graders.lesson4_callbacks import _simulate
from autograder.lessons import load_reference
from autograder.probes import lesson4_callbacks as probes

EVENTS = [
    "begin_fit",
    "begin_epoch",
    "begin_batch",
    "after_pred",
    "after_loss",
    "after_backward",
    "after_step",
    "after_batch",
    "begin_validate",
    "after_epoch",
    "after_fit",
]
EXCEPTIONS = [
    "CancelBatchException",
    "CancelEpochException",
    "CancelTrainException",
    "RuntimeError",
]


@pytest.fixture(scope="module")
def reference():
    return load_reference("lesson4_callbacks")


@pytest.mark.parametrize("exc", EXCEPTIONS)
def test_simulation_matches_reference_runner(reference, exc):
    epochs, n_train, n_valid, bs = 2, 5, 3, 2  # 3 training batches (last short), 2 validation
    for event in EVENTS:
        for raise_on in (1, 2, 4):
            got = probes.trace_fit(reference, epochs, n_train, n_valid, bs, event, raise_on, exc)
            want = _simulate(epochs, 3, 2, event, raise_on, exc)
            assert got == want, (exc, event, raise_on)


def test_simulation_of_a_plain_fit(reference):
    got = probes.trace_fit(reference, 2, 5, 3, 2)
    assert got == _simulate(2, 3, 2, None, 1, "RuntimeError")
