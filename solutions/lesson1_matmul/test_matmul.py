"""Visible tests for lesson 1: run `make test-lesson1` (or `SUBMISSION=<folder>`).

They check the same things the hidden graders check, on small fixed inputs; the graders add
random shapes, float32 and float64, cuda when present, the game rules and the speed ladder.
"""

import pytest
import torch

import matmul
from courselib.checks import expect_close, expect_raises
from courselib.lesson1_matmul import VERSIONS as NAMES
from matmul import frobenius_norm

VERSIONS = [getattr(matmul, name) for name in NAMES]


@pytest.fixture
def ab():
    g = torch.Generator().manual_seed(0)
    return torch.randn(5, 7, generator=g), torch.randn(7, 3, generator=g)


@pytest.mark.parametrize("fn", VERSIONS, ids=lambda f: f.__name__)
def test_equals_torch(fn, ab):
    a, b = ab
    expect_close(fn.__name__, fn(a, b), a @ b, against="a @ b", rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("fn", VERSIONS, ids=lambda f: f.__name__)
def test_one_row_and_one_column(fn):
    a, b = torch.arange(4.0).reshape(1, 4), torch.arange(4.0).reshape(4, 1)
    expect_close(fn.__name__, fn(a, b), a @ b, against="a @ b")


@pytest.mark.parametrize("fn", VERSIONS, ids=lambda f: f.__name__)
def test_keeps_float64(fn, ab):
    a, b = (t.double() for t in ab)
    expect_close(fn.__name__, fn(a, b), a @ b, against="a @ b", rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("fn", VERSIONS, ids=lambda f: f.__name__)
def test_mismatched_inner_dims_raise(fn):
    a, b = torch.ones(2, 3), torch.ones(4, 2)
    expect_raises(fn.__name__, lambda: fn(a, b), ValueError, "when a's columns != b's rows")


def test_frobenius_norm():
    m = torch.tensor([[3.0, 0.0], [0.0, 4.0]])
    expect_close("frobenius_norm", frobenius_norm(m), torch.tensor(5.0), against="5.0")
