"""The blind EV charging question set's own check (issue 9); the checks every blind set shares — sizes, gold SQL,
catalog check, names, filter values, every period inside the history — are tests/test_blind_soundness.py's."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from test_generality import build_warehouse

FOLDER = "blind_evcharging"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


def test_the_warehouse_holds_exactly_the_history_the_questions_assume(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        first, last = con.execute("SELECT min(session_date), max(session_date) FROM fct_charging_sessions").fetchone()
    assert (first, last) == (dt.date(2024, 11, 1), dt.date(2026, 11, 26))
