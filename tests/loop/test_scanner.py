"""The anomaly scan on the demo warehouse: every planted incident found with no false alert on the overall
series, no look-ahead, freshness, owners' expected marks, and the outbox."""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.cli import app
from metricloop.core.loop.anomaly import Anomaly, make_slice
from metricloop.demo import build_demo, plan_incidents
from metricloop.loop.outbox import PrintNotifier, post_pending
from metricloop.loop.scanner import make_plan, run_scan, scan_range
from metricloop.service import MetricService
from metricloop.settings import DEFAULT_CATALOG

END = dt.date(2026, 9, 30)
SCALE = 0.5  # at 0.1 a 40% drop of one region's ~40 orders a day is within its daily noise
CATALOG = load_catalog(DEFAULT_CATALOG)
INCIDENTS = {i.kind + (f" {i.metric}" if i.kind == "drift" else ""): i for i in plan_incidents(END)}
OUTAGE = INCIDENTS["outage"].start


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "demo.duckdb"
    build_demo(path, end=END, scale=SCALE)
    return path


def service_for(path: Path) -> MetricService:
    return MetricService(catalog=CATALOG, warehouse=DuckDBWarehouse(str(path), read_only=True), max_rows=100_000)


@pytest.fixture(scope="module")
def scan45(demo_path):
    return scan_range(service_for(demo_path), END - dt.timedelta(days=45), END)


def near(incident, day: dt.date) -> bool:
    return incident.start <= day <= incident.end + dt.timedelta(days=2)


@pytest.mark.parametrize("name", sorted(INCIDENTS))
def test_every_planted_incident_is_found_on_its_metric_and_slice(scan45, name):
    incident = INCIDENTS[name]
    hits = [a for a in scan45.anomalies if a.metric == incident.metric and a.slice == make_slice(incident.slice)
            and near(incident, a.day)]
    assert hits, f"{name}: nothing on {incident.metric} {incident.slice} from {incident.start} to {incident.end}"


def test_no_false_alert_on_the_overall_series(scan45):
    def explained(a) -> bool:  # the incident's own metric, the metrics it names, or the whole business
        return any(near(i, a.day) and (i.kind in ("outage", "refund_spike") or a.metric in (i.metric, *i.also))
                   for i in INCIDENTS.values())

    false = [(a.metric, str(a.day), a.direction) for a in scan45.anomalies if not a.slice and not explained(a)]
    assert false == []
    assert scan45.freshness == [] and scan45.errors == []


def test_the_outage_is_explained_and_its_drivers_named(scan45):
    [rate] = [a for a in scan45.anomalies if a.metric == "refund_rate" and a.slice == () and a.day == OUTAGE]
    assert "gross_revenue" in rate.drivers  # the denominator collapsed the same day
    spike = INCIDENTS["refund_spike"]
    top = [a.contributors[0] for a in scan45.anomalies
           if a.metric == "refunded_amount" and a.slice == () and spike.start <= a.day <= spike.end]
    assert top and {(c.dimension, c.value) for c in top} <= {("order__product_category", "electronics"),
                                                              ("refund__reason", "defective")}


def cut_copy(src: Path, dst: Path, after: dt.date, *, only: str | None = None, day: dt.date | None = None) -> Path:
    """A copy of the warehouse without rows dated after ``after`` (each model's own time column), or,
    with ``only``/``day``, without that model's rows of one day."""
    shutil.copy(src, dst)
    con = duckdb.connect(str(dst))
    for model in CATALOG.semantic_models:
        column = model.default_agg_time_dimension
        if column is None or (only is not None and model.name != only):
            continue
        if day is None:
            con.execute(f"DELETE FROM {model.table} WHERE CAST({column} AS DATE) > ?", [after])
        else:
            con.execute(f"DELETE FROM {model.table} WHERE CAST({column} AS DATE) = ?", [day])
    con.close()
    return dst


def test_no_look_ahead_scanning_a_day_equals_scanning_a_warehouse_cut_at_that_day(demo_path, tmp_path):
    day = OUTAGE + dt.timedelta(days=1)
    start = OUTAGE - dt.timedelta(days=2)
    full = scan_range(service_for(demo_path), start, day)
    cut = scan_range(service_for(cut_copy(demo_path, tmp_path / "cut.duckdb", day)), start, day)
    assert any(a.day == OUTAGE for a in full.anomalies)
    assert [a.to_json() for a in full.anomalies] == [a.to_json() for a in cut.anomalies]


