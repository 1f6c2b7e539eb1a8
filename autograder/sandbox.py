"""The judge's side of the sandbox: a child process per submission and lesson, in a box.

    sandbox = Sandbox(Path("submitted/alice/lesson1_matmul"), "matmul", probes_file=None)
    student = Remote(sandbox)
    student.matmul_loops(a, b)          # runs in the child, returns its value (decoded here)

Steps of a (re)start: stage a fresh folder (executor, wire format, course library, probes, the
student's regular files) -> open a box on it (box.py: bubblewrap namespaces, control group,
unprivileged uid) -> start the executor -> wait for "ready" (the module imported). Each call:
write the request (never blocking past the call's time limit) -> read the reply (size-capped,
decoded by wire.py: bounded work, no pickle). A crash, hang or exit ends that call with a
SandboxFailure, the box is closed (every process in it killed) and the next call starts a new
one; a module that fails to import, or that the rules refuse, fails every call at once.
"""

from __future__ import annotations

import builtins
import os
import re
import select
import shutil
import signal
import stat
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path

from autograder import wire
from autograder.box import MEMORY_BYTES, Box
from courselib import records
from courselib.checks import NoAnswer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADER = struct.Struct(">Q")

CALL_TIMEOUT_S = 10.0
IMPORT_TIMEOUT_S = 15.0  # torch's import takes ~1.5 s here, ~5 s on a loaded machine
OUTPUT_KEEP = 32 << 10  # bytes of the child's stdout/stderr kept for the report
REPLY_MAX = 1 << 30  # bytes of one reply (tensors included)
MESSAGE_KEEP = 300  # characters of a student's exception message kept for the report
COPY_MAX = 20 << 20  # bytes of a lesson folder copied into the box
COPY_FILES = 200  # files of a lesson folder copied into the box

# Paths an unprivileged child must not read when there is no bubblewrap to hide them.
SECRETS = ("solutions", "source", "autograder", "tests", ".git", "examples", "build")


# ---- what a call can end in, besides a value ----------------------------------------------


class SandboxFailure(NoAnswer):
    """The child could not answer: `category` is a courselib.checks category."""

    category = "crash"


class ModuleMissing(SandboxFailure):
    category = "missing"


class ImportFailed(SandboxFailure):
    category = "import"


class Refused(SandboxFailure):
    """The rules refuse the module (an escape hatch): it is never imported."""

    category = "rule"


class SandboxCrash(SandboxFailure):
    category = "crash"


class SandboxTimeout(SandboxFailure):
    category = "timeout"


class Unserializable(SandboxFailure):
    category = "type"


class ReferenceFailed(RuntimeError):
    """The trusted reference could not answer: a fault of the grading machine or the graders,
    reported as such (never as the student's crash or timeout)."""


class StudentRaised(Exception):
    """An exception raised by student code. Builtin types come back as subclasses of both
    this and the builtin (so `pytest.raises(ValueError)` works); others as this, with
    `type_name`."""

    type_name = "Exception"
    where = ""


_raised_types: dict[str, type] = {}


def _raised(type_name: str, message: str, where: str) -> StudentRaised:
    base = getattr(builtins, type_name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)) or base is StopIteration:
        base = None
    cls = _raised_types.get(type_name)
    if cls is None:
        bases = (StudentRaised, base) if base is not None else (StudentRaised,)
        cls = type(type_name, bases, {"type_name": type_name})
        _raised_types[type_name] = cls
    try:
        exc = cls(message)
    except TypeError:  # builtins with special constructors (UnicodeError ...)
        exc = StudentRaised(message)
        exc.type_name = type_name
    exc.where = where
    return exc


def clean(text, limit: int) -> str:
    """Student-controlled text made safe for a report: one line, printable, at most `limit`
    characters, with the sandbox's own paths removed."""
    if not isinstance(text, str):
        return ""
    text = " ".join(text.split())
    text = re.sub(r"(/[\w.+-]+)*/(box-|autograder-sandboxes|box/)[^\s'\"]*", "<sandbox>", text)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---- secrets, where there is no bubblewrap --------------------------------------------------


