"""log_softmax(x) = x - logsumexp(x) along the last dimension, with logsumexp computed after
subtracting the max (m + log sum_j exp(x_j - m)), so that large logits stay finite.

Inputs: N(0, 9) logits of random shape, one row, one class; logits spread to +-1000 in float64
(exp overflows past 709 even there); float32 logits spread to about +-200 (exp overflows past
88 and underflows below -103 in float32, while float64 would survive both: this catches a
version that is only stable in float64); random shifts and scales (property test).
Expected: torch.log_softmax on the same tensor; log_softmax(x + c) = log_softmax(x) and the
probabilities sum to 1. The rule: no torch logsumexp, softmax, log_softmax (nor cross_entropy,
nll_loss), in the source or at run time. A helper of the student's own (even one named
logsumexp) is followed into, never refused for its name.
Tolerance: float64 round-off (_grads.TOL); float32: the student's order of operations may
round x - m - log(s) at the magnitude of the logits, ulp(1000) = 6e-5 in float32: atol 1e-3
(and rtol 1e-5) holds any stable order, while an overflow gives inf or nan.
"""

import ast

import torch
from hypothesis import given
from hypothesis import strategies as st

from autograder.grading import points, task
from autograder import rules
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward._grads import TOL

F32_TOL = dict(rtol=1e-5, atol=1e-3)
TORCH_SOFTMAX = frozenset({"logsumexp", "log_softmax", "softmax", "cross_entropy", "nll_loss"})


def spread(rng, scale: float, dtype=torch.float64) -> torch.Tensor:
    """Logits of random shape ~ N(0, scale^2), with +-scale placed at two corners."""
    x = draw.randn(rng, draw.integer(rng, 2, 20), draw.integer(rng, 2, 12)) * scale
    x[0, 0], x[-1, -1] = scale, -scale
    return x.to(dtype)


@task("log_softmax")
@points(2)
def test_log_softmax_values(student, rng, expect):
    """equals torch.log_softmax along the last dimension (one class and one row included)"""
    for shape in [(draw.integer(rng, 2, 30), draw.integer(rng, 2, 12)), (1, 10), (5, 1)]:
        x = draw.randn(rng, *shape) * 3
        expect.close(student.log_softmax(x), torch.log_softmax(x, -1), against="torch", **TOL)


@task("log_softmax")
@points(2)
def test_log_softmax_stable_for_large_logits(student, rng, expect):
    """stays finite and exact for logits of +-1000 (float64)"""
    x = spread(rng, 1000.0)
    expect.close(student.log_softmax(x), torch.log_softmax(x, -1), against="torch", **TOL)


@task("log_softmax")
def test_log_softmax_stable_in_float32(student, rng, expect):
    """stays finite for float32 logits of +-200, and keeps float32"""
    x = spread(rng, 200.0, torch.float32)
    expect.close(student.log_softmax(x), torch.log_softmax(x, -1), against="torch", **F32_TOL)


@task("log_softmax")
@draw.PROPERTY
@given(shift=st.floats(-500, 500), scale=st.floats(0.01, 300))
def test_log_softmax_property(student, rng, expect, shift, scale):
    """shifting the logits changes nothing and the probabilities sum to 1 (property test)"""
    x = draw.randn(rng, 4, 6) * scale
    a, b = student.log_softmax(x), student.log_softmax(x + shift)
    expect.like(a, x)
    # float64: a shift c costs |c| * 2^-52 of absolute precision in x + c
    atol = 1e-9 * (1 + abs(shift))
    expect.close(b, a, what="log_softmax(x + c)", against="log_softmax(x)", atol=atol)
    total = a.exp().sum(-1)
    expect.close(total, torch.ones(4, dtype=x.dtype), what="sum of exp", against="1", **TOL)


def _own_functions(source: str) -> set[str]:
    """The module's own functions and methods ("f", "Class.method")."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    own = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            own.add(node.name)
        elif isinstance(node, ast.ClassDef):
            methods = (ast.FunctionDef, ast.AsyncFunctionDef)
            own |= {f"{node.name}.{f.name}" for f in node.body if isinstance(f, methods)}
    return own


def torch_softmax_uses(source: str) -> list[str]:
    """TORCH_SOFTMAX names that log_softmax, or a helper of the module's own it calls by name,
    uses; calls of the module's own functions are followed into (rules.reachable), never
    matched by their names."""
    own = _own_functions(source)
    used = {d.rstrip("()") for d in rules.names_used(source, "log_softmax")} - own
    return sorted({d.rsplit(".", 1)[-1] for d in used} & TORCH_SOFTMAX)


@task("log_softmax")
def test_log_softmax_builds_its_own_logsumexp(student, rng, expect):
    """uses no torch logsumexp, softmax or log_softmax (source and run time)"""
    _, used = student.traced("log_softmax", draw.randn(rng, 3, 4))  # the first student call
    rules.forbid_traced(expect.task, used, TORCH_SOFTMAX)
    rules.expect_defined(expect.task, student.source, "log_softmax")
    found = torch_softmax_uses(student.source)
    expect.that(not found, f"log_softmax must not use torch's {', '.join(found)}", category="rule")
