"""The lesson rule: torch.nn.init is what the lesson builds, so the graded functions may not use
it. Each function answers for itself: one that uses torch.nn.init fails its own rule test only.

Checked twice, after a first call (so a module that does not import, or an unfinished function,
reports that instead):
- at run time, by the probe `init_calls`: the functions of torch/nn/init.py whose frames ran
  during the call (no alias, getattr spelling or module-level binding can hide a frame's file);
- in the source of the function and of the module-level functions it calls: attributes `.init`
  or `_calculate_fan_in_and_fan_out`, the strings 'init' and 'torch.nn.init' (getattr(nn,
  "init")), and names the module imported from torch.nn.init (`from torch.nn import init`).
"""

import ast

import pytest

from autograder import rules
from autograder.grading import points, task_from
from autograder.probes import lesson2_init as probes
from courselib.lesson2_init import FILLERS

INIT = "torch.nn.init"


def _init_names(tree: ast.AST) -> dict[str, str]:
    """{name: what it is} for every name an import binds to torch.nn.init or one of its members."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(INIT) and alias.asname:
                    names[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full.startswith(INIT):
                    names[alias.asname or alias.name] = full
    return names


def init_references(source: str, fn: str | None = None) -> list[str]:
    """Spellings of torch.nn.init in function `fn` and the helpers it calls by name (the whole
    module, imports included, when `fn` is None)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    imported = _init_names(tree)
    if fn is None:
        found = [
            f"import {m}" for m in sorted(rules.imported_modules(source)) if m.startswith(INIT)
        ]
        scopes = [tree]
    else:
        found, scopes = [], list(rules.reachable(source, fn).values())
    for node in (n for scope in scopes for n in ast.walk(scope)):
        if isinstance(node, ast.Attribute) and node.attr in (
            "init",
            "_calculate_fan_in_and_fan_out",
        ):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Constant) and node.value in ("init", INIT):
            found.append(repr(node.value))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in imported:
            found.append(f"{node.id} ({imported[node.id]})")
    return found


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS + ("calc_fans",))
@points(2)
def test_no_torch_nn_init(student, expect, fn):
    """does not use torch.nn.init (source and run time)"""
    ran = student.probe(probes.init_calls, fn, [6, 4, 3] if fn == "calc_fans" else [6, 4]).names
    expect.that(not ran, "ran code from torch.nn.init (lesson rule)", ", ".join(ran), "rule")
    found = ", ".join(init_references(student.source, fn)[:1])
    expect.that(not found, f"{fn} must not use torch.nn.init (lesson rule)", found, "rule")
