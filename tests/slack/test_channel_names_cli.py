"""The operator hears of a configured channel Slack does not have: `metricloop scan` names it beside the notices
left in the outbox, `metricloop digest` beside the recipient it could not send to (and sends the others)."""
from __future__ import annotations

import json

from tests.loop.test_scanner import OUTAGE, demo_path  # noqa: F401 - the demo warehouse fixture
from tests.test_cli_digest import CATALOG, digest, warehouse  # noqa: F401 - the loop fixture warehouse
from typer.testing import CliRunner

from fakes import workspace as ws
from metricloop.adapters.store import SQLiteStore
from metricloop.cli import app


def _slack(monkeypatch, fake_slack, tmp_path) -> None:
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", ws.BOT_TOKEN)
    monkeypatch.setenv("METRICLOOP_SLACK_API_URL", fake_slack.base_url)


def test_scan_names_a_notice_channel_slack_lacks(demo_path, fake_slack, tmp_path, monkeypatch):  # noqa: F811
    _slack(monkeypatch, fake_slack, tmp_path)
    del fake_slack.workspace.channels["C0SALESMETRICS"]  # orders' meta.channel "#sales-metrics"
    args = ["scan", "--date", OUTAGE.isoformat(), "-m", "orders", "--warehouse", str(demo_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Slack has no channel #sales-metrics that the bot can see" in result.stdout
    assert "notice(s) wait in the outbox" in result.stdout
    assert [c for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == "#sales-metrics"] == []
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        assert store.pending_notices()  # kept for a later run, once the channel exists
    finally:
        store.close()


def test_digest_names_a_channel_slack_lacks_and_sends_the_others(warehouse, fake_slack, tmp_path,  # noqa: F811
                                                                 monkeypatch):
    _slack(monkeypatch, fake_slack, tmp_path)
    fake_slack.workspace.channels["C0SALES"]["is_member"] = False  # "#sales": the bot was never invited
    result = digest(warehouse, "--json", "--target", "#sales", "--target", "C0FINANCE")
    assert result.exit_code == 0, result.output
    out = {d["target"]: d for d in json.loads(result.stdout)}
    assert out["#sales"]["outcome"] == "failed" and out["C0FINANCE"]["outcome"] == "sent"
    assert out["#sales"]["error"].startswith("The bot is not in #sales: invite it there")
    assert "#sales: The bot is not in #sales" in result.stderr
    assert fake_slack.messages_in("C0SALES") == [] and fake_slack.messages_in("C0FINANCE")