def protect_secrets(extra: tuple[Path, ...] = ()) -> bool:
    """As root: make the secret folders unreadable to other users (git ignores folder modes)
    and the interpreter reachable for unprivileged boxes. Returns whether boxes run
    unprivileged. (With bubblewrap the box sees none of these folders anyway.)"""
    if os.geteuid() != 0:
        return False
    from autograder.box import interpreter_paths, reachable

    reachable(interpreter_paths())
    for path in [ROOT / p for p in SECRETS] + list(extra):
        if path.is_dir():
            path.chmod(0o700)
    return True


# ---- staging ---------------------------------------------------------------------------------


def _copy_lesson(source: Path, target: Path, module_file: str) -> None:
    """The module, then the lesson folder's other regular files (no links, no sub-folders),
    smallest first, within COPY_MAX bytes and COPY_FILES files."""
    target.mkdir()
    shutil.copyfile(source / module_file, target / module_file, follow_symlinks=False)
    entries = []
    for entry in os.scandir(source):
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(st.st_mode) and entry.name != module_file:
            entries.append((st.st_size, entry.name))
    used = (target / module_file).stat().st_size
    for size, name in sorted(entries)[: COPY_FILES - 1]:
        if used + size > COPY_MAX:
            break
        shutil.copyfile(source / name, target / name, follow_symlinks=False)
        used += size


# ---- the sandbox -----------------------------------------------------------------------------


