"""The judge's side of the sandbox: a child process per submission and lesson, under limits.

    box = Sandbox(Path("submitted/alice/lesson1_matmul"), "matmul", probes_file=None)
    student = Remote(box)
    student.matmul_loops(a, b)          # runs in the child, returns its (checked) result

The child (`executor.py`, copied into a fresh directory) imports the student's module. Limits:
a wall-clock timeout per call and a budget per lesson, an address-space cap, a file-size cap,
no core dumps, a capped capture of what it prints; as root it runs as a fresh unprivileged uid
(one per sandbox) and cannot read the solutions, the graders or another sandbox. A crash, hang or exit is reported as an exception here, the child
is restarted for the next call, and a module that fails to import fails every call at once.
"""

from __future__ import annotations

import builtins
import io
import os
import resource
import secrets
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import torch

from courselib.checks import NoAnswer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADER = struct.Struct(">Q")

CALL_TIMEOUT_S = 10.0
IMPORT_TIMEOUT_S = 15.0  # torch's import takes ~1.5 s here, ~5 s on a loaded machine
MEMORY_BYTES = 4 << 30  # address space; torch's import alone maps well under 1 GiB
FILE_BYTES = 64 << 20
OUTPUT_KEEP = 32 << 10  # bytes of the child's stdout/stderr kept for the report
REPLY_MAX = 1 << 30
COPY_MAX = 20 << 20  # a submission's lesson folder larger than this is not copied whole

# Paths the child must not read when the judge can drop it to another user.
SECRETS = ("solutions", "source", "autograder", "tests", ".git", "examples")


# ---- what a call can end in, besides a value ----------------------------------------------


class SandboxFailure(NoAnswer):
    """The child could not answer: `category` is a courselib.checks category."""

    category = "crash"


class ModuleMissing(SandboxFailure):
    category = "missing"


class ImportFailed(SandboxFailure):
    category = "import"


class SandboxCrash(SandboxFailure):
    category = "crash"


class SandboxTimeout(SandboxFailure):
    category = "timeout"


class Unserializable(SandboxFailure):
    category = "type"


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
        cls = type(f"Student{type_name}", bases, {"type_name": type_name})
        _raised_types[type_name] = cls
    try:
        exc = cls(message)
    except TypeError:  # builtins with special constructors (UnicodeError ...)
        exc = StudentRaised(message)
        exc.type_name = type_name
    exc.where = where
    return exc


# ---- privileges ------------------------------------------------------------------------------


SANDBOX_IDS = (1 << 20, 1 << 30)  # uids/gids no account uses: one drawn per sandbox


def _sandbox_user() -> tuple[int, int] | None:
    """As root: a fresh (uid, gid) for one sandbox, shared with no account and no other
    sandbox, so one student's code can neither read nor signal another's while both are graded
    (and RLIMIT_NPROC counts that sandbox alone). Not as root: None (run as the caller)."""
    if os.geteuid() != 0:
        return None
    uid = secrets.randbelow(SANDBOX_IDS[1] - SANDBOX_IDS[0]) + SANDBOX_IDS[0]
    return uid, uid


def _reachable_interpreter() -> None:
    """Let unprivileged sandboxes traverse to the interpreter and its libraries: a pyenv Python lives under
    /root (mode 700). Only the search bit (o+x) is added, only where it is missing; nothing
    becomes listable or readable that was not."""
    for target in {Path(sys.executable).resolve(), Path(sys.base_prefix).resolve(), ROOT}:
        for folder in [target, *target.parents] if target.is_dir() else target.parents:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)


def protect_secrets(extra: tuple[Path, ...] = ()) -> bool:
    """As root: make the secret folders unreadable to other users (git ignores folder modes)
    and the interpreter reachable for the unprivileged child. Returns whether the child will run
    unprivileged (and so cannot read the secrets)."""
    if os.geteuid() != 0:
        return False
    _reachable_interpreter()
    for path in [ROOT / p for p in SECRETS] + list(extra):
        if path.is_dir():
            path.chmod(0o700)
    return True


def _limits(memory_bytes: int, drop: tuple[int, int] | None):
    def apply():  # runs in the child between fork and exec
        os.setsid()  # own process group: a timeout kills everything it started
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if drop is not None:
            uid, gid = drop
            resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

    return apply


