"""`metricloop serve --http` as a real process against the fake Slack Web API, and a client sending it
correctly signed deliveries — for the kill/restart test and the soak benchmark.

    with FakeSlack() as fake:
        serve = ServeProcess(workdir, fake.base_url)   # the shop fixture catalog and warehouse
        serve.start()
        status = serve.deliver(*rq.signed_event(rq.app_mention("revenue in march"), serve.secret))
        serve.kill(signal.SIGKILL); serve.start()     # same store file: the restart resumes

The interpreter runs without the sentence model (METRICLOOP_EMBEDDING_MODEL=none), so a start takes
seconds, not tens of seconds; everything else (Bolt, the store, DuckDB, charts) is what production runs.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx

from fakes import workspace as ws

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SECRET = "kill-test-signing-secret"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shop_warehouse(path: Path) -> Path:
    """The shop fixture warehouse as a DuckDB file (built once per path)."""
    if not path.exists():
        con = duckdb.connect(str(path))
        con.execute((FIXTURES / "slack" / "shop_warehouse.sql").read_text())
        con.close()
    return path


class ServeProcess:
    """One `metricloop serve --http` at a time on a fixed port, store and log in `workdir`."""

    def __init__(self, workdir: Path, slack_api_url: str, *, grace_s: float = 20.0, workers: int = 2,
                 extra_env: dict[str, str] | None = None) -> None:
        self.workdir, self.port, self.secret = workdir, free_port(), SECRET
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "SLACK_BOT_TOKEN": ws.BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET,
                    "METRICLOOP_SLACK_API_URL": slack_api_url, "METRICLOOP_HTTP_PORT": str(self.port),
                    "METRICLOOP_CATALOG_DIR": str(FIXTURES / "catalogs" / "shop"),
                    "METRICLOOP_WAREHOUSE": str(shop_warehouse(workdir / "shop.duckdb")),
                    "METRICLOOP_STORE_PATH": str(workdir / "store.sqlite"),
                    "METRICLOOP_CACHE_DIR": str(workdir / "cache"), "METRICLOOP_EMBEDDING_MODEL": "none",
                    "METRICLOOP_VALUE_REFRESH_MINUTES": "0", "METRICLOOP_SHUTDOWN_GRACE_S": str(grace_s),
                    "METRICLOOP_SLACK_WORKERS": str(workers), **(extra_env or {})}
        for name in ("SLACK_APP_TOKEN", "METRICLOOP_SLACK_APP_TOKEN"):
            self.env.pop(name, None)
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.http = httpx.Client(timeout=10)

    @property
    def log(self) -> Path:
        return self.workdir / "serve.log"

    def start(self, timeout: float = 90) -> float:
        """Start the process and wait until /healthz answers; returns the seconds it took."""
        started = time.monotonic()
        self.starts += 1
        with self.log.open("a") as log:
            log.write(f"\n--- start {self.starts} ---\n")
            log.flush()
            self.proc = subprocess.Popen([sys.executable, "-m", "metricloop.cli", "serve", "--http"], env=self.env,
                                         cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if self.http.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"serve did not start in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def signal(self, sig: int) -> None:
        """Send `sig` to the running process."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def wait(self, timeout: float = 60) -> int:
        """Wait for the process to exit; its exit code."""
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        """Make sure nothing is left running (SIGKILL after a short SIGTERM grace)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.http.close()

    def deliver(self, body: str, headers: dict[str, str], timeout: float = 10) -> int | None:
        """POST a signed delivery; its HTTP status, or None when the connection failed (as Slack sees it)."""
        try:
            return httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=timeout).status_code
        except httpx.HTTPError:
            return None

    def rss_kb(self) -> int:
        """The process's resident set size in kB (Linux /proc)."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0
