"""Looks for the reference solution, the hidden graders and the judge's environment (the
repository's paths, the judge's cwd through /proc, /autograder) and refuses to work if it finds
any: full marks prove that nothing was readable from inside the box."""

EXPECT = "full"

_candidates = []
for _root in ["/work/main", "/autograder/source", "/autograder", "/root", "/home"]:
    _candidates += [
        f"{_root}/solutions/lesson1_matmul/matmul.py",
        f"{_root}/autograder/graders/lesson1_matmul.py",
        f"{_root}/source/lesson1_matmul/matmul.py",
    ]
for _pid in range(1, 64):
    _candidates += [f"/proc/{_pid}/cwd/solutions/lesson1_matmul/matmul.py"]
    _candidates += [f"/proc/{_pid}/cwd/autograder/graders/lesson1_matmul.py"]
for _up in ["..", "../..", "../../..", "../../../.."]:
    _candidates.append(f"{_up}/solutions/lesson1_matmul/matmul.py")
_found = []
for _path in _candidates:
    try:
        with open(_path) as _f:
            _found.append((_path, _f.read(100)))
    except OSError:
        pass
if _found:
    raise RuntimeError(f"found {_found[0][0]}")
