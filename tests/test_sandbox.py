"""The sandbox, stage by stage, on tiny modules: values, raised exceptions, crashes, hangs,
exits, output floods, import failures, and what the child can see."""

import os
import textwrap

import pytest
import torch

from autograder import box
from autograder.sandbox import (
    ImportFailed,
    ModuleMissing,
    Remote,
    Sandbox,
    SandboxCrash,
    SandboxTimeout,
    StudentRaised,
    Unserializable,
    protect_secrets,
)


def remote(tmp_path, source, **kw):
    folder = tmp_path / "lesson0_demo"
    folder.mkdir(exist_ok=True)
    (folder / "demo.py").write_text(textwrap.dedent(source))
    box = Sandbox(folder, "demo", call_timeout=kw.pop("call_timeout", 5), **kw)
    return Remote(box), box


MODULE = """
import os, sys, time, torch

def add(a, b):
    return a + b

def bad(x):
    if x < 0:
        raise ValueError(f"x must be >= 0, got {x}")
    raise KeyError("k")

def hang():
    while True:
        pass

def leave(code):
    sys.exit(code)

def hard_exit():
    os._exit(3)

def segfault():
    import faulthandler
    faulthandler._sigsegv()

def native():
    import ctypes
    return ctypes.string_at(0)

def frames():
    try:
        raise ValueError
    except ValueError as e:
        return str(e.__traceback__.tb_frame.f_back.f_globals)

def chatter(n):
    for _ in range(n):
        print("x" * 1000)
    return n

def module():
    return os

def whoami():
    return os.getuid()

def read(path):
    return open(path).read()[:20]
"""


@pytest.fixture
def demo(tmp_path):
    student, box = remote(tmp_path, MODULE)
    yield student
    box.close()


def test_values_round_trip(demo):
    a, b = torch.randn(3, 4, dtype=torch.float64), torch.randn(3, 4, dtype=torch.float64)
    out = demo.add(a, b)
    assert out.dtype == torch.float64 and torch.equal(out, a + b)
    assert demo.add([1], [2]) == [1, 2] and demo.add("a", "b") == "ab"


def test_builtin_exceptions_come_back_as_their_type(demo):
    with pytest.raises(ValueError, match="x must be >= 0, got -1") as err:
        demo.bad(-1)
    assert isinstance(err.value, StudentRaised) and "demo.py line" in err.value.where
    with pytest.raises(KeyError):
        demo.bad(1)


def test_hang_times_out_and_the_next_call_restarts(demo):
    with pytest.raises(SandboxTimeout):
        demo.hang()
    assert demo.add(1, 2) == 3


@pytest.mark.parametrize("call", ["hard_exit", "segfault"])
def test_crash_is_reported_and_survived(demo, call):
    with pytest.raises(SandboxCrash, match="ended"):
        getattr(demo, call)()
    assert demo.add(1, 2) == 3


@pytest.mark.parametrize("call, event", [("native", "ctypes"), ("frames", "object.__getattr__")])
def test_run_time_guard_refuses_native_code_and_frames(demo, call, event):
    """The second layer behind the source rules: even reached by a computed name, native code
    and the frames under the module's own calls are refused while it runs."""
    with pytest.raises(StudentRaised, match=f"the sandbox does not allow {event}"):
        getattr(demo, call)()
    assert demo.add(1, 2) == 3


def test_sys_exit_is_an_ordinary_error(demo):
    with pytest.raises(StudentRaised, match=r"sys.exit\(0\)"):
        demo.leave(0)


def test_output_flood_is_capped(demo):
    assert demo.chatter(5000) == 5000  # 5 MB printed
    assert len(demo.output) <= 32 << 10


def test_unserializable_result(demo):
    with pytest.raises(Unserializable, match="module"):
        demo.module()


def test_missing_module(tmp_path):
    box = Sandbox(tmp_path / "lesson0_demo", "demo")
    with pytest.raises(ModuleMissing, match="lesson0_demo/demo.py was not found"):
        Remote(box).add(1, 2)


@pytest.mark.parametrize(
    "source, match",
    [
        ("def f(:\n", "SyntaxError"),
        ("import sys\nsys.exit(0)\n", "sys.exit"),
        ("raise RuntimeError('boom')\n", "boom"),
    ],
)
def test_import_failures_fail_every_call_at_once(tmp_path, source, match):
    student, box = remote(tmp_path, source)
    for _ in range(2):
        with pytest.raises(ImportFailed, match=match):
            student.f()
    box.close()


def test_infinite_loop_at_import(tmp_path):
    student, box = remote(tmp_path, "while True:\n    pass\n", import_timeout=3)
    with pytest.raises(SandboxTimeout, match="importing"):
        student.f()
    with pytest.raises(SandboxTimeout):  # remembered: no second wait
        student.f()


def test_memory_bomb_is_stopped(tmp_path):
    student, box = remote(
        tmp_path,
        "import torch\ndef bomb():\n    return torch.ones(1 << 40, dtype=torch.uint8).sum()\n",
        memory_bytes=2 << 30,
    )
    with pytest.raises((StudentRaised, SandboxCrash)):
        student.bomb()
    box.close()


def test_lesson_budget(tmp_path):
    student, box = remote(tmp_path, MODULE, budget_s=6.0)
    with pytest.raises(SandboxTimeout):
        student.hang()
    with pytest.raises(SandboxTimeout, match="budget"):
        student.add(1, 2)


def _unreadable():
    """What reading a path outside the box raises: with bubblewrap it does not exist there;
    in the uid fallback it exists but belongs to another user."""
    return FileNotFoundError if box.kind() == "bwrap" else PermissionError


@pytest.mark.skipif(os.geteuid() != 0 and box.kind() != "bwrap", reason="needs bwrap or root")
def test_child_cannot_read_secrets(demo):
    from autograder.lessons import ROOT

    protect_secrets()
    if os.geteuid() == 0:
        assert demo.whoami() != 0
    graders = "autograder/graders/lesson1_matmul/test_values.py"
    for secret in ["solutions/lesson1_matmul/matmul.py", graders]:
        with pytest.raises(_unreadable()):
            demo.read(str(ROOT / secret))


@pytest.mark.skipif(os.geteuid() != 0 and box.kind() != "bwrap", reason="needs bwrap or root")
def test_sandboxes_cannot_reach_each_other(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, box1 = remote(tmp_path / "a", MODULE)
    second, box2 = remote(tmp_path / "b", MODULE)
    first.add(1, 2)
    if os.geteuid() == 0:
        assert first.whoami() != second.whoami()
    with pytest.raises(_unreadable()):
        second.read(str(box1.workdir / "lesson0_demo" / "demo.py"))
    box1.close()
    box2.close()
