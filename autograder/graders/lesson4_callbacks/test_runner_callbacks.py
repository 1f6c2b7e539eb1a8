"""Runner: how it holds and calls its callbacks.

Inputs drawn: distinct _orders in -5..5 for five callbacks, each given in cbs or made from
cb_funcs; callback class names; fit plans as in test_runner_events (2-3 epochs, short last
batches); a misspelled event method name.

Expected (the Runner's docstring): callbacks are called in increasing _order; one made from
cb_funcs (a class or a partial) is the runner's attribute under its `name`; an unknown event
and a method that looks like an event but is not one are ValueErrors (a helper method is
fine); the runner's own TrainEvalCallback comes before every callback given with the default
_order 0, so such a callback already sees its bookkeeping (what it hears equals what a
callback with _order 1 hears); validation batches run without gradients, training batches
with; a Runner fits again from scratch: the events of each fit as for a new Runner and exactly
one TrainEvalCallback. All comparisons are exact (names, orders, booleans).
"""

from dataclasses import replace

from autograder.graders.lesson4_callbacks import _draw, _rules
from autograder.grading import task, visible
from autograder.probes import lesson4_callbacks as probes
from courselib.lesson4_callbacks import TRAIN_BATCH, VALID_BATCH


@task("Runner")
def test_callbacks_sorted_by_order(expect, student, rng):
    """callbacks run sorted by _order"""
    orders = [k - 5 for k in _draw.permutation(rng, 11)[:5]]
    from_funcs = [bool(_draw.integer(rng, 0, 1)) for _ in orders]
    got = student.probe(probes.call_order, orders, from_funcs)
    want = sorted(range(len(orders)), key=lambda i: orders[i])
    expect.equal(got, want, what="the callbacks heard at begin_fit, by index given")


@task("Runner")
def test_cb_funcs_are_attributes(expect, student, rng):
    """a callback made from cb_funcs is run.<its name>"""
    names = ["AlphaCallback", "BravoCharlie", "DeltaHTTPCallback", "Echo"]
    names = [names[i] for i in _draw.permutation(rng, len(names))]
    got = student.probe(probes.made_attributes, names)
    expect.that(all(got), "a callback made from cb_funcs should be run.<its name>")


@task("Runner")
@visible
def test_bad_event_names(expect, student, rng):
    """an unknown event and a misspelled callback method are ValueErrors"""
    typo = ["after_bacth", "begin_epcoh", "after_los", "aftr_step"][_draw.integer(rng, 0, 3)]
    got = student.probe(probes.event_checks, typo)
    for case, want in [
        ("unknown event", "ValueError"),  # run("begin_fitt")
        ("misspelled method", "ValueError"),  # a callback with a method named like `typo`
        ("before_ method", "ValueError"),  # before_batch is not an event of this Runner
        ("helper method", "no error"),  # plot_things: not an event, and not like one
    ]:
        expect.equal(got[case], want, what=f"a fit with a callback's {case}", category="error")


@task("Runner")
def test_train_eval_before_order_zero(expect, student, rng):
    """a callback with the default _order 0 sees TrainEvalCallback's bookkeeping"""
    plan = _draw.fit_plan(rng, order=0)
    got = student.probe(probes.fit_events, plan).heard
    a = [(h.event, h.in_train, h.n_epochs, h.n_iter, h.training) for h in got if h.who == "A"]
    b = [(h.event, h.in_train, h.n_epochs, h.n_iter, h.training) for h in got if h.who == "B"]
    expect.equal(a, b, what="what a callback of _order 0 hears, against one of _order 1")


@task("Runner")
def test_validation_without_grad(expect, student, rng):
    """training batches run with gradients, validation batches under torch.no_grad()"""
    plan = _draw.fit_plan(rng)
    got = student.probe(probes.fit_events, plan).heard
    nt, nv = _draw.passes(plan)
    batch_events = [h for h in got if h.who == "A" and h.event in TRAIN_BATCH]
    per_epoch = [True] * (nt * len(TRAIN_BATCH)) + [False] * (nv * len(VALID_BATCH))
    expect.equal(
        [h.grad for h in batch_events],
        per_epoch * plan.epochs,
        what="torch.is_grad_enabled() at each batch event (training: True, validation: False)",
    )


@task("Runner")
@visible
def test_fit_again(expect, student, rng):
    """the same Runner fits again: each fit's events as for a new Runner, one TrainEvalCallback"""
    first = _draw.fit_plan(rng)
    heard, _ = _rules.heard_in_fit(first, *_draw.passes(first))
    stop = replace(first, raise_event="after_step", exc="CancelTrainException")
    stop = replace(stop, raise_on=_draw.integer(rng, 1, heard.count("A:after_step")))
    plans = [stop, _draw.fit_plan(rng)]
    got = student.probe(probes.refit_events, plans)
    for k, (plan, fit, cbs) in enumerate(zip(plans, got.fits, got.callbacks)):
        want, escaped = _rules.heard_in_fit(plan, *_draw.passes(plan))
        what = f"fit number {k + 1} of the same Runner"
        expect.equal(fit.escaped, escaped, what=f"{what}: what left fit", category="error")
        expect.equal([f"{h.who}:{h.event}" for h in fit.heard], want, what=f"the events of {what}")
        listeners = sorted(c for c in cbs if c != "TrainEvalCallback")
        expect.equal(listeners, ["ListenerA", "ListenerB"], what=f"run.cbs after {what}")
        expect.equal(cbs.count("TrainEvalCallback"), 1, what=f"TrainEvalCallbacks after {what}")
