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
