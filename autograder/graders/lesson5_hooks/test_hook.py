"""Hook(module, func): func(hook, module, inp, out) runs after every forward of the module, in
train and eval mode alike, until remove() (idempotent), the end of a `with` block, or until the
last reference to the Hook is dropped (the course's partial(func, self) kept it alive for ever).

Inputs: mlp(seed) (courselib.lesson5_hooks: float64 Linear-ReLU-Linear-ReLU-Linear, weights from
a seed drawn here), batches x (N, 6), N in 3..9, and how many eval / train forwards to run.
Every probe builds a fresh model: a hook one check leaves behind never reaches another.

Tolerance: what func saw is compared with the judge's own copy of the layer on the same x, the
same float64 operations on the same values (equal but for summation order, ~1e-16 relative);
1e-12 catches any wrong tensor (another layer's output, the input, a stale batch) by far.
"""

from autograder.grading import points, task, visible
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes

EXACT = dict(rtol=1e-12, atol=1e-12)


@task("Hook")
@points(2)
def test_calls_func_with_itself_the_module_and_output(student, rng, expect):
    """calls func(hook, module, inp, out) once per forward, with the layer's real input/output"""
    seed, xs = draw.seed(rng), [draw.batch(rng) for _ in range(draw.integer(rng, 2, 4))]
    r = student.probe(probes.hook_calls, seed, xs)
    expect.equal(len(r.outputs), len(xs), what="the calls of func, one per forward")
    expect.equal(
        len(r.seen_on_the_hook),
        len(xs),
        what="what func stored on its first argument, read on the Hook (it should get the Hook)",
    )
    expect.that(all(r.module_arg_is_the_layer), "func's second argument should be the module")
    for k, x in enumerate(xs):
        expect.close(r.inputs[k], x, what=f"the input func saw (forward {k})", **EXACT)
        out = draw.layer_outputs(seed, x)[0]
        expect.close(r.outputs[k], out, what=f"the output func saw (forward {k})", **EXACT)


@task("Hook")
def test_runs_in_eval_mode_too(student, rng, expect):
    """attached to a model in eval mode, func runs for eval and then train forwards alike"""
    n_eval, n_train = draw.integer(rng, 1, 3), draw.integer(rng, 1, 3)
    r = student.probe(probes.hook_modes, draw.seed(rng), n_eval, n_train, draw.batch(rng))
    expect.equal(r.in_eval, n_eval, what="calls of func during eval-mode forwards")
    expect.equal(r.in_train, n_train, what="calls of func during the train-mode forwards after")


@task("Hook")
def test_remove(student, rng, expect):
    """registers one forward hook; remove() takes it off, and may be called again"""
    r = student.probe(probes.hook_remove, draw.seed(rng), draw.batch(rng))
    expect.equal(r.registered, 1, what="forward hooks on the module after Hook(...)")
    expect.equal(r.after_remove, 0, what="forward hooks on the module after remove()")
    expect.equal(r.after_second_remove, 0, what="forward hooks after a second remove()")
    expect.equal(r.calls_after_remove, 0, what="calls of func after remove()")


@task("Hook")
@visible
def test_with_block(student, rng, expect):
    """`with Hook(...) as h`: h is the Hook, active inside the block, removed at its end"""
    r = student.probe(probes.hook_with, draw.seed(rng), draw.batch(rng))
    expect.that(r.entered_is_the_object, "`with Hook(...) as h` should give the Hook itself")
    expect.equal(r.inside, [1], what="forward hooks on the module inside the block")
    expect.equal(r.calls_inside, 1, what="calls of func for one forward inside the block")
    expect.equal(r.after, [0], what="forward hooks on the module after the block")


@task("Hook")
@visible
def test_dropped_hook_is_removed(student, rng, expect):
    """a Hook nobody references any more leaves the module (no partial(func, self))"""
    r = student.probe(probes.hook_dropped, draw.seed(rng))
    expect.equal(r.registered, [1], what="forward hooks on the module after Hook(...)")
    expect.equal(
        r.after_drop,
        [0],
        what="forward hooks left after the last reference to the Hook is dropped "
        "(the registered function must not keep the Hook alive)",
    )
