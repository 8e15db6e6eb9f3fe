"""SQL snapshots per dialect (tests/fixtures/compile/snapshots/). Regenerate with METRICLOOP_UPDATE_SNAPSHOTS=1.
Every snapshot must also parse back with sqlglot in its own dialect."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot
from compile_world import make_catalog

from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery

DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "trino", "spark")
SNAPSHOTS = Path(__file__).parents[1] / "fixtures/compile/snapshots"
UPDATE = os.environ.get("METRICLOOP_UPDATE_SNAPSHOTS") == "1"
QUERIES = {
    "two_hop_week": dict(metrics=["revenue"], group_by=["region__name"], grain="week",
                         time_range={"start": "2024-01-01", "end": "2024-03-31"}),
    "fanout_ratio": dict(metrics=["revenue_per_customer", "customer_count"], group_by=["region__name"]),
    "derived_offset": dict(metrics=["revenue_mom"], grain="month",
                           time_range={"start": "2024-01-01", "end": "2024-04-30"}),
    "cumulative_avg": dict(metrics=["buyers_7d_avg", "revenue_mtd"], grain="month",
                           time_range={"start": "2024-01-01", "end": "2024-02-29"}),
    "compare_filters": dict(metrics=["completed_revenue", "median_amount"], group_by=["customer__segment"],
                            where=[{"dimension": "order__status", "op": "not in", "values": ["x", "y"]}],
                            time_range={"start": "2024-01-01", "end": "2024-03-31"}, compare="year_over_year",
                            order_by=[{"field": "completed_revenue", "descending": True}], limit=5),
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_snapshot(name, dialect):
    sql = compile_query(make_catalog(), MetricQuery.model_validate(QUERIES[name]), dialect).sql
    pretty = sqlglot.transpile(sql, read=dialect, write=dialect, pretty=True)[0] + "\n"
    path = SNAPSHOTS / dialect / f"{name}.sql"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pretty)
    assert pretty == path.read_text(), f"snapshot changed; rerun with METRICLOOP_UPDATE_SNAPSHOTS=1 to accept ({path})"
    parsed = sqlglot.parse_one(path.read_text(), read=dialect)
    assert parsed.find(sqlglot.exp.Select) is not None and "QUALIFY" not in sql.upper()
