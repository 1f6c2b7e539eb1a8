"""Comparisons that fail with a message a student can act on.

Used by the visible tests students run and by the hidden graders, so both speak the same way:

    values: lin_grad: w.g differs from autograd, max abs error 3.0e-02 at [4, 7]
    ^^^^^^  ^^^^^^^^  ^^^^^^^^^^^^^^^^^^^^^^^^^  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    category  task    summary (always shown)     detail (only where the inputs are public)

The category is one of CATEGORIES; the graders report it even where the inputs stay hidden.
"""

from __future__ import annotations

import torch

CATEGORIES = (
    "unfinished",  # the stub still raises NotImplementedError
    "shape",
    "dtype",
    "device",
    "type",  # returned something that is not what was asked for (e.g. not a tensor)
    "values",
    "gradient",
    "mutation",  # an input was modified
    "error",  # raised the wrong exception, or none where one was expected
    "rule",  # used something the lesson forbids
    "speed",
    "crash",  # the process running the code died
    "timeout",
    "import",  # the module does not import
    "missing",  # the module file is not in the submission
)


class CheckFailure(AssertionError):
    """A failed check: `category`, the `task` it belongs to, a `summary` and an optional `detail`.

    str(failure) is the full message; `public()` leaves out the detail (which may describe the
    hidden inputs) and is what hidden graders report.
    """

    def __init__(self, category: str, task: str, summary: str, detail: str = ""):
        if category not in CATEGORIES:
            raise ValueError(f"unknown check category {category!r}")
        self.category, self.task, self.summary, self.detail = category, task, summary, detail
        super().__init__(str(self))

    def public(self) -> str:
        return f"{self.category}: {self.task}: {self.summary}"

    def __str__(self) -> str:
        return self.public() + (f", {self.detail}" if self.detail else "")


class NoAnswer(Exception):
    """The code under test gave no answer at all (it crashed, hung, or does not import): not a
    wrong answer for a check to judge. The grading sandbox raises subclasses of this."""

    category = "crash"


def fail(category: str, task: str, summary: str, detail: str = "") -> None:
    raise CheckFailure(category, task, summary, detail)


def near(a: torch.Tensor, b: torch.Tensor, rtol: float = 1e-3, atol: float = 1e-5) -> bool:
    """The course's `near`: elementwise |a - b| <= atol + rtol * |b|, shapes must agree."""
    return a.shape == b.shape and torch.allclose(a, b, rtol=rtol, atol=atol)


def test_near(a: torch.Tensor, b: torch.Tensor) -> None:
    """The course's `test_near`, with a message that says how far apart the two are."""
    expect_close("test_near", a, b, what="a", against="b")


test_near.__test__ = False  # a helper, not a test, when pytest imports this module


def _index(flat: int, shape: torch.Size) -> list[int]:
    idx = []
    for size in reversed(shape):
        idx.append(flat % size)
        flat //= size
    return idx[::-1]


def expect_tensor(task: str, got, what: str = "the result") -> torch.Tensor:
    if not isinstance(got, torch.Tensor):
        fail("type", task, f"{what} should be a torch.Tensor", f"got {type(got).__name__}")
    return got


def expect_like(
    task: str,
    got,
    expected: torch.Tensor,
    what: str = "the result",
    *,
    check_dtype: bool = True,
    check_device: bool = True,
) -> torch.Tensor:
    """Type, shape, dtype and device of `got` match `expected`."""
    got = expect_tensor(task, got, what)
    if got.shape != expected.shape:
        fail(
            "shape",
            task,
            f"{what} has the wrong shape",
            f"expected {tuple(expected.shape)}, got {tuple(got.shape)}",
        )
    if check_dtype and got.dtype != expected.dtype:
        fail("dtype", task, f"{what} should be {expected.dtype}, got {got.dtype}")
    if check_device and got.device.type != expected.device.type:
        fail("device", task, f"{what} should be on {expected.device.type}, got {got.device.type}")
    return got


def expect_close(
    task: str,
    got,
    expected: torch.Tensor,
    *,
    what: str = "the result",
    against: str = "the expected value",
    rtol: float = 1e-5,
    atol: float = 1e-6,
    category: str = "values",
    check_dtype: bool = True,
    check_device: bool = True,
) -> None:
    """`got` equals `expected` within |got - expected| <= atol + rtol * |expected|, elementwise.

    Fails with the largest error and where it is:
    "values: lin_grad: w.g differs from autograd, max abs error 3.0e-02 at [4, 7]".
    """
    got = expect_like(task, got, expected, what, check_dtype=check_dtype, check_device=check_device)
    g = got.detach().to("cpu", torch.float64)
    e = expected.detach().to("cpu", torch.float64)
    if torch.equal(torch.isnan(g), torch.isnan(e)) and torch.allclose(
        g, e, rtol=rtol, atol=atol, equal_nan=True
    ):
        return
    if not torch.isfinite(g).all() and torch.isfinite(e).all():
        bad = (~torch.isfinite(g)).flatten().nonzero()[0].item()
        fail(
            category,
            task,
            f"{what} contains inf or nan where {against} is finite",
            f"first at {_index(bad, g.shape)}" if g.dim() else "",
        )
    err = (g - e).abs().nan_to_num(nan=float("inf"))
    worst = int(err.flatten().argmax().item()) if err.numel() else 0
    where = f" at {_index(worst, g.shape)}" if g.dim() else ""
    fail(
        category,
        task,
        f"{what} differs from {against}",
        f"max abs error {err.max().item():.1e}{where} (tolerance {atol:g} + {rtol:g}·|expected|)",
    )


