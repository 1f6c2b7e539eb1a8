"""The game rules, checked in the student's source (AST) and at run time (traced torch calls).

    rules.forbid("matmul_loops", student.source, "matmul_loops", MATMULS)
    _, used = student.traced("matmul_loops", a, b); rules.forbid_traced("matmul_loops", used, MATMULS)

The AST check reads the function and every module-level function it calls by name; the run-time
check sees through any spelling (getattr, aliases) because it records what torch actually ran.
"""

from __future__ import annotations

import ast

from courselib.checks import fail

MATMULS = frozenset(
    "@ matmul __matmul__ __rmatmul__ mm bmm einsum dot vdot tensordot inner mv addmm addmv "
    "baddbmm addbmm linear bilinear chain_matmul multi_dot matrix_power".split()
)


def _functions(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level functions and methods ("Class.method") by name."""
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"{node.name}.{item.name}"] = item
    return found


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return "?"


def function_node(source: str, name: str) -> ast.AST | None:
    try:
        return _functions(ast.parse(source)).get(name)
    except SyntaxError:
        return None


def imported_modules(source: str) -> set[str]:
    """Every module the source imports, dotted. `import torch.nn.init as I` gives
    "torch.nn.init"; `from torch.nn import init` gives "torch.nn" and "torch.nn.init" (a name
    imported from a package may be a submodule). A syntax error gives nothing."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def reachable(source: str, name: str) -> dict[str, ast.AST]:
    """Function `name` (or every method of class `name`) and, transitively, the module-level
    functions and classes it calls by name: {"f": node, "Class.method": node, ...}."""
    try:
        functions = _functions(ast.parse(source))
    except SyntaxError:
        return {}

    def named(n: str) -> list[str]:  # a function, or the methods of a class
        return [f for f in functions if f == n or f.startswith(n + ".")]

    found, todo = {}, named(name)
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found[current] = functions[current]
        for node in ast.walk(functions[current]):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo += named(node.func.id)
    return found


def names_used(source: str, name: str) -> set[str]:
    """Dotted names called or referenced inside function `name` ("torch.einsum", "x.sum", "@"),
    and inside the module-level functions it calls (see `reachable`)."""
    used = set()
    for function in reachable(source, name).values():
        for node in ast.walk(function):
            if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
                used.add("@")
            elif isinstance(node, ast.Call):
                used.add(_dotted(node.func))
            elif isinstance(node, ast.Attribute):
                used.add(_dotted(node))
    return used


def loop_count(source: str, name: str) -> int:
    """for/while loops and comprehension generators inside function `name` and the helpers it
    calls by name (see `reachable`)."""
    kinds = (ast.For, ast.AsyncFor, ast.While, ast.comprehension)
    functions = reachable(source, name).values()
    return sum(isinstance(n, kinds) for f in functions for n in ast.walk(f))


def expect_defined(task: str, source: str, name: str) -> None:
    """Fail with category "rule" unless `name` is a `def` of the module: an alias
    (`matmul_elementwise = matmul_loops`) would dodge every source check."""
    if function_node(source, name) is None:
        fail("rule", task, f"{name} must be defined with `def` at module level")


def _last(dotted: str) -> str:
    return dotted.rstrip("()").rsplit(".", 1)[-1]


def forbid(task: str, source: str, name: str, forbidden) -> None:
    """Fail with category "rule" if function `name` (or a helper it calls) uses a forbidden name."""
    expect_defined(task, source, name)
    bad = sorted({_last(d) for d in names_used(source, name)} & set(forbidden))
    if bad:
        fail("rule", task, f"{name} must not use {', '.join(bad)} (lesson rule)")


def forbid_traced(task: str, torch_calls: set[str], forbidden) -> None:
    """Fail with category "rule" if the traced run used a forbidden torch function."""
    bad = sorted(set(torch_calls) & set(forbidden))
    if bad:
        fail("rule", task, f"{task} called torch's {', '.join(bad)} at run time (lesson rule)")