def test_a_model_whose_last_day_is_missing_raises_one_freshness_problem_and_no_anomalies(demo_path, tmp_path):
    path = cut_copy(demo_path, tmp_path / "late.duckdb", OUTAGE, only="orders", day=OUTAGE)
    result = scan_range(service_for(path), OUTAGE, OUTAGE)
    [problem] = result.freshness
    assert (problem.model, problem.expected_day, problem.latest_day) == ("orders", OUTAGE,
                                                                         OUTAGE - dt.timedelta(days=1))
    assert {"orders", "revenue", "refund_rate"} <= set(problem.metrics)
    assert not [a for a in result.anomalies if "orders" in make_plan(service_for(path)).get(a.metric).models]
    assert any(a.metric == "sessions" for a in result.anomalies)  # other models are still judged: the outage


def test_run_scan_stores_each_anomaly_once_and_an_expected_mark_silences_the_day(demo_path, tmp_path):
    store = SQLiteStore(tmp_path / "s.sqlite")
    service = service_for(demo_path)
    first = run_scan(service, store, OUTAGE, only={"orders"})
    assert first.created == len(first.anomalies) > 0
    again = run_scan(service, store, OUTAGE, only={"orders"})
    assert again.created == 0 and len(store.pending_notices()) == len(first.anomalies)
    assert run_scan(service, store, OUTAGE + dt.timedelta(days=1), only={"orders"}, dry_run=True).created == 0
    store.add_adjustment("orders", "expected", {"reason": "planned maintenance", "day": OUTAGE.isoformat()}, "U1")
    marked = run_scan(service, store, OUTAGE, only={"orders"}, dry_run=True)
    assert not [a for a in marked.anomalies if a.slice == () and a.day == OUTAGE]


def test_post_pending_marks_what_was_posted_and_keeps_what_failed(tmp_path):
    store = SQLiteStore(tmp_path / "s.sqlite")
    for day in (OUTAGE, OUTAGE + dt.timedelta(days=1)):
        store.record_anomaly(Anomaly(metric="orders", day=day, value=1, expected=9, lower=5, upper=13, severity=-5,
                                     direction="down"))

    class FlakyNotifier(PrintNotifier):
        def post(self, notice):
            if notice.payload["date"] == OUTAGE.isoformat():
                raise ConnectionError("slack is down")
            return super().post(notice)

    assert post_pending(store, FlakyNotifier(out=io.StringIO())) == 1
    [left] = store.pending_notices()
    assert left.payload["date"] == OUTAGE.isoformat()
    out = io.StringIO()
    assert post_pending(store, PrintNotifier(out=out)) == 1 and store.pending_notices() == []
    assert "orders" in out.getvalue()


JSON_KEYS = {"metric", "slice", "date", "value", "expected", "lower", "upper", "severity", "direction", "contributors",
             "drivers"}


def test_scan_cli_json_contract_and_dry_run_stores_nothing(demo_path, tmp_path, monkeypatch):
    store_path = tmp_path / "cli.sqlite"
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(store_path))
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    args = ["scan", "--date", OUTAGE.isoformat(), "-m", "orders", "--warehouse", str(demo_path), "--json"]
    dry = CliRunner().invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    found = json.loads(dry.stdout)
    assert isinstance(found, list) and found and all(set(a) == JSON_KEYS for a in found)
    [whole] = [a for a in found if a["slice"] == {}]
    assert (whole["metric"], whole["date"], whole["direction"]) == ("orders", OUTAGE.isoformat(), "down")
    assert whole["lower"] <= whole["expected"] <= whole["upper"] and whole["value"] < whole["lower"]
    assert {"dimension", "value", "share"} <= set(whole["contributors"][0])
    assert [a["slice"] for a in found] == [{}]  # every slice fell with the whole: the overall notice covers them
    assert not store_path.exists() or SQLiteStore(store_path).alerts() == []
    stored = CliRunner().invoke(app, args)
    assert stored.exit_code == 0 and json.loads(stored.stdout) == found
    listed = json.loads(CliRunner().invoke(app, ["alerts", "--open", "--json"]).stdout)
    assert len(listed) == len(found) and all(a["ts"] for a in listed)  # printed = posted without Slack
    assert CliRunner().invoke(app, ["scan", "--date", "2026-09-01", "--from", "2026-09-01"]).exit_code != 0