def expect_raises(task: str, call, error: type[BaseException], why: str):
    """`call()` raises `error` (e.g. ValueError on mismatched shapes). Returns the exception."""
    try:
        call()
    except error as e:
        return e
    except NoAnswer:
        raise
    except NotImplementedError:
        fail("unfinished", task, "not implemented yet (raises NotImplementedError)")
    except Exception as e:
        fail("error", task, f"should raise {error.__name__} {why}", f"raised {type(e).__name__}")
    fail("error", task, f"should raise {error.__name__} {why}", "nothing was raised")


def _first_difference(got, want, path: str = "") -> tuple[str, object, object] | None:
    """Where two plain values (lists, tuples, dicts, records, numbers, tensors) first differ:
    (path, got part, expected part), or None when they are equal."""
    from courselib.records import fields, is_record

    if is_record(want):
        if type(got).__name__ != type(want).__name__ or not is_record(got):
            return path or "the value", type(got).__name__, type(want).__name__
        for name, value in fields(want).items():
            found = _first_difference(getattr(got, name, None), value, f"{path}.{name}")
            if found:
                return found
        return None
    if isinstance(want, torch.Tensor):
        same = isinstance(got, torch.Tensor) and got.shape == want.shape and torch.equal(got, want)
        return None if same else (path or "the value", got, want)
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return path or "the value", got, want
        for i, (g, w) in enumerate(zip(got, want)):
            found = _first_difference(g, w, f"{path}[{i}]")
            if found:
                return found
        if len(got) != len(want):
            return f"{path}#length", len(got), len(want)
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return path or "the value", got, want
        for key, value in want.items():
            if key not in got:
                return f"{path}[{key!r}]", _NOTHING, value
            found = _first_difference(got[key], value, f"{path}[{key!r}]")
            if found:
                return found
        extra = [k for k in got if k not in want]
        return (f"{path}[{extra[0]!r}]", got[extra[0]], _NOTHING) if extra else None
    same = type(got) is type(want) or (
        isinstance(got, (int, float))
        and isinstance(want, (int, float))
        and isinstance(got, bool) == isinstance(want, bool)
    )
    return None if same and got == want else (path or "the value", got, want)


class _Nothing:
    def __repr__(self) -> str:
        return "nothing"


_NOTHING = _Nothing()


def _short(value, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, torch.Tensor) else f"tensor{tuple(value.shape)}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Expect:
    """The checks above with the task filled in: what graders and visible tests call.

        expect = Expect("lin_grad")
        expect.close(w.g, want, what="w.g", against="autograd")
        expect.equal(events, wanted_events, what="the events of fit")

    Each method fails with a CheckFailure naming the task; hidden graders show `public()`.
    """

    def __init__(self, task: str):
        self.task = task

    def fail(self, category: str, summary: str, detail: str = "") -> None:
        fail(category, self.task, summary, detail)

    def that(self, condition, summary: str, detail: str = "", category: str = "values") -> None:
        """Fail with `summary` unless `condition` holds."""
        if not condition:
            fail(category, self.task, summary, detail)

    def tensor(self, got, what: str = "the result") -> torch.Tensor:
        return expect_tensor(self.task, got, what)

    def like(self, got, expected: torch.Tensor, what: str = "the result", **kw) -> torch.Tensor:
        return expect_like(self.task, got, expected, what, **kw)

    def close(self, got, expected: torch.Tensor, **kw) -> None:
        """See expect_close: shape, dtype and device first, then |got - want| within tolerance."""
        expect_close(self.task, got, expected, **kw)

    def equal(self, got, expected, *, what: str = "the result", category: str = "values"):
        """Exact equality of plain values, lists, dicts and records, reporting the first
        difference: "values: Runner: the events of fit differ at [7]: expected 'after_loss',
        got 'after_pred'"."""
        found = _first_difference(got, expected)
        if found is None:
            return
        path, g, w = found
        detail = f"expected {_short(w)}, got {_short(g)}"
        if path.endswith("#length"):
            where = f" {path[:-7]}" if path[:-7] else ""
            fail(category, self.task, f"{what}: wrong length{where}", detail)
        where = f" at {path}" if path and path != "the value" else ""
        fail(category, self.task, f"{what}: first difference{where}", detail)

    def raises(self, call, error: type[BaseException], why: str):
        return expect_raises(self.task, call, error, why)
