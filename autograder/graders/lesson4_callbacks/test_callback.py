"""Callback: name, attribute look-ups delegated to the runner, and cb(event).

Inputs drawn: class names made of words (with or without a trailing "Callback", with an
acronym); attribute names and values of a bare runner (a namespace); the values a callback's
method returns (truthy and falsy ones of several types).

Expected (the docstring): name = camel2snake of the class name without a trailing "Callback"
("callback" for Callback itself); before set_runner reading a missing attribute raises
AttributeError (not RecursionError); after set_runner(run) cb.run is run, cb.x is run.x for
what the callback does not have itself, the callback's own attributes win, and an attribute
nobody has is an AttributeError; cb(event) returns True exactly when the method named event
returned a truthy value, as a bool, and False when there is no such method. Exact comparisons.
"""

import re

from autograder.graders.lesson4_callbacks import _draw
from autograder.grading import points, task, visible
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import camel2snake

WORDS = ["Avg", "Stats", "Train", "Eval", "Lr", "Early", "Stop", "Progress", "Bar", "Mixed"]
ACRONYMS = ["HTTP", "GPU", "LR"]


def _class_name(rng) -> str:
    words = [WORDS[_draw.integer(rng, 0, len(WORDS) - 1)] for _ in range(_draw.integer(rng, 1, 3))]
    if _draw.integer(rng, 0, 2) == 0:
        words.insert(_draw.integer(rng, 0, len(words)), ACRONYMS[_draw.integer(rng, 0, 2)])
    return "".join(words) + ("Callback" if _draw.integer(rng, 0, 1) else "")


@task("Callback")
@visible
def test_name(expect, student, rng):
    """name is the snake case of the class name without "Callback" """
    names = ["Callback", "TrainEvalCallback", "Recorder"] + [_class_name(rng) for _ in range(6)]
    got = student.probe(probes.callback_names, names)
    want = [camel2snake(re.sub("Callback$", "", n) or "callback") for n in names]
    expect.equal(got, want, what="the names of callbacks " + ", ".join(names))


@task("Callback")
@points(2)
@visible
def test_delegation(expect, student, rng):
    """attributes are looked up on the runner, with no recursion before set_runner"""
    values = [_draw.integer(rng, 0, 99), _draw.uniform(rng, 0, 5), "the model", True]
    names = ["model", "loss", "in_train", "epoch", "n_iter"]
    attributes = {names[i]: values[k] for k, i in enumerate(_draw.permutation(rng, 5)[:4])}
    own = _draw.integer(rng, 100, 199)
    got = student.probe(probes.delegation, attributes, own, "no_such_thing")
    expect.equal(
        got.before, "AttributeError", what="reading cb.x before set_runner", category="error"
    )
    expect.that(got.stored, "set_runner(run) should store the runner as cb.run")
    expect.equal(got.looked_up, list(attributes.values()), what="cb.x for the runner's x")
    expect.equal(got.own, own, what="cb.x for the callback's own x (the runner has one too)")
    expect.equal(
        got.missing, "AttributeError", what="reading an attribute nobody has", category="error"
    )


@task("Callback")
@visible
def test_call_returns_a_bool(expect, student, rng):
    """cb(event) calls the method and returns True only for a truthy result"""
    answers = [True, False, None, 1, 0, "yes", "", [0], []]
    answers = [answers[i] for i in _draw.permutation(rng, len(answers))]
    got = student.probe(probes.call_results, answers)
    want = [bool(a) for a in answers] + [False]  # the last: an event the callback has no method for
    expect.equal(got, want, what=f"cb('begin_epoch') for methods returning {answers}")
