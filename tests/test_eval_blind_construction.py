"""The blind construction question set's own check (issue 9); the checks every blind set shares — sizes, gold SQL,
catalog check, names, filter values, every period inside the history — are tests/test_blind_soundness.py's."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from blind_fixture import rows
from test_generality import build_warehouse

FOLDER = "blind_construction"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


def test_the_warehouse_is_deterministic(warehouse, tmp_path):
    """The same `end` gives the same rows: every table's row count and a checksum of its money and hours."""
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    checks = {"fct_daily_manpower": "sum(labor_hours::DECIMAL(18, 1))", "fct_job_cost": "sum(actual_amount)",
              "fct_change_orders": "sum(co_amount)", "fct_pay_applications": "sum(amount_billed)",
              "fct_safety_events": "sum(event_id * sub_id)",
              "fct_inspections": "count(*) FILTER (WHERE result = 'Failed')",
              "fct_rfis": "sum(coalesce(days_to_answer, 0))", "fct_submittals": "sum(review_days)",
              "fct_equipment_rentals": "sum(rental_cost)"}
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        for table, expr in checks.items():
            sql = f"SELECT count(*), {expr} FROM {table}"
            assert rows(a, sql) == rows(b, sql), table
