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


# ---- escape hatches: forbidden anywhere in a graded module ------------------------------------
# The module runs in the same process as the code that observes it (executor, probes, the
# run-time trace). These are the ways it could reach or switch off that code, or leave the box's
# accounting; none is needed by any lesson. Imports are allowed by name (everything else is
# refused), so a helper file beside the module cannot smuggle one in either.

ALLOWED_IMPORTS = frozenset(
    "__future__ abc bisect cmath collections contextlib copy dataclasses decimal difflib enum "
    "fractions functools heapq itertools math numbers operator random re statistics string "
    "textwrap time typing warnings weakref torch courselib matplotlib".split()
)
FORBIDDEN_TORCH = (
    "torch._C torch._ops torch.ops torch.library torch.overrides torch.utils.cpp_extension "
    "torch._dynamo torch.multiprocessing torch.jit torch.compile torch.export torch.fx"
).split()
FORBIDDEN_CALLS = frozenset(
    "eval exec compile __import__ globals locals vars breakpoint input memoryview".split()
)
DYNAMIC = frozenset("getattr setattr delattr hasattr".split())
# attributes that lead to frames, code, module globals or the interpreter's object graph
FORBIDDEN_ATTRS = frozenset(
    "__globals__ __code__ __closure__ __builtins__ __subclasses__ __bases__ __base__ __mro__ "
    "__getattribute__ __setattr__ __delattr__ __reduce__ __reduce_ex__ __traceback__ __self__ "
    "__func__ __wrapped__ __defaults__ __kwdefaults__ __import__ __loader__ __spec__ __dict__ "
    "__class__ __init_subclass__ __set_name__ tb_frame tb_next f_back f_globals f_locals "
    "f_builtins f_code gi_frame gi_code cr_frame ag_frame co_code _getframe".split()
)
# reads of these are harmless and common (type(self).__name__, self.__dict__.get, super()...)
READ_ONLY_OK = frozenset("__class__ __dict__".split())
SYS_OK = frozenset("float_info maxsize version_info stdout stderr".split())
DYNAMIC_ATTRIBUTES = "dynamic attributes"  # a lesson's ALLOW: getattr/setattr(self, name) ...


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _import_problem(name: str) -> str | None:
    top = name.split(".")[0]
    if top not in ALLOWED_IMPORTS:
        return f"imports {name}"
    if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_TORCH):
        return f"imports {name}"
    return None


class _Hatches(ast.NodeVisitor):
    def __init__(self, allow: tuple[str, ...]):
        self.allow, self.found, self.imported = set(allow), [], set()

    def add(self, node: ast.AST, what: str) -> None:
        self.found.append((getattr(node, "lineno", 0), what))

    def visit_Import(self, node):
        for alias in node.names:
            problem = _import_problem(alias.name)
            if problem:
                self.add(node, problem)
            self.imported.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node):
        module = "." * node.level + (node.module or "")
        if node.level:
            self.add(node, f"imports {module} (a relative import)")
        for alias in node.names:
            full = f"{node.module}.{alias.name}" if node.module else alias.name
            problem = _import_problem(node.module or "") or _import_problem(full)
            if problem and not node.level:
                self.add(node, problem)
            self.imported.add(alias.asname or alias.name)

    def visit_Name(self, node):
        if node.id in ("__builtins__", "__main__", "__import__", "__loader__", "__spec__"):
            self.add(node, f"uses {node.id}")
        self.generic_visit(node)

    def visit_Attribute(self, node):
        dotted = _dotted(node)
        if any(dotted == f or dotted.startswith(f + ".") for f in FORBIDDEN_TORCH):
            self.add(node, f"uses {dotted}")
        elif node.attr in FORBIDDEN_ATTRS:
            reading = isinstance(node.ctx, ast.Load) and node.attr in READ_ONLY_OK
            reading = reading and _root(node) not in self.imported  # torch.__dict__[...] = f
            on_super = isinstance(node.value, ast.Call) and _dotted(node.value) == "super()"
            if not reading and not (on_super and node.attr in ("__setattr__", "__delattr__")):
                self.add(node, f"uses .{node.attr}")
        elif _root(node) == "sys" and dotted.split(".")[1] not in SYS_OK:
            self.add(node, f"uses {dotted}")
        elif node.attr.startswith("_") and not node.attr.startswith("__"):
            root = _root(node)
            if root in self.imported:
                self.add(node, f"uses the private {dotted}")
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root(node) in self.imported:
            self.add(node, f"replaces {dotted}, which belongs to an imported module")
        self.generic_visit(node)

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in FORBIDDEN_CALLS:
            self.add(node, f"calls {name}()")
        elif name in DYNAMIC and len(node.args) >= 2:
            attr = node.args[1]
            constant = isinstance(attr, ast.Constant) and isinstance(attr.value, str)
            on_module = _root(node.args[0]) in self.imported
            if constant and (
                attr.value in FORBIDDEN_ATTRS - READ_ONLY_OK
                or (on_module and attr.value.startswith("_"))
                or (on_module and f"torch.{attr.value}" in FORBIDDEN_TORCH)
            ):
                self.add(node, f"calls {name}() on {attr.value!r}")
            elif not constant and DYNAMIC_ATTRIBUTES not in self.allow:
                self.add(node, f"calls {name}() with a computed attribute name")
            elif name in ("setattr", "delattr"):
                target = node.args[0]
                if not (isinstance(target, ast.Name) and target.id == "self"):
                    self.add(node, f"calls {name}() on something other than self")
        self.generic_visit(node)


def escape_hatches(source: str, allow: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """[(line, what)] of every escape hatch in a module's source; [] when there is none or
    the source does not parse (the import then reports the syntax error)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    visitor = _Hatches(allow)
    for node in ast.walk(tree):  # imports first, wherever they are: names used before them count
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            visitor.visit(node)
    visitor.found = []
    visitor.visit(tree)
    return sorted(set(visitor.found))


def refusal(module_file: str, source: str, allow: tuple[str, ...] = ()) -> str | None:
    """The one-line reason a module is refused before it is imported, or None."""
    found = escape_hatches(source, allow)
    if not found:
        return None
    line, what = found[0]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return (
        f"{module_file} line {line} {what}{more}: graded modules may not use this "
        "(see the README's list of what a module may import and call)"
    )
