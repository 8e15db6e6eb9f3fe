"""The `metricloop` command end to end: real catalog, a small real demo warehouse, the JSON contract."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.cli import app
from metricloop.demo.build import build_demo

ROOT = Path(__file__).resolve().parents[1]
ERRORS = YAML(typ="safe").load((ROOT / "tests/fixtures/cli/errors.yaml").read_text())
runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    build_demo(path, end=dt.date(2026, 11, 26), scale=0.02)
    return str(path)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    return json.loads(result.stdout)


def test_query_time_series_json_contract(warehouse):
    out = run_json("query", "-m", "revenue", "-m", "orders", "--grain", "month", "--from", "2026-01-01",
                   "--to", "2026-06-30", "--warehouse", warehouse)
    assert out["status"] == "answered" and out["metrics"] == ["revenue", "orders"]
    assert out["columns"] == ["metric_time", "revenue", "orders"]
    assert [r[0] for r in out["rows"]] == [f"2026-0{m}-01" for m in range(1, 7)]
    assert all(isinstance(r[1], float) and isinstance(r[2], int) for r in out["rows"])
    assert out["sql"].startswith("WITH") and out["truncated"] is False and out["elapsed_ms"] > 0
    assert out["interpretation"] == "Revenue and Orders, monthly, January – June 2026"


def test_query_breakdown_with_comparison_and_filter(warehouse):
    out = run_json("query", "-m", "revenue", "--by", "region", "--from", "2026-10-01", "--to", "2026-10-31",
                   "--compare", "previous", "--where", "region in east,West", "--warehouse", warehouse)
    assert out["columns"] == ["order__region", "revenue", "revenue__previous", "revenue__change"]
    assert [r[0] for r in out["rows"]] == ["East", "West"]  # values respelled as the warehouse has them
    for _, current, previous, change in out["rows"]:
        assert change == pytest.approx(current / previous - 1)


def test_explain_prints_sql_for_any_dialect():
    result = runner.invoke(app, ["explain", "-m", "aov", "--grain", "week", "--dialect", "snowflake"])
    assert result.exit_code == 0
    assert "DATE_TRUNC('WEEK'" in result.stdout and "NULLIF" in result.stdout


@pytest.mark.parametrize("case", ERRORS, ids=[" ".join(c["args"]) for c in ERRORS])
def test_bad_input_is_a_clear_error(case, warehouse):
    args = [*case["args"], "--warehouse", warehouse] if case["args"][0] == "query" else case["args"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert case["message"] in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_catalog_check_list_show(warehouse, tmp_path):
    assert runner.invoke(app, ["catalog", "check", "--warehouse", warehouse]).exit_code == 0
    listing = runner.invoke(app, ["catalog", "list"]).stdout
    assert "revenue" in listing and "refund_rate" in listing
    shown = json.loads(runner.invoke(app, ["catalog", "show", "refund_rate"]).stdout)
    assert shown["type"] == "ratio" and shown["meta"]["owner"]
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "m.yml").write_text("metrics:\n  - name: x\n    type: simpel\n")
    result = runner.invoke(app, ["catalog", "check", "--catalog", str(broken), "--no-warehouse"])
    assert result.exit_code == 1 and "broken/m.yml:3 metrics[0].type: unknown metric type 'simpel'" in result.output


def test_schema_command_prints_the_meta_json_schema():
    schema = json.loads(runner.invoke(app, ["catalog", "schema"]).stdout)
    assert {"owner", "synonyms", "target", "alert", "format"} <= set(schema["properties"])


def test_ask_answers_refuses_and_clarifies(warehouse):
    answered = run_json("ask", "revenue by region last month", "--today", "2026-11-27", "--warehouse", warehouse)
    assert answered["status"] == "answered" and answered["columns"][0] == "order__region"
    assert answered["query"]["time_range"] == {"start": "2026-10-01", "end": "2026-10-31"}
    refused = run_json("ask", "what is our stock price", "--today", "2026-11-27", "--warehouse", warehouse)
    assert refused["status"] == "no_match" and refused["rows"] == [] and refused["options"]
    chinese = run_json("ask", "上个月的退款率", "--today", "2026-11-27", "--warehouse", warehouse)
    assert chinese["status"] == "answered" and chinese["metrics"] == ["refund_rate"]
    assert chinese["interpretation"].startswith("退款率")


def test_local_chat_keeps_context_clarifies_and_saves_charts(warehouse, tmp_path):
    import io

    from rich.console import Console

    from metricloop.chat import run_chat
    from metricloop.settings import load_settings

    console = Console(record=True, width=120)
    lines = "revenue by region last month\nonly the East region\nwhat about last year?\n客户数\n1\n/sql\n/quit\n"
    settings = load_settings(warehouse=warehouse, chart_dir=tmp_path / "charts", cache_dir=tmp_path / "cache")
    run_chat(settings, stdin=io.StringIO(lines), console=console, today=dt.date(2026, 11, 27))
    text = console.export_text()
    assert "Revenue by Region, October 2026" in text
    assert "Revenue by Region, Region = East, October 2026" in text     # follow-up kept metric, breakdown, period
    assert "Revenue by Region, Region = East, 2025" in text             # and then changed only the period
    assert "1. 客户总数" in text and "客户总数，全部时间" in text  # clarify, then the pick
    assert "FROM customers" in text                                       # /sql shows the last answer's SQL
    charts = sorted((tmp_path / "charts").glob("*.png"))
    assert "In Oct 2026, Revenue for East was $43" in text                # one group: its value, no ranking
    assert len(charts) >= 1 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts)


def test_a_single_number_is_shown_with_its_change_but_json_keeps_what_was_asked(warehouse):
    from metricloop.core.query import MetricQuery
    from metricloop.runtime import build_service
    from metricloop.settings import load_settings

    service = build_service(load_settings(warehouse=warehouse))
    asked = MetricQuery(metrics=("revenue",), time_range={"start": "2026-10-01", "end": "2026-10-31"})
    answer = service.query(asked)
    assert [c.name for c in answer.columns] == ["revenue"]
    shown = service.for_display(answer)
    assert [c.name for c in shown.columns] == ["revenue", "revenue__previous", "revenue__change"]
    assert shown.rows[0][0] == answer.rows[0][0] and shown.query == asked  # follow-ups keep the question
    september = service.query(asked.with_changes(time_range={"start": "2026-09-01", "end": "2026-09-30"}))
    assert shown.rows[0][1] == pytest.approx(september.rows[0][0])
    by_region = service.query(asked.with_changes(group_by=("order__region",)))
    assert service.for_display(by_region) is by_region  # breakdowns are shown as asked


def test_catalog_check_warns_about_metrics_it_cannot_compute_yet():
    result = runner.invoke(app, ["catalog", "check", "--catalog", str(ROOT / "tests/fixtures/catalogs/shop"),
                                 "--no-warehouse"])
    text = " ".join(result.output.split())
    assert result.exit_code == 0
    assert "warning: shop/metrics.yml:38 metric 'trial_conversion' cannot be computed yet" in text
    assert "2 metric(s) not computable yet" in text


def test_ask_as_a_user_outside_the_allowed_group_is_denied(warehouse):
    denied = run_json("ask", "refund rate last month", "--today", "2026-11-27", "--user", "U0NOTFINANCE",
                      "--warehouse", warehouse)
    assert denied["status"] == "denied" and denied["rows"] == [] and "refund_rate" in denied["message"]
    allowed = run_json("ask", "refund rate last month", "--today", "2026-11-27", "--user", "@li.wei",
                       "--warehouse", warehouse)
    assert allowed["status"] == "answered" and allowed["rows"]


def test_commands_under_test_never_write_the_projects_own_store():
    from metricloop.settings import DEFAULT_VAR, Settings

    assert not Settings().store_path.resolve().is_relative_to(DEFAULT_VAR.resolve())
