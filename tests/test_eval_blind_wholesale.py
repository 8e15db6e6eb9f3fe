"""The blind wholesale question set (tests/fixtures/blind_wholesale, a broadline food-service distributor, issue 9): its
own checks beside the shared ones of tests/test_blind_soundness.py — today and the named periods, flags, filtered
metrics and named entities in the catalog, and the warehouse building the same rows every time and ending the day
before today."""
from __future__ import annotations

import datetime as dt

import duckdb

from blind_fixture import BlindSet
from test_generality import build_warehouse

FOLDER = "blind_wholesale"
BLIND = BlindSet(FOLDER)


def test_today_is_the_friday_after_the_warehouse_ends_and_the_named_periods_hold():
    data = BLIND.questions
    today, ranges = data["today"], data["ranges"]
    assert today == dt.date(2026, 11, 27) and today.isoweekday() == 5
    assert ranges["yesterday"] == [today - dt.timedelta(days=1)] * 2
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_week"] == [today - dt.timedelta(days=today.isoweekday() - 1), today]
    assert ranges["this_month"] == [today.replace(day=1), today]
    for n in (7, 30, 90):
        assert ranges[f"last_{n}_days"] == [today - dt.timedelta(days=n), today - dt.timedelta(days=1)]
    for start, end in ranges.values():
        assert start <= end <= today


def test_the_catalog_has_flags_filtered_metrics_and_named_entities():
    models = [m for doc in BLIND.catalog for m in doc.get("semantic_models", [])]
    dimensions = {d["name"] for m in models for d in m.get("dimensions", [])}
    assert {"is_chain", "is_private_label", "is_promo", "is_overdue", "is_on_time"} <= dimensions
    assert {"customer_name", "rep_name", "product_name", "supplier_name", "route_name", "truck_code"} <= dimensions
    assert len([m for m in BLIND.metrics() if "filter" in m]) >= 4


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(tmp_path):
    warehouse = build_warehouse(FOLDER, tmp_path / f"{FOLDER}.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    # Money is summed as exact decimals: a sum of doubles depends on the order DuckDB's threads add them in.
    sql = ("SELECT count(*), sum(net_sales::DECIMAL(18, 2)), sum(cases_shipped), max(order_date) FROM fct_order_lines")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        first, second = a.execute(sql).fetchone(), b.execute(sql).fetchone()
        assert first == second
        assert first[3] == BLIND.questions["today"] - dt.timedelta(days=1)
        for table in ("fct_orders", "fct_invoices", "fct_credit_memos", "fct_deliveries", "dim_customers"):
            assert a.execute(f"SELECT count(*) FROM {table}").fetchone() == b.execute(
                f"SELECT count(*) FROM {table}").fetchone(), table
