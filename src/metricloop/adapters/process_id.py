"""Who is working on a delivery: a worker id that outlives nothing but its process.

A worker id is ``host/pid/start`` where ``start`` is the process's start time as the kernel counts it
(clock ticks since boot, from /proc). A pid is reused after a process dies, its start time is not, so
on the same host "is that worker still running?" has an exact answer at once — a restart after
``kill -9`` takes over the dead process's unfinished deliveries without waiting for a lease to expire.
On another host (or without /proc) the store falls back to the worker's heartbeat.
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing one.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


@dataclass(frozen=True)
class WorkerId:
    """One running process, as stored with the deliveries it works on."""

    host: str
    pid: int
    start: str

    def __str__(self) -> str:
        return f"{self.host}/{self.pid}/{self.start}"

    @classmethod
    def parse(cls, text: str) -> WorkerId | None:
        """The id written by ``str(worker)``; None for anything else."""
        host, _, rest = text.rpartition("/")
        host, _, pid = host.rpartition("/")
        return cls(host, int(pid), rest) if host and pid.isdigit() else None

    def running(self) -> bool | None:
        """True/False when this host can tell (same host, /proc readable); None when it cannot."""
        if self.host != socket.gethostname():
            return None
        ticks = _start_ticks(self.pid)
        if ticks is None:
            return False if Path("/proc/self/stat").exists() else None
        return ticks == self.start


def current_worker() -> WorkerId:
    """This process's worker id (the start time falls back to the wall clock where /proc is missing)."""
    pid = os.getpid()
    return WorkerId(socket.gethostname(), pid, _start_ticks(pid) or f"t{int(time.time() * 1000)}")


def worker_running(worker: str) -> bool | None:
    """Whether the worker with this id is still running here (None: cannot tell from this host)."""
    parsed = WorkerId.parse(worker)
    return None if parsed is None else parsed.running()
