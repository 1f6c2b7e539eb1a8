"""The point of the lesson: activations keep their scale through 100 layers initialised with
the student's kaiming_normal_ (courselib.lesson2_init.deep_stack: x (512, 512) ~ N(0, 1),
x <- x @ w.T with a fresh 512 x 512 w per layer, run in the sandbox by the probe `stack`).

Simulated with the reference over 40 seeds: the linear stack (a = 1, gain 1: the course's
x = a @ x with a ~ N(0, 1/512)) stays within [0.78, 1.29] on a 512-row batch, so [0.5, 2] holds
with room. A ReLU stack (a = 0) drifts as a log-normal: each layer multiplies E[x^2] by a factor
of relative variance ~5/512, so after 100 layers the log of the std has sd ~0.5 (200 seeds:
[0.31, 4.1]); [1/8, 8] is 4 sd. A gain off by sqrt(2) moves the std by 2^50 after 100 layers, so
both bands fail every wrong gain by a huge margin.
"""

import pytest

from autograder.grading import points, task
from autograder.graders.lesson2_init._draw import seed
from autograder.probes import lesson2_init as probes

STACKS = dict(
    argnames="relu, a, lo, hi",
    argvalues=[(False, 1.0, 0.5, 2.0), (True, 0.0, 1 / 8, 8.0)],
    ids=["linear", "relu"],
)


@task("kaiming_normal_")
@pytest.mark.parametrize(**STACKS)
@points(2)
def test_deep_stack_keeps_its_scale(student, rng, expect, relu, a, lo, hi):
    """activations keep their scale through 100 layers of 512x512 initialised with kaiming"""
    rec = student.with_timeout(60).probe(probes.stack, seed(rng), a, relu)
    stds = expect.tensor(rec.stds, "the stds of the stack").double().tolist()
    kind = "relu" if relu else "linear"
    for i, s in enumerate(stds):
        way = "vanish" if s < lo else "explode"  # the stack stops at the first 0, inf or NaN
        expect.that(
            lo <= s <= hi,
            f"activations {way} through a deep {kind} stack",
            f"std {s:.3g} after layer {i + 1} (a={a:g})",
        )
