"""The blind transit question set (tests/fixtures/blind_transit, issue 9): its own checks beside the shared ones of
tests/test_blind_soundness.py — today and the named periods, the flags and filtered metrics the questions rely on,
and the warehouse building the same rows on every run and ending the day before today."""
from __future__ import annotations

import datetime as dt

import duckdb

from blind_fixture import BlindSet, rows
from test_generality import build_warehouse

FOLDER = "blind_transit"
BLIND = BlindSet(FOLDER)


def test_today_and_the_named_periods():
    data = BLIND.questions
    assert data["today"] == dt.date(2026, 11, 27) and data["today"].isoweekday() == 5
    ranges = {k: [dt.date.fromisoformat(str(d)) for d in v] for k, v in data["ranges"].items()}
    assert ranges["yesterday"] == [dt.date(2026, 11, 26)] * 2
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_month"] == [dt.date(2026, 11, 1), dt.date(2026, 11, 27)]
    assert ranges["last_30_days"] == [dt.date(2026, 10, 28), dt.date(2026, 11, 26)]
    for name in ("last_week", "week_before_last", "last_4_weeks", "last_8_weeks"):
        start, end = ranges[name]
        assert start.isoweekday() == 1 and end.isoweekday() == 7 and (end - start).days % 7 == 6, name
    for start, end in ranges.values():
        assert start <= end <= data["today"]


def test_the_catalog_has_flags_and_filtered_metrics():
    dims = [d for doc in BLIND.catalog for m in doc.get("semantic_models", []) for d in m.get("dimensions", [])]
    assert len([d for d in dims if d["name"].startswith("is_")]) >= 2
    assert len([m for m in BLIND.metrics() if "filter" in m]) >= 1
    assert any(isinstance(m["type_params"].get("numerator"), dict) for m in BLIND.metrics() if m["type"] == "ratio")


def test_the_warehouse_ends_the_day_before_today_and_is_deterministic(tmp_path):
    warehouse = build_warehouse(FOLDER, tmp_path / f"{FOLDER}.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    # Money is summed as exact decimals: a sum of doubles depends on the order DuckDB's threads add them in.
    check = ("SELECT max(service_date), count(*), sum(boardings), sum(fare_revenue::DECIMAL(18, 2)) "
             "FROM fct_ridership_daily "
             "UNION ALL SELECT max(incident_date), count(*), sum(delay_minutes), 0 FROM fct_service_incidents "
             "UNION ALL SELECT max(received_date), count(*), sum(days_to_resolve), 0 FROM fct_customer_complaints")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        first = rows(a, check)
        assert first == rows(b, check)
    assert {r[0] for r in first} == {"2026-11-26"}
