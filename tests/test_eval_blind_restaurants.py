"""The blind restaurants question set (tests/fixtures/blind_restaurants, held out in session 7): its own check
beside the shared ones of tests/test_blind_soundness.py — the questions' today, and every named period inside the
warehouse's history."""
from __future__ import annotations

import datetime as dt

from blind_fixture import BlindSet

BLIND = BlindSet("blind_restaurants")
FIRST_DAY, LAST_DAY = dt.date(2024, 11, 1), dt.date(2026, 11, 26)


def test_today_is_the_day_after_the_data_and_every_period_is_inside_it():
    assert BLIND.questions["today"] == LAST_DAY + dt.timedelta(days=1)
    for name, (start, end) in BLIND.questions["ranges"].items():
        assert FIRST_DAY <= start <= end <= BLIND.questions["today"], name
    for case in BLIND.answerable:
        if case["expect"].get("time"):
            start, end = case["expect"]["time"]
            assert FIRST_DAY <= start <= end <= BLIND.questions["today"], case["q"]
