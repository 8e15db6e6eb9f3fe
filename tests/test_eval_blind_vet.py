"""The blind veterinary question set's own check (issue 9); the checks every blind set shares — sizes, gold SQL,
catalog check, names, filter values, every period inside the history — are tests/test_blind_soundness.py's."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from test_generality import build_warehouse

FOLDER = "blind_vet"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


def test_the_warehouse_is_deterministic(warehouse, tmp_path):
    """The same `end` gives the same rows: a second build matches the first, table by table."""
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        listing = "SELECT table_name FROM information_schema.tables ORDER BY 1"
        tables = [r[0] for r in a.execute(listing).fetchall()]
        assert tables == [r[0] for r in b.execute(listing).fetchall()]
        for table in tables:
            digest = f"SELECT count(*), sum(hash(t)) FROM {table} t"
            assert a.execute(digest).fetchone() == b.execute(digest).fetchone(), table
