"""The child side of the sandbox: imports the student's module and answers the judge's calls.

Runs in its own process inside the box. It is copied into the box with `wire.py` (as
`_executor.py` and `_wire.py`) and started as a script, so it imports nothing from the
repository but those, the probes file and the course library copied beside them.

    python -I _executor.py REQ_FD REP_FD LESSON_DIR MODULE [PROBES_FILE]

Messages both ways: 8-byte big-endian length, then a `wire` message (no pickle).
    request  {"op": "call",   "name", "args", "kwargs", "trace", "observe_inputs"}
             {"op": "probe",  "name", "args", "kwargs", "trace"}
             {"op": "stage",  "columns", "count"}   the input sets of one timed batch
             {"op": "batch",  "name", "probe"}       run the target once per staged set
             {"op": "sample", "indices"}             the outputs of those repetitions
    reply    {"ok": True, "value", "torch_calls", "inputs"}
             {"ok": False, "kind": "raised" | "import" | "unserializable", "type", "message",
              "where"}

Nothing here is trusted by the judge: the student's module runs in this process. What this file
does is make the honest path hard to subvert: its helpers, the probes and the probes' copy of the
course library are loaded before the student's module and then taken out of `sys.modules`, so
the module (which may not use the escape hatches the rules forbid) cannot reach or rebind them;
the judge still checks every value it receives and reads CPU time from the kernel, not from here.
"""

import dataclasses
import importlib.util
import os
import struct
import sys
import traceback

HEADER = struct.Struct(">Q")
MESSAGE_MAX = 8 << 30


