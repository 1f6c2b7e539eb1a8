"""A control group per sandbox: memory, process and CPU caps, and the box's CPU time.

    group = Group.create("box-3f2a", memory_bytes=4 << 30, pids=64, cpus=1.0)   # None if unavailable
    group.join_self()           # in the child, before exec: everything it starts is counted
    group.cpu_ns()              # CPU time of every process the box ever ran, read by the judge
    group.kill(); group.remove()

cgroup v1 (a hierarchy per controller under /sys/fs/cgroup/<controller>/) and v2 (one unified
hierarchy) are both handled; creating groups needs root (or a delegated subtree). Where neither
works, `create` returns None and the sandbox falls back to per-process limits (setrlimit) and to
CPU time summed from /proc (see box.py).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "autograder"
V1 = ("cpuacct", "memory", "pids", "cpu")


def _own_path(controller: str) -> str:
    """This process's group in a v1 hierarchy ('' for v2's), from /proc/self/cgroup."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(",") or (controller == "" and controllers == ""):
            return path.lstrip("/")
    return ""


def _write(path: Path, value) -> None:
    with open(path, "w") as f:
        f.write(str(value))


@dataclass
class Group:
    version: int
    dirs: dict[str, Path] = field(default_factory=dict)  # controller (or "" for v2) -> folder

    # -- setting up ------------------------------------------------------------------------

    @classmethod
    def create(cls, name: str, *, memory_bytes: int, pids: int, cpus: float) -> "Group | None":
        if os.geteuid() != 0:
            return None
        for make in (cls._v1, cls._v2):
            try:
                group = make(name)
            except OSError:
                continue
            if group is not None:
                try:
                    group._limit(memory_bytes, pids, cpus)
                    return group
                except OSError:
                    group.remove()
        return None

    @classmethod
    def _v1(cls, name: str) -> "Group | None":
        if not all((ROOT / c / "cgroup.procs").exists() for c in V1):
            return None
        group = cls(1)
        for c in V1:
            # under this process's own group: the memory hierarchy may place us in a container's
            folder = ROOT / c / _own_path(c) / PARENT / name
            folder.mkdir(parents=True, exist_ok=True)
            group.dirs[c] = folder
        return group

    @classmethod
    def _v2(cls, name: str) -> "Group | None":
        base = ROOT / _own_path("")
        if not (base / "cgroup.controllers").exists():
            return None
        wanted = {"cpu", "memory", "pids"}
        if not wanted <= set((base / "cgroup.controllers").read_text().split()):
            return None
        parent = base / PARENT
        parent.mkdir(exist_ok=True)
        _write(parent / "cgroup.subtree_control", "+cpu +memory +pids")
        folder = parent / name
        folder.mkdir(exist_ok=True)
        return cls(2, {"": folder})

    def _limit(self, memory_bytes: int, pids: int, cpus: float) -> None:
        period = 100_000
        if self.version == 1:
            _write(self.dirs["memory"] / "memory.limit_in_bytes", memory_bytes)
            _write(self.dirs["pids"] / "pids.max", pids)
            _write(self.dirs["cpu"] / "cpu.cfs_period_us", period)
            _write(self.dirs["cpu"] / "cpu.cfs_quota_us", int(cpus * period))
        else:
            folder = self.dirs[""]
            _write(folder / "memory.max", memory_bytes)
            _write(folder / "memory.swap.max", 0) if (folder / "memory.swap.max").exists() else None
            _write(folder / "pids.max", pids)
            _write(folder / "cpu.max", f"{int(cpus * period)} {period}")

    def join_self(self) -> None:
        """Move the calling process into the group (the child calls this before exec)."""
        pid = os.getpid()
        for folder in self.dirs.values():
            _write(folder / "cgroup.procs", pid)

    # -- reading ---------------------------------------------------------------------------

    def cpu_ns(self) -> int:
        """CPU time (user + system) of every process that ever ran in the group, in ns."""
        if self.version == 1:
            return int((self.dirs["cpuacct"] / "cpuacct.usage").read_text())
        for line in (self.dirs[""] / "cpu.stat").read_text().splitlines():
            key, value = line.split()
            if key == "usage_usec":
                return int(value) * 1000
        return 0

    def pids(self) -> list[int]:
        folder = self.dirs["pids"] if self.version == 1 else self.dirs[""]
        try:
            return [int(p) for p in (folder / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    # -- tearing down ----------------------------------------------------------------------

    def kill(self) -> None:
        """SIGKILL every process in the group, including any that left its session."""
        if self.version == 2 and (self.dirs[""] / "cgroup.kill").exists():
            try:
                _write(self.dirs[""] / "cgroup.kill", 1)
            except OSError:
                pass
        for _ in range(50):  # v1: kill until empty (a fork bomb may race the first pass)
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        for folder in self.dirs.values():
            for _ in range(100):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # processes still exiting
                    time.sleep(0.01)
