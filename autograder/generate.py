"""Build the student release (`assignments/`) and the reference (`solutions/`) from `source/`.

    source/<lesson>/<module>.py        solution regions: `### BEGIN SOLUTION` ... `### END SOLUTION`
    source/<lesson>/<lesson>.ipynb     nbgrader notebook, regions marked the same way
    source/<lesson>/test_<module>.py   visible tests, copied as they are
    anything else                      copied as it is

Stub (assignments): each region becomes `raise NotImplementedError("<function>")` at the marker's
indentation; signatures and docstrings stay. Solution: the marker lines are dropped. Notebooks go
through nbgrader's own preprocessors (as `nbgrader generate_assignment` does), outputs cleared.

    python -m autograder.generate [--check] [--out DIR] {assignments,solutions} ...
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MARKERS = ("### BEGIN", "### END")  # any nbgrader marker left over is a leak
SKIP = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)")
_CLASS = re.compile(r"^(\s*)class\s+(\w+)")


class MarkerError(ValueError):
    """Unbalanced, nested or misplaced solution markers; the message names file and line."""


def _regions(lines: list[str], where: str) -> list[tuple[int, int]]:
    """(begin, end) line indices of each solution region, checked for balance and nesting."""
    regions, start = [], None
    for i, line in enumerate(lines):
        text = line.strip()
        if text == BEGIN:
            if start is not None:
                raise MarkerError(f"{where}:{i + 1}: nested {BEGIN} (region opened at {start + 1})")
            start = i
        elif text == END:
            if start is None:
                raise MarkerError(f"{where}:{i + 1}: {END} without a matching {BEGIN}")
            regions.append((start, i))
            start = None
        elif text.startswith(MARKERS):
            raise MarkerError(f"{where}:{i + 1}: unknown marker {text!r}")
    if start is not None:
        raise MarkerError(f"{where}:{start + 1}: {BEGIN} is never closed")
    return regions


def _enclosing_function(lines: list[str], begin: int) -> str | None:
    """The qualified name of the function around line `begin`: "f" or "Class.method"."""
    indent = len(lines[begin]) - len(lines[begin].lstrip())
    for i in range(begin - 1, -1, -1):
        m = _DEF.match(lines[i])
        if m and len(m.group(1)) < indent:
            for line in reversed(lines[:i]):
                c = _CLASS.match(line)
                if c and len(c.group(1)) < len(m.group(1)):
                    return f"{c.group(2)}.{m.group(2)}"
            return m.group(2)
    return None


def stub_source(text: str, where: str, require_function: bool = True) -> str:
    """Replace every solution region by `raise NotImplementedError("<function>")`."""
    lines = text.splitlines(keepends=True)
    out, last = [], 0
    for begin, end in _regions(lines, where):
        func = _enclosing_function(lines, begin)
        if func is None and require_function:
            raise MarkerError(f"{where}:{begin + 1}: a solution region must sit inside a function")
        indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
        out += lines[last:begin]
        out.append(f'{indent}raise NotImplementedError("{func}")\n' if func else "")
        last = end + 1
    return "".join(out + lines[last:])


def solution_source(text: str, where: str) -> str:
    """Drop the marker lines, keep the solution."""
    lines = text.splitlines(keepends=True)
    drop = {i for region in _regions(lines, where) for i in region}
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def _notebook(src: Path, kind: str) -> str:
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:  # validate markers first, so errors name the cell
        _regions(cell.source.splitlines(), f"{src}[cell {cell.get('id', '?')}]")
    if kind == "solutions":
        for cell in nb.cells:
            cell.source = solution_source(cell.source, str(src))
        steps = [ClearOutput]
    else:
        steps = [ClearSolutions, ClearOutput, ClearHiddenTests, ClearMarkScheme, LockCells]
        steps.append(ComputeChecksums)
    resources: dict = {}
    for step in steps:
        nb, resources = step().preprocess(nb, resources)
    return nbformat.writes(nb) + "\n"


def render(src: Path, kind: str) -> str | bytes:
    """The generated content of one source file for `kind` ('assignments' or 'solutions')."""
    if src.suffix == ".ipynb":
        return _notebook(src, kind)
    if src.suffix == ".py":
        text = src.read_text()
        if src.name.startswith("test_"):
            _regions(text.splitlines(), str(src))  # visible tests hold no solutions
            if BEGIN in text:
                raise MarkerError(f"{src}: visible tests must not contain solution regions")
            return text
        return (
            stub_source(text, str(src))
            if kind == "assignments"
            else solution_source(text, str(src))
        )
    return src.read_bytes()


def build(kind: str, out: Path, source: Path = ROOT / "source") -> list[Path]:
    """Write the `kind` tree for every lesson under `source` into `out` (replaced whole)."""
    if out.exists():
        shutil.rmtree(out)
    written = []
    for src in sorted(source.rglob("*")):
        rel = src.relative_to(source)
        if src.is_dir() or SKIP.intersection(rel.parts):
            continue
        dst = out / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        content = render(src, kind)
        (dst.write_bytes if isinstance(content, bytes) else dst.write_text)(content)
        written.append(dst)
    return written


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on either side included)."""
    cmp = filecmp.dircmp(a, b, ignore=list(SKIP))
    diffs = [f"only in {a.name}: {n}" for n in cmp.left_only]
    diffs += [f"only in {b.name}: {n}" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    diffs += [f"differs: {n}" for n in mismatch + errors]
    for sub in cmp.common_dirs:
        diffs += [f"{sub}/{d}" for d in differences(a / sub, b / sub)]
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.generate", description=__doc__)
    parser.add_argument("kinds", nargs="+", choices=["assignments", "solutions"])
    parser.add_argument("--check", action="store_true", help="compare with the committed trees")
    args = parser.parse_args(argv)
    status = 0
    for kind in args.kinds:
        try:
            if args.check:
                with tempfile.TemporaryDirectory() as tmp:
                    build(kind, Path(tmp) / kind)
                    diffs = differences(ROOT / kind, Path(tmp) / kind)
                if diffs:
                    print(f"{kind}/ is out of date with source/ (run `make {kind}`):")
                    print("\n".join(f"  {d}" for d in diffs))
                    status = 1
            else:
                n = len(build(kind, ROOT / kind))
                print(f"{kind}/: {n} files generated from source/")
        except MarkerError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
