"""Probes observe, the judge expects: a lint of every probe file (autograder/probes/) and of the
record types in the lesson harnesses (courselib/).

A probe runs inside the sandbox, in the student's process: whatever it computes can be rewritten
by the student's module. So a probe may build the student's objects, drive them and report what
happened; it may not compute what should have happened, compare, or judge. These checks make the
difference visible in review and keep it from creeping back:
- no assert, no comparison helpers (allclose, isclose, equal, assert_close, testing.*);
- no names of the expectation vocabulary (expected, want, reference, correct, ...) for
  variables, parameters, keywords, dict keys or record fields;
- nothing imported from the engine, the graders or the solutions;
- every public probe takes the student's module as its first parameter, `mod`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from autograder.lessons import ROOT

PROBES = sorted((ROOT / "autograder" / "probes").glob("lesson*.py"))
HARNESSES = sorted((ROOT / "courselib").glob("lesson*.py"))
EXPECTATION = re.compile(
    r"(^|_)(expect\w*|wants?|wanted|ref|refs|reference\w*|correct\w*|truth|golden|verdict|"
    r"passed|ok)($|_)",
    re.IGNORECASE,
)
COMPARISONS = {"allclose", "isclose", "equal", "assert_close", "approx", "assert_allclose"}


def _names(tree: ast.AST):
    """(line, name) of everything a file names: variables, parameters, keywords, dict keys,
    annotated fields."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.lineno, node.id
        elif isinstance(node, ast.arg):
            yield node.lineno, node.arg
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.value.lineno, node.arg
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.lineno, key.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.lineno, node.target.id


def problems(path: Path, *, probe_file: bool) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            found.append(f"line {node.lineno}: assert (a probe observes; the judge checks)")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in COMPARISONS or ast.unparse(func).startswith("torch.testing"):
                found.append(f"line {node.lineno}: calls {ast.unparse(func)} (a comparison)")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            modules += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for module in modules:
                if module.split(".")[0] in ("autograder", "solutions", "tests", "source"):
                    found.append(f"line {node.lineno}: imports {module}")
    for line, name in _names(tree):
        if EXPECTATION.search(name):
            found.append(f"line {line}: the name {name!r} belongs to the judge's vocabulary")
    if probe_file:
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                first = node.args.args[0].arg if node.args.args else None
                if first != "mod":
                    found.append(f"line {node.lineno}: probe {node.name} must take mod first")
    return found


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_probes_only_observe(path):
    found = problems(path, probe_file=True)
    assert not found, f"{path.relative_to(ROOT)}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", HARNESSES, ids=lambda p: p.stem)
def test_harness_records_hold_observations(path):
    found = problems(path, probe_file=False)
    assert not found, f"{path.relative_to(ROOT)}:\n" + "\n".join(found)


def test_the_lint_catches_a_probe_that_judges(tmp_path):
    bad = tmp_path / "lesson9_demo.py"
    bad.write_text(
        "import torch\n"
        "from autograder.graders import x\n"
        "def fit(runner, plan):\n"
        "    expected = torch.ones(3)\n"
        "    assert runner.ok\n"
        "    return {'ok': torch.allclose(expected, runner.out)}\n"
    )
    found = "\n".join(problems(bad, probe_file=True))
    for what in ("assert", "allclose", "'expected'", "'ok'", "imports autograder", "mod first"):
        assert what in found, what
