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


# ---- escape hatches ----------------------------------------------------------------------------

HATCHES = {
    "import numpy as np": "imports numpy",
    "from torch import _C": "imports torch._C",
    "import torch\nx = torch._C.DisableTorchFunction": "uses torch._C",
    "import torch\nop = getattr(torch, 'ops')": "calls getattr() on 'ops'",
    "import torch\ndef f(name): return getattr(torch.nn, name)": "computed attribute name",
    "import torch\ntorch.matmul = lambda a, b: a": "replaces torch.matmul",
    "from torch import Tensor\nTensor.__matmul__ = None": "replaces Tensor.__matmul__",
    "import torch\ntorch.__dict__['mm'] = None": "uses .__dict__",
    "def f(e): return e.__traceback__.tb_frame.f_back.f_globals": "uses .__traceback__",
    "import threading": "imports threading",
    "from concurrent.futures import ThreadPoolExecutor": "imports concurrent.futures",
    "import ctypes": "imports ctypes",
    "import os": "imports os",
    "import sys\nsys.modules['__main__']": "imports sys",
    "x = eval('1 + 1')": "calls eval()",
    "exec('x = 1')": "calls exec()",
    "m = __import__('os')": "uses __import__",
    "import importlib": "imports importlib",
    "import inspect": "imports inspect",
    "import gc": "imports gc",
    "from helper import matmul": "imports helper",
    "import torch\nobject.__setattr__(torch, 'mm', None)": "uses .__setattr__",
    "def f(self, o): setattr(o, 'x', 1)": "something other than self",
}


@pytest.mark.parametrize("source, what", list(HATCHES.items()), ids=list(HATCHES.values()))
def test_escape_hatches_are_found(source, what):
    found = rules.escape_hatches(source)
    assert any(what in text for _, text in found), found


def test_dynamic_attributes_only_where_the_lesson_allows_them():
    source = "class R:\n    def f(self, cb, name):\n        setattr(self, name, cb)\n"
    source += "        return getattr(cb, name, None)\n"
    assert rules.escape_hatches(source)
    assert not rules.escape_hatches(source, (rules.DYNAMIC_ATTRIBUTES,))


def test_refusal_names_the_file_and_line():
    text = rules.refusal("matmul.py", "import torch\nimport numpy\n")
    assert text.startswith("matmul.py line 2 imports numpy")


@pytest.mark.parametrize("tree", ["source", "solutions", "assignments"])
def test_every_lesson_module_is_free_of_escape_hatches(tree):
    """The reference, the stubs and the masters pass the check they impose on students."""
    from autograder.lessons import ROOT, all_lessons

    for lesson in all_lessons():
        path = ROOT / tree / lesson.id / f"{lesson.module}.py"
        assert not rules.escape_hatches(path.read_text(), lesson.allow), (path, lesson.allow)
