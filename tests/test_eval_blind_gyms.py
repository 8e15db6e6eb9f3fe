"""The blind gyms question set (tests/fixtures/blind_gyms): its own checks beside the shared ones of
tests/test_blind_soundness.py — the questions' today, and every period inside the data."""
from __future__ import annotations

import datetime as dt

from blind_fixture import BlindSet

BLIND = BlindSet("blind_gyms")


def test_today_is_the_day_after_the_data_ends():
    assert BLIND.questions["today"] == dt.date(2026, 11, 27)


def test_every_period_is_inside_the_data_and_not_after_today():
    for case in BLIND.answerable:
        time = case["expect"].get("time")
        if time:
            start, end = time
            assert dt.date(2024, 11, 1) <= start <= end <= dt.date(2026, 11, 27), case["q"]
