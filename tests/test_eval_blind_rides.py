"""The blind rides question set (tests/fixtures/blind_rides, held out in session 6): its own checks beside the
shared ones of tests/test_blind_soundness.py — a comparison's gold lists both periods, latest first, and the
warehouse builds the same twice."""
from __future__ import annotations

import duckdb

from blind_fixture import BlindSet
from test_generality import build_warehouse

FOLDER = "blind_rides"
BLIND = BlindSet(FOLDER)


def test_a_comparison_lists_both_periods_latest_first():
    compared = {q["q"] for q in BLIND.answerable if q["expect"].get("compare")}
    for gold in (g for g in BLIND.gold if g["q"] in compared):
        (latest, *_), (earlier, *_) = gold["result"]
        assert len(gold["result"]) == 2 and latest > earlier, gold


def test_the_warehouse_is_deterministic(tmp_path):
    first = build_warehouse(FOLDER, tmp_path / "first.duckdb")
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    sql = ("SELECT count(*), sum(gross_fare::DECIMAL(18, 2)), sum(driver_id), sum(promo_id), count(DISTINCT rider_id) "
           "FROM fct_trips")
    with duckdb.connect(str(first), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        assert a.execute(sql).fetchall() == b.execute(sql).fetchall()
