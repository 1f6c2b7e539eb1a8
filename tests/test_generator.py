"""The generator: stubs keep signatures and docstrings, solutions drop only the markers, bad
markers are errors naming file and line, and the committed trees are what source/ produces."""

import ast
from pathlib import Path

import pytest

from autograder.generate import (
    ROOT,
    MarkerError,
    build,
    differences,
    solution_source,
    stub_source,
)

MODULE = '''def f(x):
    """Doc."""
    y = 1
    ### BEGIN SOLUTION
    return x + y
    ### END SOLUTION


class C:
    def g(self):
        ### BEGIN SOLUTION
        return 2
        ### END SOLUTION
'''


def test_stub_replaces_each_region_by_a_named_raise():
    stub = stub_source(MODULE, "m.py")
    assert 'raise NotImplementedError("f")' in stub
    assert 'raise NotImplementedError("C.g")' in stub
    assert "return x + y" not in stub and "return 2" not in stub
    assert '"""Doc."""' in stub and "y = 1" in stub
    ast.parse(stub)


def test_solution_drops_only_the_markers():
    solution = solution_source(MODULE, "m.py")
    assert "###" not in solution
    assert "return x + y" in solution and "return 2" in solution


@pytest.mark.parametrize(
    "text, line, what",
    [
        ("def f():\n    ### BEGIN SOLUTION\n    pass\n", 2, "never closed"),
        ("def f():\n    pass\n    ### END SOLUTION\n", 3, "without a matching"),
        (
            "def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    pass\n",
            3,
            "nested",
        ),
        ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", 1, "inside a function"),
        ("def f():\n    ### BEGIN HIDDEN TESTS\n", 2, "unknown marker"),
    ],
)
def test_bad_markers_name_file_and_line(text, line, what):
    with pytest.raises(MarkerError, match=rf"m\.py:{line}: .*{what}"):
        stub_source(text, "m.py")


@pytest.mark.parametrize("kind", ["assignments", "solutions"])
def test_committed_trees_are_in_sync_with_source(kind, tmp_path):
    build(kind, tmp_path / kind)
    diffs = differences(ROOT / kind, tmp_path / kind)
    assert not diffs, f"{kind}/ differs from what source/ generates; run `make {kind}`: {diffs}"


def _released_files():
    return [p for p in (ROOT / "assignments").rglob("*") if p.is_file()]


def test_no_solution_survives_in_the_release():
    for path in _released_files():
        text = path.read_text(errors="replace")
        assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text, path


def test_release_modules_import_and_raise_not_implemented():
    """Every solution body is gone: each stub function's body is its docstring plus a raise."""
    for lesson in sorted((ROOT / "source").iterdir()):
        for src in lesson.glob("*.py"):
            if src.name.startswith("test_"):
                continue
            stub = (ROOT / "assignments" / lesson.name / src.name).read_text()
            solution = (ROOT / "solutions" / lesson.name / src.name).read_text()
            assert stub != solution
            compile(stub, str(src), "exec")
            assert stub.count("raise NotImplementedError(") == src.read_text().count(
                "### BEGIN SOLUTION"
            )


def test_generated_trees_mirror_source():
    for kind in ("assignments", "solutions"):
        names = {p.relative_to(ROOT / kind) for p in (ROOT / kind).rglob("*") if p.is_file()}
        names = {n for n in names if n.suffix != ".png" and "__pycache__" not in n.parts}
        sources = {
            p.relative_to(ROOT / "source")
            for p in (ROOT / "source").rglob("*")
            if p.is_file() and p.suffix != ".png" and "__pycache__" not in p.parts
        }
        assert names == sources, kind


def test_lesson_folders_follow_the_convention():
    for lesson in sorted((ROOT / "source").iterdir()):
        assert (lesson / f"{lesson.name}.ipynb").exists(), f"{lesson.name}: walk-through notebook"
        assert list(lesson.glob("test_*.py")), f"{lesson.name}: visible tests"
        graders = ROOT / "autograder" / "graders"  # a grader file or a grader package
        assert (graders / f"{lesson.name}.py").exists() or (
            graders / lesson.name / "__init__.py"
        ).exists(), lesson.name


# ---- property: any well-formed module survives the round trip --------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_body = st.lists(
    st.sampled_from(["x = 1", "y = x + 1", "return x", "pass"]), min_size=1, max_size=4
)


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(_body, _body, st.booleans()), min_size=1, max_size=5))
def test_round_trip_property(functions):
    lines = []
    for i, (before, solution, has_region) in enumerate(functions):
        lines.append(f"def f{i}(x):")
        lines += [f"    {s}" for s in before]
        if has_region:
            lines += ["    ### BEGIN SOLUTION"] + [f"    {s}" for s in solution]
            lines += ["    ### END SOLUTION"]
        lines.append("")
    text = "\n".join(lines)
    stub, solution = stub_source(text, "m.py"), solution_source(text, "m.py")
    compile(stub, "stub", "exec")
    compile(solution, "solution", "exec")
    regions = sum(has for *_, has in functions)
    assert stub.count("raise NotImplementedError(") == regions
    assert solution.splitlines() == [ln for ln in text.splitlines() if "### " not in ln]
