"""lin_grad(inp, out, w, b), for out = inp @ w + b with dL/d out in out.g (n, k), stores
dL/d inp in inp.g (n, m), dL/dw in w.g (m, k) and dL/db in b.g (k,).

Inputs: inp, w, b, out.g ~ N(0, 1); shapes random, with batch size 1 and a single output, and
every small shape (n <= 9, m <= 7, k <= 5) in the property tests.
Expected: autograd's gradients of sum(out * out.g). The batch's w.g and b.g are the sums of its
two halves' (the batch adds up: a mean instead of a sum fails this); a second call on the same
tensors replaces the .g of the first (set, never accumulated: the contract); inp, w, b and
out.g are left as they were.
Tolerance: float64 round-off (_grads.TOL); unchanged inputs means exactly equal.
"""

from hypothesis import given
from hypothesis import strategies as st

from autograder.grading import points, task
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes

NAMES = ("inp", "w", "b")
EXACT = dict(rtol=0.0, atol=0.0)


def _expect_lin_grads(expect, got, inp, out, out_g, w, b):
    for name, g, want in zip(
        NAMES, (got.inp_g, got.w_g, got.b_g), grads.lin_grads(inp, w, b, out_g)
    ):
        grads.expect_grad(expect, g, want, name, **grads.TOL)


@task("lin_grad")
@points(3)
def test_lin_grad_matches_autograd(student, rng, expect):
    """inp.g, w.g and b.g equal autograd's, batch 1 and a single output included"""
    for shape in draw.lin_shapes(rng):
        args = draw.lin_inputs(rng, *shape)
        _expect_lin_grads(expect, student.probe(probes.lin_grad_g, *args), *args)


@task("lin_grad")
@draw.PROPERTY
@given(n=st.integers(1, 9), m=st.integers(1, 7), k=st.integers(1, 5))
def test_lin_grad_property_any_shape(student, rng, expect, n, m, k):
    """matches autograd for every small shape (property test)"""
    args = draw.lin_inputs(rng, n, m, k)
    _expect_lin_grads(expect, student.probe(probes.lin_grad_g, *args), *args)


@task("lin_grad")
@draw.PROPERTY
@given(split=st.integers(1, 11))
def test_lin_grad_property_batch_adds_up(student, rng, expect, split):
    """the batch's w.g and b.g are the sums of the two halves' (property test)"""
    inp, out, out_g, w, b = draw.lin_inputs(
        rng, 12, draw.integer(rng, 2, 8), draw.integer(rng, 1, 5)
    )
    whole = student.probe(probes.lin_grad_g, inp, out, out_g, w, b)
    halves = [
        student.probe(probes.lin_grad_g, inp[s], out[s], out_g[s], w, b)
        for s in (slice(0, split), slice(split, 12))
    ]
    for name, param in (("w", w), ("b", b)):
        parts = [getattr(r, f"{name}_g") for r in (whole, *halves)]
        expect.that(all(p is not None for p in parts), f"{name}.g was not set", category="gradient")
        for p in parts:
            expect.like(p, param, f"{name}.g")
        expect.close(
            parts[0],
            parts[1] + parts[2],
            what=f"{name}.g of the batch",
            against="the sum over its two halves",
            category="gradient",
            **grads.TOL,
        )


@task("lin_grad")
def test_lin_grad_sets_not_accumulates(student, rng, expect):
    """a second call on the same tensors replaces their .g (it does not add to the first's)"""
    inp, out, out_g1, w, b = draw.lin_inputs(rng, *draw.lin_shapes(rng)[0])
    out_g2 = draw.randn(rng, *out_g1.shape)
    got = student.probe(probes.lin_grad_twice, inp, out, out_g1, out_g2, w, b)
    _expect_lin_grads(expect, got.first, inp, out, out_g1, w, b)
    _expect_lin_grads(expect, got.second, inp, out, out_g2, w, b)


@task("lin_grad")
def test_lin_grad_leaves_its_inputs_alone(student, rng, expect):
    """changes none of inp, w, b and out.g (it only sets their .g)"""
    inp, out, out_g, w, b = draw.lin_inputs(rng, *draw.lin_shapes(rng)[0])
    got = student.probe(probes.lin_grad_inputs_after, inp, out, out_g, w, b)
    for name, after, before in zip(
        ("inp", "w", "b", "out.g"), (got.inp, got.w, got.b, got.out_g), (inp, w, b, out_g)
    ):
        expect.close(
            after,
            before,
            what=f"{name} after lin_grad",
            against="before it",
            category="mutation",
            **EXACT,
        )
