"""The box (autograder/box.py) from outside: what a process in it can see and do, what is left
when it ends, and the CPU time the judge reads; and the judge's side of the pipe (wire format,
write timeouts), which must never stall or blow up on what a box sends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
import torch

from autograder import box, wire
from autograder.sandbox import HEADER, Sandbox, SandboxTimeout

BWRAP = pytest.mark.skipif(box.kind() != "bwrap", reason="needs bubblewrap")


def files_with(tmp_path, code: str):
    """A folder holding job.py, readable by the box's unprivileged uid."""
    files = tmp_path / "files"
    files.mkdir(exist_ok=True)
    (files / "job.py").write_text(code)
    files.chmod(0o755)
    (files / "job.py").chmod(0o644)
    if os.geteuid() == 0:
        box.reachable([files])
    return files


def start_in_box(tmp_path, code: str, name: str = "test-box"):
    """(box, process, its stdout as a text file): job.py started in a new box."""
    b = box.Box.open(name, files_with(tmp_path, code))
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
    r, w = os.pipe()
    proc = b.popen(
        [sys.executable, "-I", b.inside("job.py")], pass_fds=(), stdout=w, env=env, cwd=b.inside()
    )
    os.close(w)
    return b, proc, os.fdopen(r)


def run_in_box(tmp_path, code: str, timeout: float = 60) -> tuple[box.Box, subprocess.Popen]:
    b, proc, out = start_in_box(tmp_path, code)
    with out:
        b.text = out.read()
    proc.wait(timeout)
    return b, proc


def _alive(marker: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(entry.name))
            except OSError:
                pass
    return found


@BWRAP
def test_processes_that_leave_their_session_die_with_the_box(tmp_path):
    marker = f"burner-{os.getpid()}-{time.monotonic_ns()}"
    code = (
        "import subprocess, time\n"
        f"subprocess.Popen(['sh', '-c', 'while :; do :; done; echo {marker}'],"
        " start_new_session=True)\n"
        "time.sleep(0.5)\n"
        "print('started', flush=True)\n"
    )
    b, _, out = start_in_box(tmp_path, code + "time.sleep(30)\n", "test-burner")
    with out:
        assert out.readline().strip() == "started"
        assert _alive(marker), "the burner should be running inside the box"
        spent = b.cpu_ns()
        time.sleep(1.0)
        burned = (b.cpu_ns() - spent) / 1e9
        b.close()
    assert burned > 0.3, f"the box's CPU time must count the burner ({burned:.2f} s in 1 s)"
    time.sleep(0.2)
    assert not _alive(marker), "a process outlived its box"


@BWRAP
def test_no_network_not_even_loopback(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    code = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
        "    print('connected')\n"
        "except OSError as e:\n"
        "    print('refused', type(e).__name__)\n"
    )
    b, _ = run_in_box(tmp_path, code)
    b.close()
    server.close()
    assert b.text.startswith("refused"), b.text


@BWRAP
def test_only_its_own_processes_and_files_are_visible(tmp_path):
    code = (
        "import os\n"
        "pids = [p for p in os.listdir('/proc') if p.isdigit()]\n"
        "print(len(pids), sorted(os.listdir('/')))\n"
        "print(os.path.exists(%r), os.path.exists('/work'))\n" % str(box.Path(__file__))
    )
    b, _ = run_in_box(tmp_path, code)
    b.close()
    first, second = b.text.splitlines()
    assert int(first.split()[0]) <= 3, first  # the namespace's init and this process
    assert second.startswith("False"), "the repository must not be visible in the box"


@BWRAP
def test_tmp_and_shm_are_private_and_capped(tmp_path):
    code = (
        "written = {}\n"
        "for where in ('/tmp', '/dev/shm'):\n"
        "    n = 0\n"
        "    try:\n"
        "        with open(where + '/fill', 'wb') as f:\n"
        "            for _ in range(256):\n"
        "                f.write(b'x' * (1 << 20)); f.flush(); n += 1\n"
        "    except OSError:\n"
        "        pass\n"
        "    written[where] = n\n"
        "try:\n"
        "    open('/box/job.py', 'a')\n"
        "    print(written, 'box writable')\n"
        "except OSError:\n"
        "    print(written, 'box read-only')\n"
    )
    b, _ = run_in_box(tmp_path, code)
    b.close()
    written = eval(b.text.split("}")[0] + "}")
    assert written["/tmp"] <= box.TMP_BYTES >> 20
    assert written["/dev/shm"] <= box.SHM_BYTES >> 20
    assert b.text.strip().endswith("box read-only")
    assert not (tmp_path / "files" / "fill").exists()


def test_cpu_time_is_read_from_outside_and_counts_work(tmp_path):
    """0.5 s of CPU in a thread and 0.5 s of sleep: the box's CPU time (read by the judge from
    the kernel while the process still runs) counts the work of every thread and not the sleep."""
    code = (
        "import threading, time\n"
        "def spin():\n"
        "    end = time.thread_time() + 0.5\n"
        "    while time.thread_time() < end: pass\n"
        "t = threading.Thread(target=spin); t.start(); t.join()\n"
        "time.sleep(0.5)\n"
        "print('done', flush=True)\n"
        "time.sleep(30)\n"
    )
    b, _, out = start_in_box(tmp_path, code, "test-cpu")
    with out:
        assert out.readline().strip() == "done"
        seconds = b.cpu_ns() / 1e9
    b.close()
    assert 0.45 < seconds < 0.95, seconds  # the spin, plus the interpreter's start (< 0.45 s)


# ---- the judge's side ---------------------------------------------------------------------------


def test_a_child_that_stops_reading_is_a_timeout_not_a_stalled_judge():
    r, w = os.pipe()
    sandbox = Sandbox(box.Path("/nonexistent"), "demo")
    sandbox._req = w
    os.set_blocking(w, False)
    start = time.monotonic()
    with pytest.raises(SandboxTimeout):
        sandbox._send({"data": torch.zeros(4 << 20)}, time.monotonic() + 1.0, "testing")
    assert time.monotonic() - start < 3
    os.close(r)


@pytest.mark.parametrize(
    "payload, why",
    [
        (wire.MAGIC + b"l" + (2**32 - 1).to_bytes(4, "big"), "more items than the message holds"),
        (wire.MAGIC + b"l\x00\x00\x00\x01" * 10_000, "nested too deeply"),
        (wire.MAGIC + b"X", "truncated"),
        (wire.MAGIC + b"R" + (5).to_bytes(4, "big") + b"os.rm" + bytes(4), "unknown record"),
        (b"PK\x03\x04" + bytes(100), "not a message of this format"),
    ],
    ids=["count", "depth", "truncated", "record", "zip"],
)
def test_malformed_replies_are_refused_quickly(payload, why):
    start = time.monotonic()
    with pytest.raises(wire.WireError, match=why):
        wire.decode(payload)
    assert time.monotonic() - start < 0.5


def test_a_tensor_claiming_more_bytes_than_sent_is_refused():
    good = wire.encode(torch.ones(1000))
    with pytest.raises(wire.WireError):
        wire.decode(good[:-8])


def test_decoding_work_is_linear_in_the_message():
    """Millions of small items: time grows with the bytes, there is nothing to inflate."""
    data = wire.encode([0] * 1_000_000)  # 9 MB
    start = time.monotonic()
    assert len(wire.decode(data)) == 1_000_000
    assert time.monotonic() - start < 10
    assert HEADER.size == 8
