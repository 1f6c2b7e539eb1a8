"""ListContainer(items): a list indexed the numpy way. An int gives the item; a slice, a list of
ints, a bool mask (one entry per item, ValueError otherwise) or a 1-d tensor of either gives a
plain list; len, iteration, item assignment and deletion work as on a list; built from None
(empty), a string or any non-iterable object (one item) or any other iterable (its elements);
the repr shows the count and at most 10 items.

Inputs: n items (distinct strings or ints), n in 1..15, and indices drawn here or by hypothesis.
The expected items come from Python's own list semantics on the same items (exact).
"""

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.grading import points, task, visible
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes


def _items(rng, n):
    return [f"item{int(k)}" for k in torch.randperm(1000, generator=rng)[:n]]


def _masked(mask, items):
    return [o for m, o in zip(mask, items) if m]


def _cases(rng, n):
    """Indices into n items: a list of ints, a bool mask and a slice."""
    ints = torch.randint(0, n, (draw.integer(rng, 1, 5),), generator=rng).tolist()
    mask = (torch.rand(n, generator=rng) < 0.5).tolist()
    i, j = sorted(torch.randint(0, n, (2,), generator=rng).tolist())
    return ints, mask, slice(i, j + 1)


@task("ListContainer")
@points(2)
def test_indexing(student, rng, expect):
    """indexes by int, negative int, slice, list of ints and bool mask"""
    n = draw.integer(rng, 5, 12)
    items = _items(rng, n)
    ints, mask, part = _cases(rng, n)
    for what, idx, want in [
        ("an int", ints[0], items[ints[0]]),
        ("a negative int", -1, items[-1]),
        ("a slice", part, items[part]),
        ("a list of ints", ints, [items[k] for k in ints]),
        ("a bool mask", mask, _masked(mask, items)),
    ]:
        got = student.probe(probes.lc_pick, items, idx)
        expect.equal(got.value, want, what=f"indexing by {what}")


@task("ListContainer")
def test_indexing_by_tensor(student, rng, expect):
    """a 1-d tensor index works like the list it holds (ints or a bool mask); 0-d like an int"""
    n = draw.integer(rng, 5, 12)
    items = _items(rng, n)
    ints, mask, _ = _cases(rng, n)
    for what, idx, want in [
        ("a tensor of ints", torch.tensor(ints), [items[k] for k in ints]),
        ("a bool tensor", torch.tensor(mask), _masked(mask, items)),
        ("a 0-d tensor", torch.tensor(ints[0]), items[ints[0]]),
    ]:
        got = student.probe(probes.lc_pick, items, idx)
        expect.equal(got.value, want, what=f"indexing by {what}")


@st.composite
def _index_cases(pick):
    n = pick(st.integers(1, 15))
    kind = pick(st.sampled_from(["int", "slice", "ints", "mask"]))
    if kind == "int":
        return n, pick(st.integers(-n, n - 1))
    if kind == "slice":
        ends = st.integers(-n, n)
        return n, slice(pick(ends), pick(ends), pick(st.sampled_from([None, 1, 2, -1])))
    if kind == "ints":
        return n, pick(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6))
    return n, pick(st.lists(st.booleans(), min_size=n, max_size=n))


@task("ListContainer")
@settings(  # `expect` is function-scoped but stateless: sharing it between examples is safe
    deadline=None,
    max_examples=25,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=_index_cases())
def test_indexing_property(student, expect, case):
    """indexing agrees with the list it holds, for any int, slice, int list or mask"""
    n, idx = case
    items = list(range(100, 100 + n))
    if isinstance(idx, list) and isinstance(idx[0], bool):
        want = _masked(idx, items)
    else:
        want = [items[k] for k in idx] if isinstance(idx, list) else items[idx]
    got = student.probe(probes.lc_pick, items, idx)
    expect.equal(got.value, want, what=f"indexing {n} items by {idx!r}")


@task("ListContainer")
@visible
def test_mask_length(student, rng, expect):
    """raises ValueError for a bool mask of the wrong length"""
    n = draw.integer(rng, 3, 8)
    items = _items(rng, n)
    for m in (n - 1, n + 2):
        call = lambda: student.probe(probes.lc_pick, items, [True] * m)  # noqa: E731
        expect.raises(call, ValueError, f"for a mask of {m} entries on {n} items")


@task("ListContainer")
def test_list_operations(student, rng, expect):
    """len, iteration, item assignment and deletion work as on a list"""
    items = _items(rng, draw.integer(rng, 2, 8))
    r = student.probe(probes.lc_list_ops, items)
    expect.equal(r.length, len(items), what="len()")
    expect.equal(r.iterated, items, what="iteration")
    expect.equal(r.after_set, ["new"] + items[1:], what="the items after lc[0] = 'new'")
    expect.equal(r.after_del, ["new"] + items[1:-1], what="the items after del lc[-1]")
    expect.equal(r.length_after_del, len(items) - 1, what="len() after del lc[-1]")


@task("ListContainer")
def test_built_from_anything(student, rng, expect):
    """None is empty, a string or a number one item, any other iterable its elements"""
    values = torch.randint(0, 100, (draw.integer(rng, 2, 6),), generator=rng).tolist()
    word = _items(rng, 1)[0]
    for what, kind, value, want in [
        ("None", "as is", None, []),
        ("a string", "as is", word, [word]),
        ("a number", "as is", values[0], [values[0]]),
        ("a list", "as is", values, values),
        ("a tuple", "tuple", values, values),
        ("a range", "range", len(values), list(range(len(values)))),
        ("a generator", "generator", values, values),
        ("a tensor", "tensor", values, list(torch.tensor(values))),
    ]:
        r = student.probe(probes.lc_build, kind, value)
        expect.equal(r.items, want, what=f"the items of a ListContainer built from {what}")
        expect.equal(r.length, len(want), what=f"len() of a ListContainer built from {what}")


@task("ListContainer")
@visible
def test_repr(student, rng, expect):
    """repr: 'ListContainer (n items)' and at most the first 10 items"""
    for n in (draw.integer(rng, 1, 10), draw.integer(rng, 11, 2000)):
        text = student.probe(probes.lc_repr, n)
        head = f"ListContainer ({n} items)"
        expect.that(text.startswith(head), f"repr should start with {head!r}", repr(text[:60]))
        first = str(list(range(min(n, 10))))[:-1]
        expect.that(first in text, "repr should show the first items", repr(text[:60]))
        if n > 10:
            expect.that(
                len(text) < len(head) + 60 and "..." in text,
                "repr of a long container should show 10 items and '...'",
                f"{len(text)} characters for {n} items",
            )
