"""Issue 8's kill test: `metricloop scan` and `metricloop serve` as real processes, killed with SIGKILL at random
points while scanning, posting notices and handling buttons. After each restart nothing stored is lost or
duplicated, and in the end every stored notice is in the (fake) Slack exactly once and every clicked alert is
acknowledged once."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.store import SQLiteStore
from metricloop.demo import build_demo
from metricloop.slack import loop_blocks as lb
from metricloop.slack.notifier import notice_key

END = dt.date(2026, 9, 30)
START = END - dt.timedelta(days=20)
METRICLOOP = [sys.executable, "-m", "metricloop.cli"]
pytestmark = pytest.mark.timeout(900)


@pytest.fixture
def env(tmp_path, fake_slack, signing_secret) -> dict[str, str]:
    warehouse = tmp_path / "demo.duckdb"
    build_demo(warehouse, end=END, scale=0.5)
    return {**os.environ, "METRICLOOP_WAREHOUSE": str(warehouse), "METRICLOOP_STORE_PATH": str(tmp_path / "s.sqlite"),
            "METRICLOOP_CACHE_DIR": str(tmp_path / "cache"), "SLACK_BOT_TOKEN": ws.BOT_TOKEN,
            "SLACK_SIGNING_SECRET": signing_secret, "METRICLOOP_SLACK_API_URL": fake_slack.base_url,
            "METRICLOOP_EMBEDDING_MODEL": "none", "METRICLOOP_VALUE_REFRESH_MINUTES": "0",
            "METRICLOOP_LLM_URL": "", "SLACK_APP_TOKEN": ""}


def scan(env: dict[str, str], *, kill_after: float | None = None) -> int | None:
    """Run `metricloop scan` over the range; SIGKILL it after ``kill_after`` seconds (None: let it finish)."""
    proc = subprocess.Popen([*METRICLOOP, "scan", "--from", START.isoformat(), "--to", END.isoformat()], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=kill_after if kill_after is not None else 600)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None


def posted_counts(fake_slack) -> Counter:
    with fake_slack.workspace.lock:
        return Counter(notice_key(m) for ms in fake_slack.workspace.messages.values() for m in ms if notice_key(m))


def expected_keys(env: dict[str, str]) -> set[str]:
    """The anomalies of the range, from a dry run (nothing stored, nothing posted)."""
    out = subprocess.run([*METRICLOOP, "scan", "--from", START.isoformat(), "--to", END.isoformat(), "--dry-run",
                          "--json"], env=env, capture_output=True, text=True, check=True).stdout
    return {"|".join([a["metric"], json.dumps(a["slice"], sort_keys=True, ensure_ascii=False), a["date"],
                      a["direction"]]) for a in json.loads(out)}


def check_store(env: dict[str, str], fake_slack, wanted: set[str], *, all_posted: bool) -> SQLiteStore:
    store = SQLiteStore(Path(env["METRICLOOP_STORE_PATH"]))
    alerts = store.alerts()
    keys = {n.key for n in store.notices() if n.kind == "anomaly"}
    assert keys <= wanted and len(alerts) == len(keys)  # nothing invented, nothing twice
    counts = posted_counts(fake_slack)
    assert all(c == 1 for c in counts.values()), [k for k, c in counts.items() if c > 1]  # never posted twice
    if all_posted:
        assert keys == wanted and store.pending_notices() == []  # nothing lost
        assert set(counts) == {n.key for n in store.notices()}
    return store


def test_scan_killed_while_scanning_and_posting_posts_each_notice_once(env, fake_slack):
    wanted = expected_keys(env)
    assert len(wanted) > 10
    rnd = random.Random(8)
    for _ in range(5):
        scan(env, kill_after=rnd.uniform(2.0, 14.0))
        check_store(env, fake_slack, wanted, all_posted=False)
    assert scan(env) == 0
    check_store(env, fake_slack, wanted, all_posted=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`metricloop serve --http` on a free port, started, SIGKILLed and restarted by the test."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**env, "METRICLOOP_HTTP_PORT": str(self.port)}
        self.proc: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> None:
        self.proc = subprocess.Popen([*METRICLOOP, "serve", "--http"], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while wait and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                assert self.proc.poll() is None, "serve exited"
                time.sleep(0.2)
        assert not wait, "serve did not start"

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def click(self, body: str, headers: dict[str, str]) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/slack/events", data=body.encode(),
                                         headers=headers, method="POST")
        with contextlib.suppress(OSError):  # killed mid-request: Slack would retry, and the test clicks again
            urllib.request.urlopen(request, timeout=5).read()


def test_serve_killed_while_draining_the_outbox_and_handling_buttons(env, fake_slack, signing_secret):
    wanted = expected_keys(env)
    fake_slack.inject_error("chat.postMessage", "internal_error", times=10_000)  # Slack down: all stays pending
    assert scan(env) == 0
    fake_slack.workspace._failures.clear()
    assert posted_counts(fake_slack) == Counter()
    rnd = random.Random(9)
    serve = Serve(env)
    for _ in range(3):  # killed while draining the outbox at start-up
        serve.start(wait=False)
        time.sleep(rnd.uniform(3.0, 12.0))
        serve.kill()
        check_store(env, fake_slack, wanted, all_posted=False)
    serve.start()
    store = SQLiteStore(Path(env["METRICLOOP_STORE_PATH"]))
    deadline = time.monotonic() + 120
    while store.pending_notices() and time.monotonic() < deadline:
        time.sleep(0.5)
    check_store(env, fake_slack, wanted, all_posted=True)

    payloads: dict[int, dict] = {}  # one click per alert: what Slack retries is the same delivery

    def clicks() -> list[tuple[str, dict[str, str]]]:
        out = []
        for alert in store.alerts():
            if alert.status != "open":
                continue
            if alert.id not in payloads:
                message = next(m for m in fake_slack.messages_in(alert.channel) if m["ts"] == alert.ts)
                payloads[alert.id] = rq.block_actions(lb.ACK_ACTION, str(alert.id), user="U0MAYA",
                                                      channel=alert.channel, message_ts=alert.ts,
                                                      message_blocks=message["blocks"])
            out.append(rq.signed_interaction(payloads[alert.id], signing_secret))
        return out

    batch = clicks()
    for k in range(3):  # killed while handling Acknowledge clicks (a third of them each time); Slack retries them
        for body, headers in batch[k::3]:
            serve.click(body, headers)
        time.sleep(rnd.uniform(0.0, 2.0))
        serve.kill()
        serve.start()
    deadline = time.monotonic() + 180
    while any(a.status == "open" for a in store.alerts()) and time.monotonic() < deadline:
        for body, headers in clicks():
            serve.click(body, {**headers, "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
        time.sleep(2.0)
    serve.kill()
    alerts = store.alerts()
    assert [a.id for a in alerts if a.status != "acknowledged"] == []
    assert all(len(store.acknowledgements(a.id)) == 1 for a in alerts)  # each acknowledged exactly once
    check_store(env, fake_slack, wanted, all_posted=True)
