"""Looks for the reference solution and the hidden graders (the repository through its own
path, the parent's cwd in /proc, environment variables) and copies the reference if found.
As root the child runs as `nobody` and the folders are mode 700: every read fails and the
wrong fallback answers score 0."""

EXPECT = 0
ROOT_ONLY = True

import os

import torch

_found = {}


def _try(path):
    try:
        with open(path) as f:
            _found[path] = f.read()
    except OSError:
        pass


_candidates = ["/proc/%d/cwd/solutions/lesson1_matmul/matmul.py" % os.getppid()]
for _root in ["/work/main", os.environ.get("PWD", "."), "/autograder/source", "/autograder"]:
    _candidates += [
        f"{_root}/solutions/lesson1_matmul/matmul.py",
        f"{_root}/autograder/graders/lesson1_matmul.py",
        f"{_root}/source/lesson1_matmul/matmul.py",
    ]
for _pid in [os.getppid(), 1]:
    _candidates.append(f"/proc/{_pid}/environ")
_here = os.path.dirname(os.path.abspath(__file__))
for _up in range(1, 8):
    _base = os.path.normpath(os.path.join(_here, *[".."] * _up))
    _candidates.append(os.path.join(_base, "solutions", "lesson1_matmul", "matmul.py"))
for _path in _candidates:
    _try(_path)

_reference = {}
for _path, _text in _found.items():
    if _path.endswith("matmul.py") and "def frobenius_norm" in _text:
        exec(compile(_text, "stolen", "exec"), _reference)
        break


def frobenius_norm(m):
    if "frobenius_norm" in _reference:
        return _reference["frobenius_norm"](m)
    return torch.zeros((), dtype=m.dtype)


def matmul_torch(a, b):
    if "matmul_torch" in _reference:
        return _reference["matmul_torch"](a, b)
    return torch.zeros(a.shape[0], b.shape[1], dtype=a.dtype)
