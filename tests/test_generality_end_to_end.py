"""`metricloop ask --json` on the ride-hailing catalog it was never tuned on: rows equal hand-written SQL.

Each question goes through the real CLI (understanding with the bundled model, compile, DuckDB); the
expected rows come from plain SQL written by hand against tests/fixtures/generality's warehouse.
"""
from __future__ import annotations

import json
import math

import duckdb
import pytest
from typer.testing import CliRunner

from metricloop.cli import app
from test_eval_generality import HERE, build_warehouse

TODAY = "2026-11-27"
# question → (metrics, hand-written SQL giving the expected rows: dimension values first, then the metrics)
CASES = {
    "completed trips by city last month": (["completed_trips"], """
        SELECT city, count(*) FROM trips
        WHERE status = 'completed' AND requested_at BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY city"""),
    "average fare for comfort rides last quarter": (["average_fare"], """
        SELECT sum(fare) / count(*) FROM trips
        WHERE status = 'completed' AND ride_type = 'comfort' AND requested_at BETWEEN '2026-07-01' AND '2026-09-30'"""),
    "new riders by acquisition source last month": (["new_riders"], """
        SELECT acquisition_source, count(*) FROM riders
        WHERE signed_up_at BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY acquisition_source"""),
    "online hours in Hamburg yesterday": (["online_hours"], """
        SELECT sum(online_hours) FROM driver_shifts WHERE city = 'Hamburg' AND shift_date = '2026-11-26'"""),
    "cancellation rate by city this month": (["cancellation_rate"], """
        SELECT city, count(*) FILTER (WHERE status IN ('rider_cancelled', 'driver_cancelled')) / count(*) FROM trips
        WHERE requested_at BETWEEN '2026-11-01' AND '2026-11-27' GROUP BY city"""),
    "trips per online hour last week": (["trips_per_online_hour"], """
        SELECT (SELECT count(*) FROM trips WHERE status = 'completed' AND requested_at BETWEEN '2026-11-16' AND '2026-11-22')
             / (SELECT sum(online_hours) FROM driver_shifts WHERE shift_date BETWEEN '2026-11-16' AND '2026-11-22')"""),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    return str(build_warehouse(tmp_path_factory.mktemp("rides") / "rides.duckdb"))


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))


def _close(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) if isinstance(x, (int, float)) and isinstance(y, (int, float))
        else x == y for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("question", list(CASES))
def test_ask_rows_equal_hand_written_sql(warehouse, question):
    metrics, sql = CASES[question]
    result = CliRunner().invoke(app, ["ask", question, "--catalog", str(HERE / "catalog"), "--warehouse", warehouse,
                                      "--today", TODAY, "--json"])
    out = json.loads(result.stdout)
    assert out["status"] == "answered", out
    assert out["metrics"] == metrics
    con = duckdb.connect(warehouse, read_only=True)
    try:
        want = sorted(list(r) for r in con.execute(sql).fetchall())
    finally:
        con.close()
    got = sorted(out["rows"])
    assert len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=False)), (got, want)
