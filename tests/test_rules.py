"""The rule checks: what the AST sees (through helpers and aliases) and what the trace sees."""

import pytest

from autograder import rules
from courselib.checks import CheckFailure

SOURCE = """
import torch
prod = torch.matmul

def helper(x, y):
    return x @ y

def uses_helper(a, b):
    return helper(a, b)

def uses_alias(a, b):
    return prod(a, b)

def clean(a, b):
    c = torch.zeros(a.shape[0], b.shape[1])
    for i in range(a.shape[0]):
        c[i] = (a[i, :, None] * b).sum(0)
    return c

def comprehension(a, b):
    return torch.stack([(a[i, :, None] * b).sum(0) for i in range(len(a))])

class K:
    def method(self, a, b):
        return torch.einsum("ik,kj->ij", a, b)
"""


def test_matmul_through_a_helper_is_found():
    with pytest.raises(CheckFailure, match="must not use @"):
        rules.forbid("t", SOURCE, "uses_helper", rules.MATMULS)


def test_clean_function_passes():
    rules.forbid("t", SOURCE, "clean", rules.MATMULS)


def test_alias_is_left_to_the_runtime_trace():
    rules.forbid("t", SOURCE, "uses_alias", rules.MATMULS)  # `prod` is only a name here...
    with pytest.raises(CheckFailure, match="called torch's matmul"):
        rules.forbid_traced("t", {"matmul", "zeros"}, rules.MATMULS)  # ...the trace sees it


def test_methods_are_addressed_as_class_dot_name():
    assert "torch.einsum" in rules.names_used(SOURCE, "K.method")


@pytest.mark.parametrize("name, loops", [("clean", 1), ("comprehension", 1), ("helper", 0)])
def test_loop_count(name, loops):
    assert rules.loop_count(SOURCE, name) == loops


def test_missing_function_and_syntax_errors_are_rule_failures():
    with pytest.raises(CheckFailure, match="defined with `def`"):
        rules.forbid("t", SOURCE, "nope", rules.MATMULS)
    with pytest.raises(CheckFailure, match="defined with `def`"):
        rules.forbid("t", "def f(:\n", "f", rules.MATMULS)


def test_imported_modules_sees_every_spelling():
    source = "import torch.nn.init as I\nfrom torch import autograd\nfrom os.path import join\n"
    found = rules.imported_modules(source)
    assert {"torch.nn.init", "torch.autograd", "os.path"} <= found


def test_reachable_follows_helpers_and_classes():
    source = SOURCE + "\n\ndef uses_class(a, b):\n    return K().method(a, b)\n"
    assert set(rules.reachable(source, "uses_helper")) == {"uses_helper", "helper"}
    assert set(rules.reachable(source, "uses_class")) == {"uses_class", "K.method"}
    assert set(rules.reachable(source, "K")) == {"K.method"}
    assert rules.reachable("def f(:\n", "f") == {}


def test_loops_in_helpers_count_and_aliases_are_rule_failures():
    source = "def inner(a):\n    return sum(x for x in a)\n\ndef f(a):\n    for r in a:\n"
    source += "        inner(r)\n\ng = f\n"
    assert rules.loop_count(source, "f") == 2
    with pytest.raises(CheckFailure, match="defined with `def`"):
        rules.expect_defined("g", source, "g")
