"""Hooks(modules, func): one Hook(m, func) per module, kept as a ListContainer; func runs in
train and eval mode alike; remove(), the end of a `with` block, `del hooks[i]` (that one only)
and dropping the Hooks object take the hooks off their modules.

Inputs: mlp(seed) (courselib.lesson5_hooks, weights from a seed drawn here), hooked on its three
Linear layers (or on all five layers for the eval-mode check), and a batch x (N, 6), N in 3..9.
Each probe builds a fresh model and fresh Hooks, so nothing one check leaves behind (e.g. a Hook
that outlives its `del`) is counted by another.

Tolerance: the outputs each hook saw against the judge's own layers on the same x, as for Hook:
the same float64 operations (equal but for summation order), 1e-12.
"""

from autograder.grading import points, task, visible
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes

EXACT = dict(rtol=1e-12, atol=1e-12)
LINEARS = (0, 2, 4)  # where mlp(seed)'s Linear layers sit


@task("Hooks")
@points(2)
def test_one_hook_per_module(student, rng, expect):
    """one Hook per module, each calling func with its own module's output"""
    seed, x = draw.seed(rng), draw.batch(rng)
    r = student.probe(probes.hooks_made, seed, x)
    expect.equal(r.length, 3, what="len(Hooks(modules, func)) for 3 modules")
    expect.that(all(r.are_hooks) and r.item_is_hook, "each item of Hooks should be a Hook")
    expect.equal(r.registered, [1, 1, 1], what="forward hooks per module")
    outs = draw.layer_outputs(seed, x)
    for k, layer in enumerate(LINEARS):
        expect.equal(len(r.seen[k]), 1, what=f"calls of hook {k} for one forward")
        expect.close(r.seen[k][0], outs[layer], what=f"the output hook {k} saw", **EXACT)


@task("Hooks")
def test_run_in_eval_mode_too(student, rng, expect):
    """attached to a model in eval mode, func runs for eval and then train forwards alike"""
    n_eval, n_train = draw.integer(rng, 1, 3), draw.integer(rng, 1, 3)
    r = student.probe(probes.hooks_modes, draw.seed(rng), n_eval, n_train, draw.batch(rng))
    layers = 5  # mlp(seed) has 5 layers, each hooked
    expect.equal(r.in_eval, layers * n_eval, what="calls of func during eval-mode forwards")
    expect.equal(r.in_train, layers * n_train, what="calls of func during train-mode forwards")


@task("Hooks")
def test_remove(student, rng, expect):
    """remove() takes every hook off its module"""
    r = student.probe(probes.hooks_remove, draw.seed(rng), draw.batch(rng))
    expect.equal(r.registered, [1, 1, 1], what="forward hooks per module")
    expect.equal(r.after_remove, [0, 0, 0], what="forward hooks per module after remove()")
    expect.equal(r.calls_after_remove, 0, what="calls of func after remove()")


@task("Hooks")
@visible
def test_with_block(student, rng, expect):
    """`with Hooks(...) as hs`: hs is the Hooks, active inside the block, all removed after"""
    r = student.probe(probes.hooks_with, draw.seed(rng), draw.batch(rng))
    expect.that(r.entered_is_the_object, "`with Hooks(...) as hs` should give the Hooks itself")
    expect.equal(r.inside, [1, 1, 1], what="forward hooks per module inside the block")
    expect.equal(r.calls_inside, 3, what="calls of func for one forward inside the block")
    expect.equal(r.after, [0, 0, 0], what="forward hooks per module after the block")


@task("Hooks")
def test_del_item(student, rng, expect):
    """del hooks[i] removes that hook from its module and from the list, and only that one"""
    r = student.probe(probes.hooks_delitem, draw.seed(rng))
    expect.equal(r.after_del, [1, 0, 1], what="forward hooks per module after del hooks[1]")
    expect.equal(r.length, 2, what="len(hooks) after del hooks[1]")


@task("Hooks")
@visible
def test_dropped_hooks_are_removed(student, rng, expect):
    """a Hooks object nobody references any more leaves no hook behind"""
    r = student.probe(probes.hooks_dropped, draw.seed(rng))
    expect.equal(r.registered, [1, 1, 1], what="forward hooks per module")
    expect.equal(r.after_drop, [0, 0, 0], what="forward hooks left after the Hooks is dropped")
