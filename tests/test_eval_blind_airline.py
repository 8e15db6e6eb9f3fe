"""The blind airline question set (tests/fixtures/blind_airline, held out): its own checks beside the shared ones of
tests/test_blind_soundness.py — the questions are asked the day after the warehouse ends, and every asked period lies
in the warehouse's history."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from blind_fixture import BlindSet
from test_generality import build_warehouse

BLIND = BlindSet("blind_airline")
QUESTIONS, ANSWERABLE = BLIND.questions, BLIND.answerable


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse("blind_airline", tmp_path_factory.mktemp("blind_airline") / "airline.duckdb")


def test_the_questions_are_asked_the_day_after_the_warehouse_ends(warehouse):
    assert str(QUESTIONS["today"]) == "2026-11-27"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        last = {t: con.execute(f"SELECT max({c}) FROM {t}").fetchone()[0].isoformat()
                for t, c in (("fct_flights", "flight_date"), ("fct_flight_sales", "flight_date"),
                             ("fct_baggage", "flight_date"), ("fct_loyalty_enrollments", "enrolled_date"))}
    assert set(last.values()) == {"2026-11-26"}, last


def test_every_asked_period_lies_in_the_warehouse_history():
    for case in ANSWERABLE:
        period = case["expect"].get("time")
        if period:
            assert str(period[0]) >= "2024-11-01" and period[0] <= period[1] <= QUESTIONS["today"], case["q"]
