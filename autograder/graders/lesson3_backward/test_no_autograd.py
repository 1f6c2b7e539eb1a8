"""The lesson's rule: the gradients are derived by hand. The module must never call .backward(
on a tensor, use torch.autograd (or torch.func, functorch) or set requires_grad.

Checked for every task that computes gradients, in two layers, after a first call of the task
(a missing module then reports the lesson-wide line, not a rule):
- run time: the torch functions the task's probe ran (traced by the sandbox) include none of
  Tensor.backward, autograd.grad, requires_grad_, enable_grad: a spelling cannot hide those;
- source: the task's code and every module-level function or class it calls by name
  (rules.reachable), and the module's imports. `.backward(` is allowed only inside methods
  named `backward` (where Model calls its layers' own backward).
"""

import ast

import pytest
import torch

from autograder.grading import points, task_from
from autograder import rules
from autograder.graders.lesson3_backward import _draw as draw
from autograder.probes import lesson3_backward as probes

AUTOGRAD_ATTRS = {"requires_grad", "requires_grad_", "grad", "autograd", "enable_grad"}
AUTOGRAD_TRACED = {"backward", "grad", "requires_grad_", "enable_grad"}
AUTOGRAD_MODULES = ("torch.autograd", "torch.func", "functorch")
RULED = ["mse_grad", "relu_grad", "lin_grad", "forward_and_backward", "Model", "CrossEntropy"]


def autograd_uses(source: str, task_name: str) -> list[str]:
    """Where the module imports autograd, or the task's code (with what it calls by name)
    touches it; `.backward(` is allowed only inside methods named backward."""
    imports = sorted(rules.imported_modules(source))
    found = [f"import {m}" for m in imports if m.startswith(AUTOGRAD_MODULES)]
    for name, function in rules.reachable(source, task_name).items():
        for node in ast.walk(function):
            if isinstance(node, ast.Attribute) and node.attr in AUTOGRAD_ATTRS:
                found.append(f".{node.attr} in {name}")
            elif isinstance(node, ast.keyword) and node.arg == "requires_grad":
                found.append(f"requires_grad= in {name}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "backward"
                and not name.endswith(".backward")
            ):
                found.append(f".backward( in {name}")
    return found


def _task_call(rng, task_name):
    """The probe that exercises the task, and its arguments."""
    x, y, w1, b1, w2, b2 = draw.mlp(rng, 5, 4, 3)
    l1, out_g = x @ w1 + b1, draw.randn(rng, 5, 3)
    return {
        "mse_grad": (probes.mse_grad_g, (draw.randn(rng, 5, 1), y)),
        "relu_grad": (probes.relu_grad_g, (l1, torch.relu(l1), out_g)),
        "lin_grad": (probes.lin_grad_g, (x, l1, out_g, w1, b1)),
        "forward_and_backward": (probes.forward_and_backward_g, (x, y, w1, b1, w2, b2)),
        "Model": (probes.model_g, (x, y, w1, b1, w2, b2)),
        "CrossEntropy": (probes.cross_entropy_g, (l1, torch.tensor([0, 1, 2, 0, 1]))),
    }[task_name]


@task_from("fn")
@pytest.mark.parametrize("fn", RULED)
@points(2)
def test_no_autograd(student, rng, expect, fn):
    """no .backward( on tensors, torch.autograd or requires_grad (source and run time)"""
    probe, args = _task_call(rng, fn)
    _, used = student.traced_probe(probe, *args)  # the first student call
    bad = sorted(used & AUTOGRAD_TRACED)
    expect.that(
        not bad, f"called torch's {', '.join(bad)} at run time (lesson rule)", category="rule"
    )
    uses = autograd_uses(student.source, fn)
    expect.that(
        not uses,
        "the gradients must be derived by hand, not by autograd",
        uses[0] if uses else "",
        category="rule",
    )
