"""The lesson 3 graders' source checks: silent on the reference, and they see the spellings a
student might use (the run-time trace is exercised by the mutant bank). A helper of the
student's own is followed into, never refused for its name (a hand-written `logsumexp`)."""

import pytest

from autograder.lessons import GRADERS, ROOT, load_file

PACKAGE = GRADERS / "lesson3_backward"
AUTOGRAD = load_file("_lesson3_no_autograd", PACKAGE / "test_no_autograd.py")
SOFTMAX = load_file("_lesson3_log_softmax", PACKAGE / "test_log_softmax.py")
REF3 = (ROOT / "solutions" / "lesson3_backward" / "backward.py").read_text()


@pytest.mark.parametrize("task", AUTOGRAD.RULED)
def test_reference_uses_no_autograd(task):
    assert AUTOGRAD.autograd_uses(REF3, task) == []


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
    assert AUTOGRAD.autograd_uses(source, "lin_grad")


def test_module_backward_may_call_layer_backward():
    source = "class Model:\n    def backward(self):\n        for l in self.layers:\n"
    source += "            l.backward()\n"
    assert AUTOGRAD.autograd_uses(source, "Model") == []


def test_autograd_imports_are_seen():
    source = "from torch.autograd import grad\n\ndef lin_grad(inp, out, w, b):\n    pass\n"
    assert AUTOGRAD.autograd_uses(source, "lin_grad")


def test_reference_log_softmax_uses_no_torch_softmax():
    assert SOFTMAX.torch_softmax_uses(REF3) == []


HELPER = (
    "def logsumexp(x):\n    m = x.max(-1)[0]\n    return m + (x - m[:, None]).exp().sum(-1).log()\n"
)


@pytest.mark.parametrize(
    "source",
    [
        HELPER + "\n\ndef log_softmax(x):\n    return x - logsumexp(x)[:, None]\n",
        "class Softmax:\n    def logsumexp(x):\n        return x.max()\n\n\n"
        "def log_softmax(x):\n    return x - Softmax.logsumexp(x)\n",
    ],
    ids=["helper function", "helper method"],
)
def test_own_helper_named_logsumexp_is_followed_not_refused(source):
    assert SOFTMAX.torch_softmax_uses(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "import torch\n\ndef log_softmax(x):\n    return x - x.logsumexp(-1, keepdim=True)\n",
        "import torch\n\ndef log_softmax(x):\n    return torch.log_softmax(x, -1)\n",
        "from torch import logsumexp\n\ndef log_softmax(x):\n    return x - logsumexp(x, -1, True)\n",
        "import torch\nlogsumexp = torch.logsumexp\n\n"
        "def log_softmax(x):\n    return x - logsumexp(x, -1, True)\n",
        "import torch\n\ndef logsumexp(x):\n    return torch.logsumexp(x, -1, keepdim=True)\n\n\n"
        "def log_softmax(x):\n    return x - logsumexp(x)\n",
        "import torch.nn.functional as F\n\ndef log_softmax(x):\n    return F.softmax(x, -1).log()\n",
    ],
    ids=["method", "function", "imported name", "alias", "inside own helper", "softmax"],
)
def test_torch_softmax_spellings_are_seen(source):
    assert SOFTMAX.torch_softmax_uses(source)
