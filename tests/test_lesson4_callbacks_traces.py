"""Lesson 4's graders compute expected event traces and TrainEvalCallback's bookkeeping from
the Runner's documented rules in plain Python (autograder/graders/lesson4_callbacks/_rules.py).
Check those rules against the reference for every exception, raise point and a few
occurrences, so the two readings of the docstrings cannot drift apart."""

from dataclasses import replace

import pytest
import torch

from autograder.graders.lesson4_callbacks import _draw, _rules
from autograder.lessons import load_reference
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import CANCELS, EVENTS, FitPlan

PLAN = FitPlan(epochs=2, n_train=5, n_valid=3, bs=2)  # 3 training batches (last short), 2 valid


@pytest.fixture(scope="module")
def reference():
    return load_reference("lesson4_callbacks")


def _heard(fit):
    return [f"{h.who}:{h.event}" for h in fit.heard]


@pytest.mark.parametrize("exc", [*CANCELS, "RuntimeError"])
def test_rules_match_the_reference_runner(reference, exc):
    for event in EVENTS[:11]:
        for raise_on in (1, 2, 4):
            plan = replace(PLAN, raise_event=event, raise_on=raise_on, exc=exc)
            got = probes.fit_events(reference, plan)
            assert (_heard(got), got.escaped) == _rules.heard_in_fit(plan, 3, 2), (event, raise_on)


@pytest.mark.parametrize("skips", [((0,), ()), ((), (1,)), ((0, 1), (0,))])
def test_rules_of_skipped_passes(reference, skips):
    plan = replace(PLAN, skip_train=skips[0], skip_valid=skips[1])
    got = probes.fit_events(reference, plan)
    assert (_heard(got), got.escaped) == _rules.heard_in_fit(plan, 3, 2)


@pytest.mark.parametrize("seed", range(5))
def test_bookkeeping_matches_the_reference(reference, seed):
    rng = torch.Generator().manual_seed(seed)
    steps = _draw.train_eval_steps(rng, fits=2, cut=True)
    got = probes.drive_train_eval(reference, steps)
    for seen, (in_train, n_epochs, n_iter, training) in zip(got, _rules.bookkeeping(steps)):
        assert in_train is None or (seen.in_train, seen.training) == (in_train, training)
        assert seen.n_iter == n_iter and abs(seen.n_epochs - n_epochs) < 1e-12
