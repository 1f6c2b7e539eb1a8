"""The box: where a student's process runs, what it can see, and what it may use.

    box = Box.open("box-3f2a", files)      # files: a folder the judge filled (executor, module)
    proc = box.popen([python, "-I", box.inside("_executor.py"), ...], pass_fds=(r, w), ...)
    box.cpu_ns()                            # CPU time of everything the box ran, from the kernel
    box.close()                             # every process of the box killed, its group removed

Three kinds, best first (`Box.kind()` says which this machine gets):
- "bwrap": bubblewrap namespaces (pid, net, ipc, uts, user, mount, cgroup): the box sees a
  read-only view of the interpreter, its site-packages and `files` (at /box), private
  size-capped /tmp and /dev/shm, no network, no other process; nothing of the repository, the
  class, build/ or the output folder. As root it also runs as a fresh unprivileged uid inside a
  control group (memory, pids and CPU caps; CPU time accounted per box). When its first process
  dies the kernel kills every process of the pid namespace: nothing outlives the box.
- "uid" (no bubblewrap, as root): a fresh unprivileged uid per box, the secret folders made
  mode 700, setrlimit caps, a control group where available. It sees the machine's filesystem
  (what other users may read) and the network, and a process that leaves its session survives
  until the control group (if any) is killed.
- "plain" (no bubblewrap, not root): only setrlimit caps and a process group. Not a sandbox.

CPU time: the control group's counter where there is one; otherwise the sum over the box's
processes of their threads' run time (/proc/<pid>/task/<tid>/schedstat, in ns) and of their
reaped children's (cutime + cstime, in clock ticks).
"""

from __future__ import annotations

import functools
import os
import resource
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.cgroups import Group

MEMORY_BYTES = 4 << 30  # address space per process, and memory per box (control group)
FILE_BYTES = 64 << 20  # largest file a process may write
TMP_BYTES = 64 << 20  # the box's /tmp
SHM_BYTES = 16 << 20  # the box's /dev/shm
PIDS = 64  # processes and threads per box (control group), per uid otherwise
CPUS = 1.0  # CPU share per box (control group)
INSIDE = "/box"  # where `files` appears inside a bubblewrap box
SANDBOX_IDS = (1 << 20, 1 << 30)  # uids/gids no account uses: one drawn per box
TICK_NS = 1_000_000_000 // os.sysconf("SC_CLK_TCK")

_warned = False


@functools.cache
def bwrap() -> str | None:
    """The bubblewrap binary, if it can make a box here (checked once per process)."""
    path = shutil.which("bwrap")
    if path is None:
        return None
    probe = [path, "--unshare-all", "--ro-bind", "/", "/", "--", "/bin/true"]
    try:
        ok = subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return path if ok else None


def kind() -> str:
    if bwrap() is not None:
        return "bwrap"
    return "uid" if os.geteuid() == 0 else "plain"


def warn_if_weak() -> str:
    """A loud warning (once per process) when grading without bubblewrap; returns it."""
    global _warned
    if kind() == "bwrap":
        return ""
    text = (
        "WARNING: bubblewrap (bwrap) is not usable here, so student code runs without a real "
        f"sandbox ({kind()} mode: it can see the filesystem and the network, and processes it "
        "starts may outlive it). Install it: apt-get install -y bubblewrap (make install does)."
    )
    if not _warned:
        print(text, file=sys.stderr)
        _warned = True
    return text


def _fresh_ids() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    uid = secrets.randbelow(SANDBOX_IDS[1] - SANDBOX_IDS[0]) + SANDBOX_IDS[0]
    return uid, uid


def reachable(paths) -> None:
    """As root: let unprivileged boxes traverse to `paths` (a pyenv Python lives under /root,
    mode 700). Only the search bit (o+x) is added, only where it is missing."""
    for target in paths:
        target = Path(target).resolve()
        for folder in [target, *target.parents] if target.is_dir() else target.parents:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)


