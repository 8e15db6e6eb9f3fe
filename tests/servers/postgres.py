"""A throwaway PostgreSQL server for tests and benchmarks: started in a temporary directory, gone when stopped.

Where the server comes from, first found wins:
1. the machine's own server binaries (`pg_ctl` on PATH, or Debian's /usr/lib/postgresql/<version>/bin);
   as root the server runs as the `postgres` system user (PostgreSQL refuses to run as root);
2. the `pgserver` package from PyPI (its own binaries; as root it creates a `pgserver` system user).

Measured on the project's machine (2 cores, loaded): the machine's PostgreSQL 15 starts in about 1.5 s
(initdb included), pgserver's PostgreSQL 16 in about 4 s; both start every time. The server listens on
127.0.0.1 on a free port with trust authentication, fsync off: test data, nothing to keep.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "find_server_binaries", "start_postgres", "throwaway_postgres"]

_FAST = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
         "-c", "max_connections=40", "-c", "shared_buffers=256MB", "-c", "work_mem=64MB")


@dataclass
class PostgresServer:
    """A running server; `url` connects as the superuser `postgres` to the database `postgres`."""

    url: str
    origin: str  # where the binaries came from, for the record
    _stop: object = field(repr=False)

    def stop(self) -> None:
        """Stop the server and remove its files."""
        self._stop()


def find_server_binaries() -> Path | None:
    """The directory holding `initdb` and `postgres` on this machine, or None (newest version first)."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(os.path.realpath(on_path)).parent] if on_path else []
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "postgres").exists():
            return directory
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen | None, log: Path, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if proc is not None and proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {log.read_text() if log.exists() else '(no log)'}"
                                   ) from None
            time.sleep(0.1)


def _start_machine_server(bin_dir: Path) -> PostgresServer:
    root = Path(tempfile.mkdtemp(prefix="metricloop-pg-"))
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the Debian package's system user runs it
        account = pwd.getpwnam("postgres")
        user = account.pw_uid
        os.chown(root, account.pw_uid, account.pw_gid)
    data, log = root / "data", root / "server.log"
    subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C", "--no-sync"], check=True, capture_output=True, user=user)
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
             "-c", "listen_addresses=127.0.0.1", *_FAST], stdout=out, stderr=subprocess.STDOUT, user=user)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def stop() -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # "fast" shutdown: ends sessions, no waiting for clients
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)

    try:
        _wait_ready(url, proc, log)
    except BaseException:
        stop()
        raise
    return PostgresServer(url=url, origin=str(bin_dir), _stop=stop)


def _start_pgserver() -> PostgresServer:
    import pgserver  # an optional fallback: only where the machine has no PostgreSQL of its own

    root = Path(tempfile.mkdtemp(prefix="metricloop-pgserver-"))
    server = pgserver.get_server(root, cleanup_mode="delete")
    url = server.get_uri()

    def stop() -> None:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)

    _wait_ready(url, None, root / "log")
    return PostgresServer(url=url, origin="pgserver", _stop=stop)


def start_postgres() -> PostgresServer:
    """Start a throwaway server from the machine's binaries, else from `pgserver`; RuntimeError if neither."""
    bin_dir = find_server_binaries()
    if bin_dir is not None:
        with contextlib.suppress(KeyError):  # as root without a `postgres` user: try pgserver
            return _start_machine_server(bin_dir)
    try:
        return _start_pgserver()
    except ImportError:
        raise RuntimeError("No PostgreSQL server binaries on this machine and pgserver is not installed "
                           "(pip install pgserver)") from None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """A server for the duration of a `with` block."""
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()
