"""The lesson 2 grader's torch.nn.init source check: silent on the reference, and it sees the
spellings a student might use (the run-time frame trace is exercised by the mutant bank)."""

import pytest

from autograder.lessons import GRADERS, ROOT, load_file


def _grader(lesson):
    return load_file(f"_grader_{lesson}", GRADERS / f"{lesson}.py")


LESSON2 = _grader("lesson2_init")
REF2 = (ROOT / "solutions" / "lesson2_init" / "initialization.py").read_text()


def test_reference_uses_no_torch_nn_init():
    assert LESSON2._init_references(REF2) == []


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
    assert LESSON2._init_references(text)
