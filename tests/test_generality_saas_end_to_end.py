"""`metricloop ask --json` on the B2B SaaS catalog nobody tuned on: rows equal hand-written SQL.

Each question goes through the real CLI (understanding with the bundled model, compile, DuckDB); the
expected rows come from plain SQL written by hand against tests/fixtures/generality_saas's warehouse.
"""
from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from metricloop.cli import app
from test_eval_generality_saas import HERE, build_warehouse
from test_generality_end_to_end import _cache, _close  # noqa: F401 - the same cache fixture and float check

TODAY = "2026-11-27"
# question → (metrics, hand-written SQL giving the expected rows: dimension values first, then the metrics)
CASES = {
    "MRR by plan last month": (["mrr"], """
        SELECT a.plan, sum(m.mrr) FROM fct_mrr m JOIN dim_accounts a USING (account_id)
        WHERE m.date_month BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY a.plan"""),
    "how many logos churned last quarter?": (["churned_accounts"], """
        SELECT count(DISTINCT account_id) FROM fct_mrr_movements
        WHERE movement_type = 'churn' AND movement_month BETWEEN '2026-07-01' AND '2026-09-30'"""),
    "median first response time by support channel this month": (["median_first_response_minutes"], """
        SELECT channel, median(first_response_minutes) FROM fct_tickets
        WHERE created_at BETWEEN '2026-11-01' AND '2026-11-27' GROUP BY channel"""),
    "trial conversion rate in EMEA this year": (["trial_conversion_rate"], """
        SELECT count(*) FILTER (WHERE converted AND started_trial) / count(*) FILTER (WHERE started_trial)
        FROM dim_accounts WHERE region = 'EMEA' AND created_at BETWEEN '2026-01-01' AND '2026-11-27'"""),
    "active accounts by feature last week": (["active_accounts"], """
        SELECT feature, count(DISTINCT account_id) FROM fct_product_events
        WHERE event_date BETWEEN '2026-11-16' AND '2026-11-22' GROUP BY feature"""),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    return str(build_warehouse(tmp_path_factory.mktemp("saas") / "saas.duckdb"))


def _expected(warehouse: str, sql: str) -> list[list]:
    """Rows of the hand-written SQL, DECIMAL sums as the floats the JSON carries."""
    with duckdb.connect(warehouse, read_only=True) as con:
        return sorted([v if isinstance(v, str) else float(v) for v in r] for r in con.execute(sql).fetchall())


@pytest.mark.parametrize("question", list(CASES))
def test_ask_rows_equal_hand_written_sql(warehouse, question):
    metrics, sql = CASES[question]
    args = ["ask", question, "--catalog", str(HERE / "catalog"), "--warehouse", warehouse, "--today", TODAY, "--json"]
    out = json.loads(CliRunner().invoke(app, args).stdout)
    assert (out["status"], out["metrics"]) == ("answered", metrics), out
    got, want = sorted(out["rows"]), _expected(warehouse, sql)
    assert got and len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=False)), (got, want)
