"""The blind field-service question set's own check (issue 9); the checks every blind set shares — sizes, gold SQL,
catalog check, names, filter values, every period inside the history — are tests/test_blind_soundness.py's."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from test_generality import build_warehouse

FOLDER = "blind_fieldservice"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


def test_the_warehouse_is_deterministic(warehouse, tmp_path):
    """The same `end` gives the same rows: row counts and money (summed as exact decimals) match a second build."""
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    sql = {"fct_jobs": "SELECT count(*), sum(invoice_amount::DECIMAL(18, 2)), sum(parts_cost::DECIMAL(18, 2)), "
                       "sum(travel_minutes), count(*) FILTER (WHERE is_callback) FROM fct_jobs",
           "fct_service_agreements": "SELECT count(*), sum(annual_value) FROM fct_service_agreements",
           "fct_customer_ratings": "SELECT count(*), sum(stars) FROM fct_customer_ratings",
           "dim_customers": "SELECT count(*), count(DISTINCT customer_segment) FROM dim_customers"}

    def totals(path) -> dict[str, tuple]:
        with duckdb.connect(str(path), read_only=True) as con:
            return {t: con.execute(q).fetchone() for t, q in sql.items()}

    first, second = totals(warehouse), totals(again)
    assert first == second
    assert all(isinstance(v, int | Decimal) for row in first.values() for v in row)
