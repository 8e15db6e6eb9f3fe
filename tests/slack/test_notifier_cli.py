"""`metricloop scan` with SLACK_BOT_TOKEN set posts each new notice to Slack once (METRICLOOP_SLACK_API_URL
honoured): the notice with its three buttons, the alert remembering its message, nothing twice on a rescan."""
from __future__ import annotations

import json

from tests.loop.test_scanner import OUTAGE, demo_path  # noqa: F401 - the demo warehouse fixture
from typer.testing import CliRunner

from fakes import workspace as ws
from metricloop.adapters.store import SQLiteStore
from metricloop.cli import app
from metricloop.slack import loop_blocks as lb


def test_scan_posts_notices_to_slack_once(demo_path, fake_slack, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", ws.BOT_TOKEN)
    monkeypatch.setenv("METRICLOOP_SLACK_API_URL", fake_slack.base_url)
    args = ["scan", "--date", OUTAGE.isoformat(), "-m", "orders", "--warehouse", str(demo_path)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    posted = [c.params for c in fake_slack.calls_to("chat.postMessage") if "thread_ts" not in c.params]
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        alerts = store.alerts(metric="orders")
        assert posted and len(posted) == len(alerts) and store.pending_notices() == []
        assert all(a.ts for a in alerts)
        actions = [b for b in posted[0]["blocks"] if b["type"] == "actions"][0]
        assert [e["action_id"] for e in actions["elements"]] == list(lb.NOTICE_BUTTONS)
        assert any("dropped on " + OUTAGE.isoformat() in json.dumps(p["blocks"]) for p in posted)
        again = CliRunner().invoke(app, args)
        assert again.exit_code == 0, again.output
        assert len([c for c in fake_slack.calls_to("chat.postMessage") if "thread_ts" not in c.params]) == len(posted)
    finally:
        store.close()
