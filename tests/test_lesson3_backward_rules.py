"""The lesson 3 grader's no-autograd source check: silent on the reference, and it sees the
spellings a student might use (the run-time trace is exercised by the mutant bank)."""

import pytest

from autograder.lessons import GRADERS, ROOT, load_file


def _grader(lesson):
    return load_file(f"_grader_{lesson}", GRADERS / f"{lesson}.py")


LESSON3 = _grader("lesson3_backward")
REF3 = (ROOT / "solutions" / "lesson3_backward" / "backward.py").read_text()


@pytest.mark.parametrize("task", LESSON3.RULED)
def test_reference_uses_no_autograd(task):
    assert LESSON3._autograd_uses(REF3, task) == []


@pytest.mark.parametrize(
    "body",
    [
        "    loss.backward()",
        "    x.requires_grad_()",
        "    x.requires_grad = True",
        "    x = torch.zeros(3, requires_grad=True)",
        "    return torch.autograd.grad(y, x)",
        "    return x.grad",
        "    return helper(x)",  # the helper below uses autograd: followed by name
    ],
)
def test_autograd_spellings_are_seen(body):
    source = f"def helper(x):\n    x.backward()\n\n\ndef lin_grad(inp, out, w, b):\n{body}\n"
    if "helper" not in body:
        source = f"def lin_grad(inp, out, w, b):\n{body}\n"
    assert LESSON3._autograd_uses(source, "lin_grad")


def test_module_backward_may_call_layer_backward():
    source = "class Model:\n    def backward(self):\n        for l in self.layers:\n"
    source += "            l.backward()\n"
    assert LESSON3._autograd_uses(source, "Model") == []


def test_autograd_imports_are_seen():
    source = "from torch.autograd import grad\n\ndef lin_grad(inp, out, w, b):\n    pass\n"
    assert LESSON3._autograd_uses(source, "lin_grad")
