"""Ranges compared with one another: the window a period is compared with. Pure.

One rule for the whole product, so the comparison restated to people ("Nov 1–27 vs Oct 1–27") and the one
the compiler computes always agree.
"""
from __future__ import annotations

import datetime as dt

from metricloop.core.query import Compare, TimeRange
from metricloop.core.time import calendar as cal
from metricloop.core.time.calendar import Grain


def comparison_range(rng: TimeRange, compare: Compare, grain_hint: Grain | None) -> TimeRange:
    """The window to compare `rng` with.

    year_over_year: the same dates a year earlier (364 days for week-grain periods, so weekdays line up;
    a month end stays a month end). previous_period: when `rng` starts on a boundary of its grain, the same
    number of periods just before (a to-date range keeps its length: Nov 1–27 → Oct 1–27); otherwise the
    equally long window ending the day before `rng` starts.
    """
    start, end = rng.start, rng.end
    grain = grain_hint or cal.aligned_grain(start, end)
    if grain == "day" and grain_hint is None:  # "this month so far" compares with the same stretch of last month
        grain = cal.to_date_grain(start, end) or "day"
    if compare == "year_over_year":
        if grain == "week":
            shift = dt.timedelta(days=364)
            return TimeRange(start=start - shift, end=end - shift)
        new_end = cal.add_months(end, -12)
        if end == cal.period_end(end, "month"):
            new_end = cal.period_end(new_end, "month")
        return TimeRange(start=cal.add_months(start, -12), end=new_end)
    if grain != "day" and cal.period_start(start, grain) == start:
        n = 1  # periods touched by the range, the partial last one included
        while cal.add_periods(start, grain, n) <= end:
            n += 1
        if cal.period_end(end, grain) == end:
            return TimeRange(start=cal.add_periods(start, grain, -n), end=start - cal.ONE_DAY)
        return TimeRange(start=cal.add_periods(start, grain, -n), end=cal.add_periods(end, grain, -n))
    length = dt.timedelta(days=rng.days)
    return TimeRange(start=start - length, end=end - length)
