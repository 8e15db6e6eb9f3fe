"""The blind energy question set (tests/fixtures/blind_energy): its own check beside the shared ones of
tests/test_blind_soundness.py — the questions' today is the day after the warehouse ends, and every period is a pair
of dates that does not run past it."""
from __future__ import annotations

import datetime as dt

from blind_fixture import BlindSet

BLIND = BlindSet("blind_energy")


def test_today_is_the_day_after_the_warehouse_ends_and_periods_are_well_formed():
    assert BLIND.questions["today"] == dt.date(2026, 11, 27)
    for case in BLIND.answerable:
        time = case["expect"].get("time")
        if time is not None:
            start, end = time
            assert isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end <= dt.date(2026, 11, 27)