def _read_exact(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def load_private(name, path):
    """Import the file at `path` as a module that is not left in sys.modules."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def where(exc, module_file):
    """'matmul.py line 42, in matmul_loops' for the innermost frame in the student's module."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == module_file]
    if not frames:
        return ""
    f = frames[-1]
    return f"{os.path.basename(f.filename)} line {f.lineno}, in {f.name}"


def failure(kind, exc, module_file):
    try:
        message = str(exc)[:500]
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = ""
    return {
        "ok": False,
        "kind": kind,
        "type": type(exc).__name__[:100],
        "message": message,
        "where": where(exc, module_file),
    }


# Run-time second layer behind the source rules (rules.py): while student code runs, these
# interpreter events are refused. Each is a way to reach other processes, native code or the
# network; FRAME_EVENTS (frames and code objects, the way to the executor's own objects) are
# refused when the student's own files trigger them (torch itself uses sys._getframe).
VETOED = frozenset(
    "sys._current_frames gc.get_objects gc.get_referrers gc.get_referents os.system os.fork "
    "os.forkpty os.posix_spawn os.kill os.killpg subprocess.Popen code.__new__ "
    "function.__new__".split()
)
VETOED_PREFIXES = ("os.exec", "os.spawn", "socket.", "ctypes.", "_thread.", "cpython.")
FRAME_EVENTS = frozenset(("sys._getframe", "object.__getattr__"))


def audit_guard(student_dir):
    """Install an audit hook (it can never be removed) and return its switch: a one-item
    list, True while student code runs."""
    armed = [False]
    getframe, prefix = sys._getframe, os.path.join(student_dir, "")

    def refuse(event):
        armed[0] = False  # raising may itself touch frames
        try:
            raise RuntimeError(f"the sandbox does not allow {event}")
        finally:
            armed[0] = True

    def hook(event, args):
        if not armed[0]:
            return
        if event in VETOED or event.startswith(VETOED_PREFIXES):
            refuse(event)
        if event in FRAME_EVENTS:
            armed[0] = False
            try:
                caller = getframe(1).f_code.co_filename
            finally:
                armed[0] = True
            if caller.startswith(prefix):
                refuse(event)

    sys.addaudithook(hook)
    return armed


def tracer():
    """A TorchFunctionMode that records the names of the torch functions a call uses."""
    from torch.overrides import TorchFunctionMode

    class Recorder(TorchFunctionMode):
        def __init__(self):
            super().__init__()
            self.names = set()

        def __torch_function__(self, func, types, args=(), kwargs=None):
            self.names.add(getattr(func, "__name__", str(func)))
            return func(*args, **(kwargs or {}))

    return Recorder()


class Server:
    """The request loop, built before the student's module is imported: every helper it uses
    is bound here, as an attribute of this object, which the module cannot reach."""

    def __init__(self, req_fd, rep_fd, wire, resolve, module_file, torch, armed):
        self.req_fd, self.rep_fd, self.armed = req_fd, rep_fd, armed
        self.encode, self.decode, self.resolve = wire.encode, wire.decode, resolve
        self.module_file, self.torch = module_file, torch
        self.tracer, self.failure = tracer, failure
        self.module = self.probes = None
        self.staged, self.kept = [], []

    def receive(self):
        (size,) = HEADER.unpack(_read_exact(self.req_fd, HEADER.size))
        if size > MESSAGE_MAX:
            raise EOFError
        return self.decode(_read_exact(self.req_fd, size), self.resolve)

    def send(self, message):
        try:
            self.armed[0] = True  # encoding reads the student's values: their code may run
            try:
                data = self.encode(message)
            finally:
                self.armed[0] = False
        except TypeError as exc:
            data = self.encode(
                {"ok": False, "kind": "unserializable", "type": str(exc)[:200], "message": ""}
            )
        except BaseException as exc:  # noqa: BLE001 - a value whose reading raises
            data = self.encode(self.failure("raised", exc, self.module_file))
        _write_all(self.rep_fd, HEADER.pack(len(data)) + data)

    def target(self, name, probe):
        if probe:
            if self.probes is None:
                raise RuntimeError("this lesson has no probes")
            fn = getattr(self.probes, name)
            return lambda *a, **k: fn(self.module, *a, **k)
        return getattr(self.module, name)

    def run(self, fn, args, kwargs, trace):
        recorder = self.tracer() if trace else None
        if recorder is not None:
            recorder.__enter__()
        try:
            value = fn(*args, **kwargs)
            if self.torch.cuda.is_available():
                self.torch.cuda.synchronize()
        finally:
            if recorder is not None:
                recorder.__exit__(None, None, None)
        return value, sorted(recorder.names) if recorder is not None else None

    def stage(self, req):
        """One input set per repetition, each tensor its own contiguous copy."""
        count, sets = req["count"], []
        for i in range(count):
            args = []
            for kind, column in req["columns"]:
                args.append(column[i].clone() if kind == "stacked" else column[i])
            sets.append(tuple(args))
        self.staged, self.kept = sets, []
        return count

    def settle(self, value):
        """A timed output made plain inside the timed window: a tensor subclass (which could
        defer its work until it is read) is copied into a plain tensor now."""
        torch = self.torch
        if isinstance(value, torch.Tensor):
            if type(value) is torch.Tensor:
                return value
            return value.detach().clone().as_subclass(torch.Tensor).clone()
        if type(value) in (list, tuple):
            return type(value)(self.settle(v) for v in value)
        if type(value) is dict:
            return {k: self.settle(v) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {
                f.name: self.settle(getattr(value, f.name)) for f in dataclasses.fields(value)
            }
            return dataclasses.replace(value, **fields)
        return value

    def batch(self, req):
        fn = self.target(req["name"], req.get("probe"))
        kept = []
        for args in self.staged:
            kept.append(self.settle(fn(*args)))
        if self.torch.cuda.is_available():
            self.torch.cuda.synchronize()
        self.kept, self.staged = kept, []
        return len(kept)

    def handle(self, req):
        op = req.get("op")
        if op == "stage":
            return {"ok": True, "value": self.stage(req), "torch_calls": None}
        if op == "batch":
            return {"ok": True, "value": self.batch(req), "torch_calls": None}
        if op == "sample":
            value = [self.kept[i] for i in req["indices"]]
            self.kept = []
            return {"ok": True, "value": value, "torch_calls": None}
        fn = self.target(req["name"], op == "probe")
        args, kwargs = tuple(req.get("args") or ()), dict(req.get("kwargs") or {})
        value, calls = self.run(fn, args, kwargs, req.get("trace"))
        reply = {"ok": True, "value": value, "torch_calls": calls}
        if req.get("observe_inputs"):
            reply["inputs"] = args
        return reply

    def serve(self):
        while True:
            try:
                req = self.receive()
            except EOFError:
                return
            try:
                self.armed[0] = True
                try:
                    reply = self.handle(req)
                finally:
                    self.armed[0] = False
            except BaseException as exc:  # noqa: BLE001 - everything the student raises
                if isinstance(exc, SystemExit):
                    exc = RuntimeError(f"called sys.exit({exc.code})")
                reply = self.failure("raised", exc, self.module_file)
            self.send(reply)


def main():
    req_fd, rep_fd, lesson_dir, module_name = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:5]
    probes_file = sys.argv[5] if len(sys.argv) > 5 else ""
    box = os.path.dirname(os.path.abspath(__file__))
    sys.path[:0] = [lesson_dir, box]  # the student's folder, then the course library
    import torch

    torch.set_num_threads(1)  # fixed thread count: the judge compares CPU times across boxes
    wire = load_private("_wire", os.path.join(box, "_wire.py"))
    module_file = os.path.join(lesson_dir, module_name + ".py")
    armed = audit_guard(lesson_dir)
    try:
        from courselib import records

        probes = load_private("_probes", probes_file) if probes_file else None
        known = dict(records.RECORDS)  # the probes' record types, before the module can touch them
        server = Server(req_fd, rep_fd, wire, known.get, module_file, torch, armed)
        server.probes = probes
        # the student gets fresh copies of the course library: rebinding them changes nothing here
        for name in [n for n in sys.modules if n == "courselib" or n.startswith("courselib.")]:
            del sys.modules[name]
        os.chdir(lesson_dir)
        armed[0] = True
        try:
            server.module = importlib.import_module(module_name)
        finally:
            armed[0] = False
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, SystemExit):
            exc = RuntimeError(f"called sys.exit({exc.code}) while importing")
        reply = failure("import", exc, module_file)
        data = wire.encode(reply)
        _write_all(rep_fd, HEADER.pack(len(data)) + data)
        return
    server.send({"ok": True, "value": "ready", "torch_calls": None})
    server.serve()


if __name__ == "__main__":
    main()
