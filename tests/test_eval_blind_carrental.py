"""The blind car-rental question set (tests/fixtures/blind_carrental): its own check beside the shared ones of
tests/test_blind_soundness.py — the warehouse builds the same twice."""
from __future__ import annotations

import duckdb

from test_generality import build_warehouse

FOLDER = "blind_carrental"


def test_the_warehouse_is_deterministic(tmp_path):
    """The same `end` gives the same rows: a second build matches the first, table by table."""
    first = build_warehouse(FOLDER, tmp_path / "first.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    with duckdb.connect(str(first), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        tables = [r[0] for r in a.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        for table in tables:
            digest = f"SELECT count(*), sum(hash(t)) FROM {table} t"
            assert a.execute(digest).fetchone() == b.execute(digest).fetchone(), table
