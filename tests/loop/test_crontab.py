"""loop.yml schedules are standard crontab: day of week 0/7 = Sunday, 1 = Monday (APScheduler 3's own
numbering starts at Monday = 0, so "1-5" read by it fired Tuesday to Saturday)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from metricloop.loop.jobs import crontab_trigger

UTC = ZoneInfo("UTC")


def fire_days(expression: str, n: int = 7) -> list[str]:
    moment, days = dt.datetime(2026, 4, 3, 12, tzinfo=UTC), []  # a Friday noon
    for _ in range(n):
        moment = crontab_trigger(expression, UTC).get_next_fire_time(None, moment)
        days.append(moment.strftime("%a"))
        moment += dt.timedelta(seconds=1)
    return days


@pytest.mark.parametrize(("expression", "days"), [
    ("0 8 * * 1-5", ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon", "Tue"]),
    ("0 8 * * 0", ["Sun"] * 7),
    ("0 8 * * 7", ["Sun"] * 7),
    ("0 8 * * 6,0", ["Sat", "Sun", "Sat", "Sun", "Sat", "Sun", "Sat"]),
    ("0 8 * * 0-2", ["Sun", "Mon", "Tue", "Sun", "Mon", "Tue", "Sun"]),
    ("0 8 * * mon-fri", ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon", "Tue"]),
    ("30 6 * * *", ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"]),
])
def test_crontab_days_of_week(expression, days):
    assert fire_days(expression) == days
