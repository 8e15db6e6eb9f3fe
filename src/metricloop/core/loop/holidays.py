"""Holiday calendars a catalog can opt into (loop.yml ``holidays:``). Pure.

No calendar by default (DESIGN §6): without one a holiday's drop is an anomaly like any other. A catalog
may name a built-in calendar (``holidays: US``), list dates (``holidays: [2026-12-25, ...]``), or both
(``holidays: {calendar: US, dates: [...]}``). Holidays neither train the baseline nor alert.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from metricloop.errors import UserError

YEARS = range(2000, 2101)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) given weekday (Monday 0) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def us_holidays(year: int) -> list[dt.date]:
    """US federal holidays of one year (the dates themselves; observed Fridays/Mondays are not added)."""
    return [
        dt.date(year, 1, 1), _nth_weekday(year, 1, 0, 3), _nth_weekday(year, 2, 0, 3),
        _nth_weekday(year, 5, 0, -1), dt.date(year, 6, 19), dt.date(year, 7, 4), _nth_weekday(year, 9, 0, 1),
        _nth_weekday(year, 10, 0, 2), dt.date(year, 11, 11), _nth_weekday(year, 11, 3, 4), dt.date(year, 12, 25),
    ]


CALENDARS: dict[str, Callable[[int], list[dt.date]]] = {"US": us_holidays}


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UserError(f"loop.yml holidays: {value!r} is not a date (write it as YYYY-MM-DD).") from None


def holiday_days(setting: Any) -> frozenset[dt.date]:
    """The days a ``holidays:`` setting names (empty for None)."""
    if setting is None or setting is False:
        return frozenset()
    if isinstance(setting, dict):
        days = holiday_days(setting.get("calendar"))
        return days | frozenset(_date(d) for d in setting.get("dates") or ())
    if isinstance(setting, list | tuple):
        return frozenset(_date(d) for d in setting)
    name = str(setting).upper()
    if name not in CALENDARS:
        raise UserError(f"loop.yml holidays: no built-in calendar {setting!r} "
                        f"(known: {', '.join(CALENDARS)}); list the dates instead.")
    return frozenset(d for year in YEARS for d in CALENDARS[name](year))