# ---- the sandbox -----------------------------------------------------------------------------


class Sandbox:
    """One child process running `<lesson_dir>/<module>.py`, restarted after a crash."""

    def __init__(
        self,
        lesson_dir: Path,
        module: str,
        probes_file: Path | None = None,
        *,
        call_timeout: float = CALL_TIMEOUT_S,
        import_timeout: float = IMPORT_TIMEOUT_S,
        budget_s: float | None = None,
        memory_bytes: int = MEMORY_BYTES,
        trusted: bool = False,
    ):
        self.lesson_dir, self.module, self.probes_file = Path(lesson_dir), module, probes_file
        self.call_timeout, self.import_timeout = call_timeout, import_timeout
        self.deadline = time.monotonic() + budget_s if budget_s else None
        self.memory_bytes = memory_bytes
        self.drop = None if trusted else _sandbox_user()
        self.proc: subprocess.Popen | None = None
        self.broken: SandboxFailure | None = None  # set when the module cannot be imported
        self.output = bytearray()
        self.output_total = 0
        self.workdir: Path | None = None
        self.staged = 0

    # -- lifecycle --

    def _prepare(self) -> tuple[Path, Path | None]:
        """A fresh directory: the executor, the course library, the probes, the lesson folder."""
        source = self.lesson_dir / f"{self.module}.py"
        if not source.is_file():
            rel = f"{self.lesson_dir.name}/{self.module}.py"
            raise ModuleMissing(f"{rel} was not found in the submission")
        base = Path(tempfile.gettempdir()) / "autograder-sandboxes"
        base.mkdir(mode=0o711, exist_ok=True)
        self.workdir = Path(tempfile.mkdtemp(prefix="box-", dir=base))
        shutil.copy(HERE / "executor.py", self.workdir / "_executor.py")
        shutil.copytree(
            ROOT / "courselib",
            self.workdir / "courselib",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        lesson = self.workdir / self.lesson_dir.name
        lesson.mkdir()
        used = 0
        for f in sorted(self.lesson_dir.iterdir()):
            if f.is_file() and not f.is_symlink() and used + f.stat().st_size <= COPY_MAX:
                shutil.copy(f, lesson / f.name)
                used += f.stat().st_size
        probes = None
        if self.probes_file is not None:
            probes = self.workdir / "_probes.py"
            shutil.copy(self.probes_file, probes)
        if self.drop is not None:
            for p in [self.workdir, *self.workdir.rglob("*")]:
                os.chown(p, *self.drop)
        return lesson, probes

    def start(self) -> None:
        if self.broken is not None:
            raise self.broken
        self.close()
        try:
            lesson, probes = self._prepare()
        except ModuleMissing as e:
            self.broken = e
            raise
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        cmd = [sys.executable, "-I", "-u", str(self.workdir / "_executor.py"), str(req_r)]
        cmd += [str(rep_w), str(lesson), self.module] + ([str(probes)] if probes else [])
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MPLBACKEND": "Agg",
        }
        for key in ("CUDA_VISIBLE_DEVICES", "COURSE_SMALL"):
            if key in os.environ:
                env[key] = os.environ[key]
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out_w,
            stderr=out_w,
            pass_fds=(req_r, rep_w),
            cwd=self.workdir,
            env=env,
            preexec_fn=_limits(self.memory_bytes, self.drop),
        )
        for fd in (req_r, rep_w, out_w):
            os.close(fd)
        self._req, self._rep = req_w, rep_r
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
            msg = f"{self.module}.py failed to import: {reply['type']}: {reply['message']}"
            self.broken = ImportFailed(msg + (f" ({reply['where']})" if reply.get("where") else ""))
            self.close()
            raise self.broken

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as f:
            while chunk := f.read(65536):
                self.output_total += len(chunk)
                if len(self.output) < OUTPUT_KEEP:
                    self.output += chunk[: OUTPUT_KEEP - len(self.output)]

    def close(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            for fd in (self._req, self._rep):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.proc = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    # -- messages --

    def _remaining(self) -> float:
        if self.deadline is None:
            return float("inf")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SandboxTimeout("the lesson's time budget is used up")
        return left

    def _send(self, message: dict) -> None:
        buf = io.BytesIO()
        torch.save(message, buf)
        data = memoryview(HEADER.pack(buf.tell()) + buf.getvalue())
        try:
            while data:
                data = data[os.write(self._req, data) :]
        except (BrokenPipeError, OSError):
            pass  # the child is gone; _receive reports how

    def _read(self, n: int, until: float, doing: str) -> bytes:
        chunks = []
        while n:
            left = until - time.monotonic()
            if left <= 0 or not select.select([self._rep], [], [], left)[0]:
                self.close()
                raise SandboxTimeout(f"no answer within {self._limit:.0f} s while {doing}")
            chunk = os.read(self._rep, min(n, 1 << 20))
            if not chunk:
                code = self.proc.wait()
                self.close()
                how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
                raise SandboxCrash(f"the process running the code ended ({how}) while {doing}")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _receive(self, timeout: float, doing: str) -> dict:
        self._limit = timeout
        until = time.monotonic() + timeout
        (size,) = HEADER.unpack(self._read(HEADER.size, until, doing))
        if size > REPLY_MAX:
            self.close()
            raise SandboxCrash(f"the answer was too large ({size} bytes) while {doing}")
        payload = self._read(size, until, doing)
        try:
            return torch.load(io.BytesIO(payload), weights_only=True)
        except Exception as e:  # a forged or corrupted answer
            self.close()
            raise SandboxCrash(f"the answer could not be read while {doing}: {type(e).__name__}")

    def request(self, message: dict, timeout: float | None = None, doing: str = "") -> dict:
        """Send one request and wait for its reply; restarts the child if it is not running."""
        if self.proc is None:
            self.start()
        limit = min(timeout or self.call_timeout, self._remaining())
        self._send(message)
        reply = self._receive(limit, doing or f"running {message.get('name')}")
        if reply.get("ok"):
            return reply
        if reply["kind"] == "unserializable":
            raise Unserializable(f"returned a {reply['type']}, which the grader cannot check")
        raise _raised(reply["type"], reply["message"], reply.get("where", ""))

    def timed(self, message: dict, timeout: float) -> tuple[float, dict]:
        """(seconds by the judge's clock, reply) for one request."""
        if self.proc is None:
            self.start()
        start = time.perf_counter()
        reply = self.request(message, timeout)
        return time.perf_counter() - start, reply

    def stage(self, args: tuple, kwargs: dict | None = None) -> str:
        """Keep inputs in the child so timed calls do not pay for sending them."""
        self.staged += 1
        key = f"s{self.staged}"
        self.request({"op": "stage", "key": key, "args": tuple(args), "kwargs": kwargs or {}})
        return key


class Remote:
    """The student's (or the reference's) module as the graders see it."""

    def __init__(self, box: Sandbox, timeout: float | None = None):
        self._box, self._timeout = box, timeout

    @property
    def source(self) -> str:
        path = self._box.lesson_dir / f"{self._box.module}.py"
        return path.read_text(errors="replace") if path.is_file() else ""

    @property
    def output(self) -> str:
        """What the student's code printed so far (the first 32 KiB)."""
        return self._box.output.decode(errors="replace")

    def with_timeout(self, seconds: float) -> "Remote":
        return Remote(self._box, seconds)

    def _call(self, op: str, name: str, args, kwargs, trace: bool = False):
        message = {"op": op, "name": name, "args": tuple(args), "kwargs": kwargs, "trace": trace}
        reply = self._box.request(message, self._timeout)
        return (reply["value"], set(reply["torch_calls"] or ())) if trace else reply["value"]

    def call(self, name: str, *args, **kwargs):
        return self._call("call", name, args, kwargs)

    def probe(self, name: str, *args, **kwargs):
        return self._call("probe", name, args, kwargs)

    def traced(self, name: str, *args, **kwargs):
        """(result, names of the torch functions the call used)."""
        return self._call("call", name, args, kwargs, trace=True)

    def traced_probe(self, name: str, *args, **kwargs):
        return self._call("probe", name, args, kwargs, trace=True)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)
