"""Definition history end to end: a catalog edited between two loads yields one changelog entry with its field
diff, announced once to a follower (DM) and the metric's channel through the real outbox and Slack notifier on
the fake Slack, shown by `/metrics history` and `metricloop catalog changes --json`; an unchanged reload yields
nothing."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from slack_sdk import WebClient
from tests.slack.conftest import wait_for
from typer.testing import CliRunner

from fakes import workspace as ws
from metricloop.adapters.catalog_files import load_catalog
from metricloop.cli import app
from metricloop.loop.changelog import record_catalog
from metricloop.loop.outbox import post_pending
from metricloop.slack.notifier import SlackNotifier

SHOP = Path(__file__).parents[1] / "fixtures" / "catalogs" / "shop"
FOLLOWER = "U0FOLLOW"
OLD_FILTER = "{{ Dimension('order__status') }} != 'cancelled'"
NEW_FILTER = "{{ Dimension('order__status') }} = 'completed'"


@pytest.fixture
def catalog_dir(tmp_path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(SHOP, target)
    return target


def edit(catalog_dir: Path, old: str, new: str) -> None:
    path = catalog_dir / "metrics.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def notifier(fake_slack, store, catalog) -> SlackNotifier:
    return SlackNotifier(WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url), store, lambda: catalog)


@pytest.mark.parametrize(("old", "new", "metric", "fields"), [
    (OLD_FILTER, NEW_FILTER, "revenue", {"metric.filter": ([OLD_FILTER], [NEW_FILTER])}),
    ("target: {value: 100000,", "target: {value: 120000,", "revenue", {"metric.meta.target.value": (100000.0,
                                                                                                       120000.0)}),
    ("measure: {name: order_count, fill_nulls_with: 0,", "measure: {name: order_count, fill_nulls_with: 1,",
     "orders", {"metric.measure.fill_nulls_with": (0.0, 1.0)}),
])
def test_an_edited_catalog_yields_one_announced_changelog_entry(catalog_dir, app_store, fake_slack, old, new,
                                                                 metric, fields):
    first = load_catalog(catalog_dir)
    assert record_catalog(app_store, first) == []  # the first load is the baseline: nothing to announce
    app_store.follow(FOLLOWER, metric)
    edit(catalog_dir, old, new)
    second = load_catalog(catalog_dir)
    entries = record_catalog(app_store, second, commit="c0ffee" * 7)
    changed = [e for e in entries if e.metric == metric]
    assert len(changed) == 1 and changed[0].kind == "changed"
    assert {c["field"]: (c["old"], c["new"]) for c in changed[0].changes} == fields
    assert record_catalog(app_store, load_catalog(catalog_dir)) == []  # an unchanged reload: nothing

    sender = notifier(fake_slack, app_store, second)
    assert post_pending(app_store, sender) == len([n for n in app_store.notices() if n.kind == "changelog"])
    assert post_pending(app_store, sender) == 0  # posted once
    dm = fake_slack.messages_in("D" + FOLLOWER[1:])
    channel = fake_slack.messages_in("#metrics-alerts")
    title = f"The definition of {second.metric(metric).display_name} changed"
    mine = [m["channel"] for m in dm + channel if m["text"] == title]
    assert mine == ["D" + FOLLOWER[1:], ws.ALERTS_CHANNEL] and len(dm) == 1  # the follower hears of theirs only
    mine = [m for m in dm + channel if m["text"] == title]
    body = mine[0]["blocks"][0]["text"]["text"]
    assert all(f"`{name}`" in body for name in fields)
    assert "commit c0ffeec0ffee" in mine[0]["blocks"][1]["elements"][0]["text"]


def test_aov_built_on_revenue_changes_with_it(catalog_dir, store):
    record_catalog(store, load_catalog(catalog_dir))
    edit(catalog_dir, OLD_FILTER, NEW_FILTER)
    entries = record_catalog(store, load_catalog(catalog_dir))
    assert {e.metric for e in entries} == {"revenue", "aov", "revenue_growth", "revenue_vs_month_start"}
    aov = next(e for e in entries if e.metric == "aov")
    assert [c["field"] for c in aov.changes] == ["uses.revenue.filter"]


def test_an_owner_change_of_an_input_is_not_a_change_of_the_metric_built_on_it(catalog_dir, store):
    record_catalog(store, load_catalog(catalog_dir))
    edit(catalog_dir, "owner: ana@example.com", "owner: bob@example.com")
    entries = record_catalog(store, load_catalog(catalog_dir))
    assert [(e.metric, [c["field"] for c in e.changes]) for e in entries] == [("revenue", ["metric.meta.owner"])]


def test_added_and_removed_metrics_are_changelog_entries(catalog_dir, store):
    record_catalog(store, load_catalog(catalog_dir))
    text = (catalog_dir / "metrics.yml").read_text()
    start = text.index("  - name: revenue_ytd")
    end = text.index("  - name: trial_conversion")
    (catalog_dir / "metrics.yml").write_text(text[:start] + text[end:])
    assert [(e.metric, e.kind) for e in record_catalog(store, load_catalog(catalog_dir))] == [
        ("revenue_ytd", "removed")]
    (catalog_dir / "metrics.yml").write_text(text)
    assert [(e.metric, e.kind) for e in record_catalog(store, load_catalog(catalog_dir))] == [
        ("revenue_ytd", "added")]


def test_history_and_catalog_changes_show_the_entry(catalog_dir, app_store, driver, fake_slack, monkeypatch):
    record_catalog(app_store, load_catalog(catalog_dir))
    edit(catalog_dir, OLD_FILTER, NEW_FILTER)
    record_catalog(app_store, load_catalog(catalog_dir))

    driver.command("history revenue")
    call = wait_for(lambda: fake_slack.calls_to("response_url"), what="history reply")[0]
    lines = call.params["blocks"][1]["text"]["text"].split("\n")
    assert len(lines) == 1 and "*Definition*" in lines[0] and "metric.filter changed" in lines[0]

    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(app_store.path))
    result = CliRunner().invoke(app, ["catalog", "changes", "--json", "--metric", "revenue"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(e["metric"], e["kind"]) for e in out] == [("revenue", "changed")]
    assert out[0]["changes"] == [{"field": "metric.filter", "old": [OLD_FILTER], "new": [NEW_FILTER]}]
    everything = json.loads(CliRunner().invoke(app, ["catalog", "changes", "--json"]).stdout)
    assert {e["metric"] for e in everything} == {"revenue", "aov", "revenue_growth", "revenue_vs_month_start"}


def test_catalog_check_records_each_load(catalog_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "check.sqlite"))
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    check = ["catalog", "check", "--catalog", str(catalog_dir), "--no-warehouse"]
    first = CliRunner().invoke(app, check)
    assert first.exit_code == 0 and "definition" not in first.stdout
    edit(catalog_dir, OLD_FILTER, NEW_FILTER)
    second = CliRunner().invoke(app, check)
    assert "definition changed: revenue (metric.filter)" in second.stdout
    assert "definition" not in CliRunner().invoke(app, check).stdout  # unchanged: nothing new
