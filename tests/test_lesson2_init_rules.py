"""The lesson 2 grader's torch.nn.init source check: silent on the reference, it sees the
spellings a student might use, and it holds each function to account for itself only (the
run-time frame trace is exercised by the mutant bank)."""

import pytest

from autograder.graders.lesson2_init.test_rules import init_references
from autograder.lessons import ROOT

REF2 = (ROOT / "solutions" / "lesson2_init" / "initialization.py").read_text()
FILLERS = ["kaiming_normal_", "kaiming_uniform_", "xavier_normal_", "calc_fans"]


def test_reference_uses_no_torch_nn_init():
    assert init_references(REF2) == []
    assert all(init_references(REF2, fn) == [] for fn in FILLERS)


@pytest.mark.parametrize(
    "text",
    [
        "import torch.nn.init",
        "from torch.nn import init",
        "from torch.nn.init import kaiming_normal_",
        "def f(w):\n    return torch.nn.init.normal_(w)",
        "def f(w):\n    return nn.init.normal_(w)",
        "def f(w):\n    return getattr(torch.nn, 'init')",
        "def f(w):\n    return torch.nn.init._calculate_fan_in_and_fan_out(w)",
    ],
)
def test_torch_nn_init_spellings_are_seen(text):
    assert init_references(text)


@pytest.mark.parametrize(
    "text",
    [
        "def f(w):\n    return torch.nn.init.normal_(w)",
        "from torch.nn import init as I\ndef f(w):\n    return I.normal_(w)",
        "from torch.nn.init import normal_ as n\ndef f(w):\n    return n(w)",
        "import torch.nn.init as I\ndef _h(w):\n    return I.normal_(w)\ndef f(w):\n    return _h(w)",
        "def f(w):\n    return getattr(torch.nn, 'init').normal_(w)",
    ],
)
def test_a_function_using_it_is_seen(text):
    assert init_references(text, "f")


def test_only_the_function_that_uses_it_is_held_to_account():
    text = (
        "from torch.nn import init\n"
        "def g(w):\n    return init.xavier_normal_(w)\n"
        "def f(w):\n    return w.normal_(0, 1)\n"
    )
    assert init_references(text, "g") and not init_references(text, "f")
