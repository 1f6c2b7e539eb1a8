"""The child side of the sandbox: imports the student's module and answers the judge's calls.

Runs in its own process, under resource limits and (as root) an unprivileged user. It is copied
into the sandbox directory and started as a script, so it must import nothing from the
repository: stdlib and torch only.

    python -I _executor.py REQ_FD REP_FD LESSON_DIR MODULE [PROBES_FILE]

Messages both ways: 8-byte big-endian length, then a `torch.save` payload.
    request  {"op": "call" | "probe", "name", "args", "kwargs", "repeat", "trace", "staged"}
             {"op": "stage", "key", "args", "kwargs"}   (keep inputs for timed calls; one set)
    reply    {"ok": True, "value", "torch_calls"}
             {"ok": False, "kind": "raised" | "import" | "unserializable", "type", "message", "where"}

Nothing here is trusted by the judge: a student module can replace any of it. The judge only
believes values it checks itself and times calls with its own clock.
"""

import importlib
import importlib.util
import io
import os
import struct
import sys
import traceback

HEADER = struct.Struct(">Q")


def _read_exact(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def receive(fd):
    import torch

    (size,) = HEADER.unpack(_read_exact(fd, HEADER.size))
    return torch.load(io.BytesIO(_read_exact(fd, size)), weights_only=False)


def send(fd, message):
    import torch

    buf = io.BytesIO()
    torch.save(message, buf)
    data = HEADER.pack(buf.tell()) + buf.getvalue()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


PLAIN = (type(None), bool, int, float, str)


def plain(value):
    """`value` with tensors detached, or raise TypeError naming the first unsupported type."""
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach()
    if isinstance(value, PLAIN) or isinstance(value, (torch.dtype, torch.device)):
        return value
    if isinstance(value, torch.Size):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k if isinstance(k, (str, int)) else str(k): plain(v) for k, v in value.items()}
    raise TypeError(f"{type(value).__module__}.{type(value).__qualname__}")


def where(exc, module_file):
    """'matmul.py line 42, in matmul_loops' for the innermost frame in the student's module."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == module_file]
    if not frames:
        return ""
    f = frames[-1]
    return f"{os.path.basename(f.filename)} line {f.lineno}, in {f.name}"


def failure(kind, exc, module_file):
    return {
        "ok": False,
        "kind": kind,
        "type": type(exc).__name__,
        "message": str(exc)[:2000],
        "where": where(exc, module_file),
    }


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


def run(fn, args, kwargs, repeat, trace):
    import torch

    recorder = tracer() if trace else None
    if recorder is not None:
        recorder.__enter__()
    try:
        done = 0
        while True:  # no builtins here (range, max): a student module could replace them
            value = fn(*args, **kwargs)
            done += 1
            if done >= repeat:
                break
        if torch.cuda.is_available():
            torch.cuda.synchronize()
    finally:
        if recorder is not None:
            recorder.__exit__(None, None, None)
    return value, sorted(recorder.names) if recorder is not None else None


def serve(req_fd, rep_fd, module, probes, module_file, receive=receive, send=send, run=run):
    # the helpers are bound here, when this file is loaded: the student's module, imported
    # later, can replace this module's globals (e.g. `run`, to skip the repeats of a timed
    # batch) but not these defaults
    staged = {}
    while True:
        try:
            req = receive(req_fd)
        except EOFError:
            return
        op = req.get("op")
        if op == "stage":  # replaces what was staged before: memory stays bounded
            staged = {req["key"]: (req["args"], req.get("kwargs") or {})}
            send(rep_fd, {"ok": True, "value": None, "torch_calls": None})
            continue
        args, kwargs = staged[req["staged"]] if req.get("staged") else (req["args"], req["kwargs"])
        try:
            if op == "probe":
                if probes is None:
                    raise RuntimeError("this lesson has no probes")
                target = getattr(probes, req["name"])
                args = (module,) + tuple(args)
            else:
                target = getattr(module, req["name"])
            value, calls = run(target, args, kwargs, req.get("repeat", 1), req.get("trace"))
        except BaseException as exc:  # noqa: BLE001 - everything the student raises is reported
            if isinstance(exc, SystemExit):
                exc = RuntimeError(f"called sys.exit({exc.code})")
            send(rep_fd, failure("raised", exc, module_file))
            continue
        try:
            reply = {"ok": True, "value": plain(value), "torch_calls": calls}
        except TypeError as exc:
            reply = {"ok": False, "kind": "unserializable", "type": str(exc), "message": ""}
            reply["where"] = ""
        send(rep_fd, reply)


def load_file(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def main():
    req_fd, rep_fd, lesson_dir, module_name = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:5]
    probes_file = sys.argv[5] if len(sys.argv) > 5 else ""
    sandbox = os.path.dirname(lesson_dir)
    sys.path[:0] = [lesson_dir, sandbox]  # the student's folder, then the course library
    os.chdir(lesson_dir)
    import torch

    serve_requests = serve  # taken before the student's module can replace it
    torch.set_num_threads(1)  # fixed thread count: the judge compares timings across sandboxes
    module_file = os.path.join(lesson_dir, module_name + ".py")
    try:
        module = importlib.import_module(module_name)
        probes = load_file("_probes", probes_file) if probes_file else None
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, SystemExit):
            exc = RuntimeError(f"called sys.exit({exc.code}) while importing")
        send(rep_fd, failure("import", exc, module_file))
        return
    send(rep_fd, {"ok": True, "value": "ready", "torch_calls": None})
    serve_requests(req_fd, rep_fd, module, probes, module_file)


if __name__ == "__main__":
    main()
