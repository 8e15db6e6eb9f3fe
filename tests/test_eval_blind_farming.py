"""The blind farming question set (tests/fixtures/blind_farming, a grain and agronomy co-op, issue 9): its own checks
beside the shared ones of tests/test_blind_soundness.py — today and the named periods, flags, filtered metrics and
names in the catalog, and the warehouse building the same rows every time and ending the day before today."""
from __future__ import annotations

import datetime as dt

import duckdb

from blind_fixture import BlindSet
from test_generality import WAREHOUSE_END, build_warehouse

FOLDER = "blind_farming"
BLIND = BlindSet(FOLDER)


def test_today_is_the_day_after_the_warehouse_ends_and_the_named_periods_hold():
    data = BLIND.questions
    assert data["today"] == dt.date(2026, 11, 27) == WAREHOUSE_END + dt.timedelta(days=1)
    assert data["today"].isoweekday() == 5
    ranges = data["ranges"]
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_month"] == [dt.date(2026, 11, 1), dt.date(2026, 11, 27)]
    assert ranges["last_30_days"] == [dt.date(2026, 10, 28), dt.date(2026, 11, 26)]
    for name, (start, end) in ranges.items():
        assert start <= end <= data["today"], name
        if "week" in name and "days" not in name:
            assert start.isoweekday() == 1, name


def test_the_catalog_has_flags_filtered_metrics_and_names():
    metrics = BLIND.metrics()
    assert sum("filter" in m for m in metrics) >= 2
    assert any(isinstance(m["type_params"].get("numerator"), dict) for m in metrics if m["type"] == "ratio")
    dimensions = BLIND.dimension_names()
    assert {"member__is_organic_certified", "planting__is_irrigated"} <= dimensions
    assert {"member__farm_name", "elevator__elevator_name", "agronomist__agronomist_name",
            "variety__variety_name"} <= dimensions


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(tmp_path):
    warehouse = build_warehouse(FOLDER, tmp_path / f"{FOLDER}.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    checks = ["SELECT max(delivery_date), count(*), sum(net_bushels::DECIMAL(18, 2)) FROM fct_grain_deliveries",
              "SELECT max(invoice_date), count(*), sum(sales_amount::DECIMAL(18, 2)) FROM fct_input_sales",
              "SELECT count(*), sum(bushels::DECIMAL(18, 2)) FROM fct_harvests",
              "SELECT count(*), sum(contract_value::DECIMAL(18, 2)) FROM fct_grain_contracts"]
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        for sql in checks:
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), sql
        assert a.execute(checks[0]).fetchone()[0] == WAREHOUSE_END
