"""The blind pharmacy question set (tests/fixtures/blind_pharmacy, issue 9): its own checks beside the shared ones
of tests/test_blind_soundness.py — today the day after the warehouse ends with every named period before it, flags
and filtered metrics in the catalog, and the warehouse building the same rows for the same `end` and ending the day
before today."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from blind_fixture import BlindSet
from test_generality import WAREHOUSE_END, build_warehouse

FOLDER = "blind_pharmacy"
BLIND = BlindSet(FOLDER)


def test_today_is_the_day_after_the_warehouse_ends():
    assert BLIND.questions["today"] == dt.date(2026, 11, 27) == WAREHOUSE_END + dt.timedelta(days=1)
    for name, (start, end) in BLIND.questions["ranges"].items():
        assert start <= end <= BLIND.questions["today"], name


def test_the_catalog_has_flags_and_filtered_metrics():
    dimensions = [d for doc in BLIND.catalog for m in doc.get("semantic_models", []) for d in m.get("dimensions", [])]
    assert len([d for d in dimensions if d["name"].startswith("is_")]) >= 1
    assert len([m for m in BLIND.metrics() if "filter" in m]) >= 2


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(tmp_path):
    warehouse = build_warehouse(FOLDER, tmp_path / f"{FOLDER}.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    facts = {"fct_rx_fills": "fill_date", "fct_rx_claims": "claim_date", "fct_front_store_sales": "sale_date",
             "fct_vaccinations": "administered_date", "fct_loyalty_signups": "enrolled_date",
             "fct_stockouts": "stockout_date"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, day in list(facts.items())[:-1]:  # stockouts are events: none on a holiday is fine
            assert con.execute(f"SELECT max({day}) FROM {table}").fetchone()[0] == WAREHOUSE_END, table

    def fingerprint(path: Path) -> list:
        with duckdb.connect(str(path), read_only=True) as con:
            return [con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} t").fetchone() for table in facts]
    assert fingerprint(warehouse) == fingerprint(again)
