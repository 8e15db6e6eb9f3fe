"""The blind streaming question set (tests/fixtures/blind_streaming, video streaming subscriptions, issue 9): its
own checks beside the shared ones of tests/test_blind_soundness.py — today and the named periods, flags and filtered
metrics in the catalog, and the warehouse building the same rows every time and ending the day before today."""
from __future__ import annotations

import datetime as dt

import duckdb

from blind_fixture import BlindSet
from test_generality import build_warehouse

FOLDER = "blind_streaming"
BLIND = BlindSet(FOLDER)


def test_today_and_the_periods_follow_the_readme():
    data = BLIND.questions
    assert data["today"] == dt.date(2026, 11, 27) and data["today"].isoweekday() == 5
    ranges = data["ranges"]
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_month"] == [dt.date(2026, 11, 1), dt.date(2026, 11, 27)]
    assert ranges["last_7_days"] == [dt.date(2026, 11, 20), dt.date(2026, 11, 26)]
    assert ranges["last_30_days"][1] - ranges["last_30_days"][0] == dt.timedelta(days=29)
    for start, end in ranges.values():
        assert start <= end <= data["today"]


def test_the_catalog_has_flags_and_filtered_metrics():
    texts = "\n".join(BLIND.catalog_texts())
    assert texts.count("name: is_") >= 2
    assert sum(1 for m in BLIND.metrics() if "filter" in m) >= 2
    assert any("non_additive_dimension" in t for t in BLIND.catalog_texts())


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(tmp_path):
    warehouse = build_warehouse(FOLDER, tmp_path / f"{FOLDER}.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    facts = {"fct_payments": "payment_date", "fct_viewing_sessions": "session_date", "fct_trials": "trial_start_date",
             "fct_cancellations": "cancel_date", "fct_subscriber_daily": "snapshot_date"}
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        for table, day in facts.items():
            sql = f"SELECT count(*), max({day}), sum(hash(COLUMNS(*))) FROM {table}"
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), table
            assert a.execute(f"SELECT max({day}) FROM {table}").fetchone()[0] <= dt.date(2026, 11, 26)
        assert a.execute("SELECT max(snapshot_date) FROM fct_subscriber_daily").fetchone()[0] == dt.date(2026, 11, 26)