def interpreter_paths() -> list[Path]:
    """What the child's Python needs: the venv (sys.prefix) and the base installation."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    return sorted(paths)


class Box:
    def __init__(
        self, name: str, files: Path, *, trusted: bool = False, memory_bytes: int = MEMORY_BYTES
    ):
        self.name, self.files, self.trusted = name, Path(files), trusted
        self.kind, self.memory_bytes = kind(), memory_bytes
        self.ids = None if trusted and self.kind != "bwrap" else _fresh_ids()
        self.group = Group.create(name, memory_bytes=memory_bytes, pids=PIDS, cpus=CPUS)
        self.proc: subprocess.Popen | None = None

    @classmethod
    def open(cls, name: str, files: Path, **kw) -> "Box":
        warn_if_weak()
        return cls(name, files, **kw)

    # -- paths -----------------------------------------------------------------------------

    def inside(self, relative: str = "") -> str:
        """The path of `files/relative` as the boxed process sees it."""
        root = INSIDE if self.kind == "bwrap" else str(self.files)
        return f"{root}/{relative}" if relative else root

    def _bwrap_argv(self, argv: list[str], cwd: str) -> list[str]:
        cmd = [bwrap(), "--unshare-all", "--unshare-user", "--disable-userns"]
        cmd += ["--die-with-parent", "--new-session", "--hostname", "box"]
        for system in ("/usr", "/lib", "/lib64", "/bin", "/sbin"):
            path = Path(system)
            if path.is_symlink():
                cmd += ["--symlink", os.readlink(path), system]
            elif path.is_dir():
                cmd += ["--ro-bind", system, system]
        for extra in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf"):
            if Path(extra).exists():
                cmd += ["--ro-bind", extra, extra]
        for path in interpreter_paths():
            if not str(path).startswith(("/usr/", "/lib", "/bin")):
                cmd += ["--ro-bind", str(path), str(path)]
        for folder in os.environ.get("LD_LIBRARY_PATH", "").split(":"):
            if folder and Path(folder).is_dir() and not folder.startswith("/usr/"):
                cmd += ["--ro-bind", folder, folder]
        cmd += ["--proc", "/proc", "--dev", "/dev"]
        for device in sorted(Path("/dev").glob("nvidia*")):  # a GPU, where the machine has one
            cmd += ["--dev-bind", str(device), str(device)]
        cmd += ["--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
        cmd += ["--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]
        cmd += ["--ro-bind", str(self.files), INSIDE, "--chdir", cwd]
        return cmd + ["--"] + argv

    # -- running ---------------------------------------------------------------------------

    def popen(self, argv: list[str], *, pass_fds, stdout, env: dict, cwd: str):
        """Start `argv` in the box (paths in argv and cwd as the box sees them)."""
        if self.kind == "bwrap":
            argv = self._bwrap_argv(argv, cwd)
            for fd in pass_fds:
                os.set_inheritable(fd, True)
            cwd = "/"
        env = dict(env, TMPDIR="/tmp") if self.kind == "bwrap" else env
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stdout,
            pass_fds=tuple(pass_fds),
            cwd=cwd,
            env=env,
            preexec_fn=self._in_child,
        )
        return self.proc

    def _in_child(self) -> None:
        """Between fork and exec: group, limits, then (as root) the box's own uid."""
        os.setsid()  # own session and process group: a kill reaches everything it started
        if self.group is not None:
            self.group.join_self()
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.ids is not None:
            uid, gid = self.ids
            resource.setrlimit(resource.RLIMIT_NPROC, (PIDS, PIDS))
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

    # -- measuring -------------------------------------------------------------------------

    def cpu_ns(self) -> int:
        """CPU time of the box so far (ns), read from the kernel, never from the box."""
        if self.group is not None:
            return self.group.cpu_ns()
        return sum(_process_cpu_ns(pid) for pid in self._pids())

    def _pids(self) -> list[int]:
        """The box's processes: descendants of its first process (in a bubblewrap box every
        process is one: orphans go to the namespace's init); in uid mode, the box's uid too."""
        if self.proc is None:
            return []
        children: dict[int, list[int]] = {}
        uid_match = []
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
                if self.ids is not None and self.kind != "bwrap":
                    if entry.stat().st_uid == self.ids[0]:
                        uid_match.append(int(entry.name))
            except (OSError, ValueError):
                continue
        found, todo = set(), [self.proc.pid] + uid_match
        while todo:
            pid = todo.pop()
            if pid not in found:
                found.add(pid)
                todo += children.get(pid, [])
        return sorted(found)

    # -- ending ----------------------------------------------------------------------------

    def kill(self) -> None:
        """Kill every process of the box (the first one's group, the box's uid, its group)."""
        if self.proc is not None:
            pids = self._pids() if self.group is None else []
            try:
                os.killpg(self.proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass
            for pid in pids:
                try:
                    os.kill(pid, 9)
                except (ProcessLookupError, PermissionError):
                    pass
            if self.group is not None:
                self.group.kill()
            self.proc.wait()
            self.proc = None

    def close(self) -> None:
        self.kill()
        if self.group is not None:
            self.group.kill()
            self.group.remove()
            self.group = None


def _process_cpu_ns(pid: int) -> int:
    """One process: its threads' run time (ns) and its reaped children's (ticks)."""
    total = 0
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task.name}/schedstat") as f:
                total += int(f.read().split()[0])
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2 :].split()
        total += (int(fields[13]) + int(fields[14])) * TICK_NS  # cutime, cstime
    except (OSError, ValueError, IndexError):
        pass
    return total
