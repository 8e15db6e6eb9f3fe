"""`metricloop digest`, `actions` and `catalog tree` on the loop fixture catalog and warehouse."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from fakes import workspace as ws
from metricloop.adapters.store import SQLiteStore
from metricloop.cli import app

LOOP = Path(__file__).resolve().parent / "fixtures" / "loop"
CATALOG = str(LOOP / "catalog")
runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli_loop") / "loop.duckdb"
    con = duckdb.connect(str(path))
    con.execute((LOOP / "warehouse.sql").read_text())
    con.close()
    return str(path)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    for name in ("SLACK_BOT_TOKEN", "METRICLOOP_SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "METRICLOOP_SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def digest(*args: str):
    return runner.invoke(app, ["digest", "--date", "2026-03-11", "--catalog", CATALOG, "--warehouse", *args])


def test_digest_dry_run_json(warehouse, tmp_path):
    result = digest(warehouse, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    out = {d["target"]: d for d in json.loads(result.stdout)}
    assert list(out) == ["#sales", "C0FINANCE", "#empty"]
    sales = out["#sales"]
    assert sales["outcome"] == "printed" and sales["day"] == "2026-03-11"
    assert [m["metric"] for m in sales["metrics"]][0] == "revenue"  # strategic first
    assert out["#empty"]["empty"] is True and out["C0FINANCE"]["language"] == "zh"
    assert SQLiteStore(tmp_path / "store.sqlite").digests_sent() == []  # a dry run records nothing


def test_digest_text_and_posting_to_slack_once(warehouse, tmp_path, fake_slack, monkeypatch):
    text = digest(warehouse, "--dry-run", "--target", "#sales").stdout
    assert "Metrics digest · Mar 10, 2026" in text and "Strategic" in text and "vs previous day" in text
    monkeypatch.setenv("SLACK_BOT_TOKEN", ws.BOT_TOKEN)
    monkeypatch.setenv("METRICLOOP_SLACK_API_URL", fake_slack.base_url)
    first = json.loads(digest(warehouse, "--json", "--target", "#sales").stdout)
    again = json.loads(digest(warehouse, "--json", "--target", "#sales").stdout)
    assert [d["outcome"] for d in first + again] == ["sent", "already"]
    assert len([m for m in fake_slack.messages_in("#sales") if m.get("blocks")]) == 1


def test_actions(tmp_path):
    store = SQLiteStore(tmp_path / "store.sqlite")
    alert = store.add_alert("orders", "2026-03-01", "down", value=1, expected=2)
    store.add_action(alert.id, "ana@example.com", "2000-01-01", "fix the feed")
    store.close()
    rows = json.loads(runner.invoke(app, ["actions", "--json"]).stdout)
    assert [(r["metric"], r["due"], r["overdue"], r["status"]) for r in rows] == [
        ("orders", "2000-01-01", True, "open")]
    assert "OVERDUE" in runner.invoke(app, ["actions"]).stdout


def test_catalog_tree():
    result = runner.invoke(app, ["catalog", "tree", "revenue", "--catalog", CATALOG])
    assert result.stdout.splitlines()[:2] == ["Revenue (revenue) · Strategic", "├─ Orders (orders) · Operational"]
    tree = json.loads(runner.invoke(app, ["catalog", "tree", "aov", "--catalog", CATALOG, "--json"]).stdout)
    assert [d["metric"] for d in tree["drivers"]] == ["orders"] and tree["drives"] == ["revenue"]
    assert runner.invoke(app, ["catalog", "tree", "revenu", "--catalog", CATALOG]).exit_code != 0