class Sandbox:
    """One child process running `<lesson_dir>/<module>.py` in a box, restarted after a crash."""

    def __init__(
        self,
        lesson_dir: Path,
        module: str,
        probes_file: Path | None = None,
        *,
        call_timeout: float = CALL_TIMEOUT_S,
        import_timeout: float = IMPORT_TIMEOUT_S,
        budget_s: float | None = None,
        trusted: bool = False,
        refused: str | None = None,
        memory_bytes: int = MEMORY_BYTES,
    ):
        self.lesson_dir, self.module, self.probes_file = Path(lesson_dir), module, probes_file
        self.call_timeout, self.import_timeout = call_timeout, import_timeout
        self.deadline = time.monotonic() + budget_s if budget_s else None
        self.trusted, self.memory_bytes = trusted, memory_bytes
        self.box: Box | None = None
        self.proc = None
        self.broken: SandboxFailure | None = Refused(refused) if refused else None
        self.output = bytearray()
        self.workdir: Path | None = None
        self._limit = call_timeout

    # -- lifecycle --

    def _prepare(self) -> Path:
        """A fresh folder: the executor, the wire format, the course library, the probes and
        the student's lesson files. Only the judge writes it; the box sees it read-only."""
        source = self.lesson_dir / f"{self.module}.py"
        rel = f"{self.lesson_dir.name}/{self.module}.py"
        if self.lesson_dir.is_symlink() or source.is_symlink():
            link = self.lesson_dir.name if self.lesson_dir.is_symlink() else rel
            raise ModuleMissing(f"{link} is a symbolic link, which is not graded")
        if not source.is_file():
            raise ModuleMissing(f"{rel} was not found in the submission")
        base = Path(tempfile.gettempdir()) / "autograder-sandboxes"
        base.mkdir(mode=0o711, exist_ok=True)
        self.workdir = Path(tempfile.mkdtemp(prefix="box-", dir=base))
        shutil.copy(HERE / "executor.py", self.workdir / "_executor.py")
        shutil.copy(HERE / "wire.py", self.workdir / "_wire.py")
        shutil.copytree(
            ROOT / "courselib", self.workdir / "courselib", ignore=shutil.ignore_patterns("__py*")
        )
        _copy_lesson(self.lesson_dir, self.workdir / self.lesson_dir.name, f"{self.module}.py")
        if self.probes_file is not None:
            shutil.copy(self.probes_file, self.workdir / "_probes.py")
        for p in [self.workdir, *self.workdir.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        return self.workdir

    def start(self) -> None:
        if self.broken is not None:
            raise self.broken
        self.close()
        try:
            files = self._prepare()
        except ModuleMissing as e:
            self.broken = e
            raise
        self.box = Box.open(files.name, files, trusted=self.trusted, memory_bytes=self.memory_bytes)
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        lesson = self.box.inside(self.lesson_dir.name)
        cmd = [sys.executable, "-I", "-u", self.box.inside("_executor.py"), str(req_r)]
        cmd += [str(rep_w), lesson, self.module]
        cmd += [self.box.inside("_probes.py")] if self.probes_file is not None else []
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp" if self.box.kind == "bwrap" else str(files),
            "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MPLBACKEND": "Agg",
        }
        for key in ("CUDA_VISIBLE_DEVICES", "COURSE_SMALL", "LD_LIBRARY_PATH"):
            if key in os.environ:
                env[key] = os.environ[key]
        self.proc = self.box.popen(
            cmd, pass_fds=(req_r, rep_w), stdout=out_w, env=env, cwd=self.box.inside()
        )
        for fd in (req_r, rep_w, out_w):
            os.close(fd)
        self._req, self._rep = req_w, rep_r
        os.set_blocking(self._req, False)
        threading.Thread(target=self._drain, args=(out_r,), daemon=True).start()
        limit = min(self.import_timeout, self._remaining())
        try:
            reply = self._receive(limit, "importing")
        except SandboxFailure as e:
            self.close()
            if isinstance(e, SandboxTimeout) and limit < self.import_timeout:
                raise SandboxTimeout("the lesson's time budget is used up") from None
            self.broken = type(e)(f"{e} {self.module}.py")
            raise self.broken from None
        if not reply.get("ok"):
            kind, message = clean(reply.get("type"), 60), clean(reply.get("message"), 160)
            where = clean(reply.get("where"), 80)
            text = f"{self.module}.py failed to import: {kind}: {message}"
            self.broken = ImportFailed(text + (f" ({where})" if where else ""))
            self.close()
            raise self.broken

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as f:
            while chunk := f.read(65536):
                if len(self.output) < OUTPUT_KEEP:
                    self.output += chunk[: OUTPUT_KEEP - len(self.output)]

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
            self.box = None
        if self.proc is not None:
            for fd in (self._req, self._rep):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.proc = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def ensure_started(self) -> None:
        """Start the child if it is not running (a trusted one's failure is ReferenceFailed)."""
        if self.proc is not None:
            return
        try:
            self.start()
        except SandboxFailure as e:
            if not self.trusted:
                raise
            raise ReferenceFailed(f"the reference solution failed: {e}") from None

    def cpu_ns(self) -> int:
        """CPU time of the running box (every process in it), read from the kernel."""
        self.ensure_started()
        return self.box.cpu_ns()

    # -- messages --

    def _remaining(self) -> float:
        if self.deadline is None:
            return float("inf")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SandboxTimeout("the lesson's time budget is used up")
        return left

    def _timeout(self, doing: str) -> SandboxTimeout:
        self.close()
        return SandboxTimeout(f"no answer within {self._limit:.0f} s while {doing}")

    def _send(self, message: dict, until: float, doing: str) -> None:
        """Write one request, never blocking past `until`: a child that stops reading its
        pipe is a timeout, not a stalled judge."""
        data = wire.encode(message)
        view = memoryview(HEADER.pack(len(data)) + data)
        while view:
            left = until - time.monotonic()
            if left <= 0 or not select.select([], [self._req], [], left)[1]:
                raise self._timeout(doing)
            try:
                view = view[os.write(self._req, view[: 1 << 16]) :]
            except BlockingIOError:
                continue
            except OSError:
                return  # the child is gone; _receive reports how

    def _read(self, n: int, until: float, doing: str) -> bytes:
        chunks = []
        while n:
            left = until - time.monotonic()
            if left <= 0 or not select.select([self._rep], [], [], left)[0]:
                raise self._timeout(doing)
            chunk = os.read(self._rep, min(n, 1 << 20))
            if not chunk:
                code = self.proc.wait() if self.proc is not None else -9
                self.close()
                how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
                raise SandboxCrash(f"the process running the code ended ({how}) while {doing}")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _receive(self, timeout: float, doing: str, until: float | None = None) -> dict:
        self._limit = timeout
        until = until if until is not None else time.monotonic() + timeout
        (size,) = HEADER.unpack(self._read(HEADER.size, until, doing))
        if size > REPLY_MAX:
            self.close()
            raise SandboxCrash(f"the answer was too large ({size} bytes) while {doing}")
        payload = self._read(size, until, doing)
        try:  # bounded: no pickle, nothing compressed, work linear in the size (wire.py)
            reply = wire.decode(payload, records.RECORDS.get)
        except wire.WireError as e:  # a forged or corrupted answer
            self.close()
            raise SandboxCrash(f"the answer could not be read while {doing} ({e})") from None
        if not isinstance(reply, dict) or "ok" not in reply:
            self.close()
            raise SandboxCrash(f"the answer could not be read while {doing}")
        return reply

    def request(self, message: dict, timeout: float | None = None, doing: str = "") -> dict:
        """Send one request and wait for its reply; starts the child if it is not running."""
        if not self.trusted:
            return self._request(message, timeout, doing)
        try:
            return self._request(message, timeout, doing)
        except SandboxFailure as e:
            raise ReferenceFailed(f"the reference solution failed: {e}") from None

    def _request(self, message: dict, timeout: float | None, doing: str) -> dict:
        if self.proc is None:
            self.start()
        limit = min(timeout or self.call_timeout, self._remaining())
        doing = doing or "running the code"
        self._limit = limit
        until = time.monotonic() + limit
        self._send(message, until, doing)
        reply = self._receive(limit, doing, until)
        if reply.get("ok"):
            return reply
        if reply.get("kind") == "unserializable":
            what = clean(reply.get("type"), 80)
            raise Unserializable(f"returned a {what}, which the grader cannot check")
        raise _raised(
            clean(reply.get("type"), 60) or "Exception",
            clean(reply.get("message"), MESSAGE_KEEP),
            clean(reply.get("where"), 120),
        )


def _probe_name(probe) -> str:
    """A probe is passed as the function object from autograder/probes/<lesson>.py (or its
    name): the child looks it up by name in its own copy of that file."""
    return probe if isinstance(probe, str) else probe.__name__


class Remote:
    """The student's (or the reference's) module as the graders see it."""

    def __init__(self, sandbox: Sandbox, timeout: float | None = None):
        self._box, self._timeout = sandbox, timeout

    @property
    def source(self) -> str:
        path = self._box.lesson_dir / f"{self._box.module}.py"
        if path.is_symlink() or not path.is_file():
            return ""
        return path.read_text(errors="replace")

    @property
    def output(self) -> str:
        """What the student's code printed so far (the first 32 KiB)."""
        return self._box.output.decode(errors="replace")

    def with_timeout(self, seconds: float) -> "Remote":
        return Remote(self._box, seconds)

    def _request(self, message: dict, doing: str) -> dict:
        return self._box.request(message, self._timeout, doing)

    def _call(self, op: str, name: str, args, kwargs, trace: bool = False, inputs=False):
        message = {"op": op, "name": name, "args": tuple(args), "kwargs": kwargs, "trace": trace}
        message["observe_inputs"] = inputs
        return self._request(message, f"running {name}" if op == "call" else "running the code")

    def call(self, name: str, *args, **kwargs):
        return self._call("call", name, args, kwargs)["value"]

    def probe(self, probe, *args, **kwargs):
        """Run a probe (a function of autograder/probes/<lesson>.py) on the module."""
        return self._call("probe", _probe_name(probe), args, kwargs)["value"]

    def traced(self, name: str, *args, **kwargs):
        """(result, names of the torch functions the call used)."""
        reply = self._call("call", name, args, kwargs, trace=True)
        return reply["value"], set(reply["torch_calls"] or ())

    def traced_probe(self, probe, *args, **kwargs):
        reply = self._call("probe", _probe_name(probe), args, kwargs, trace=True)
        return reply["value"], set(reply["torch_calls"] or ())

    def call_observing_inputs(self, name: str, *args, **kwargs):
        """(result, the positional arguments as they are after the call): for the check that
        inputs are not modified. The call is the same as any other, so the module cannot tell
        it is being watched."""
        reply = self._call("call", name, args, kwargs, inputs=True)
        return reply["value"], tuple(reply.get("inputs") or ())

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)
