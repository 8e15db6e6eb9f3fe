"""An offset_window input at every grain against a Python reading of the same rows (core/compile/offsets):

- day or week grain, an offset in months: each day reads the same day that much earlier (MetricFlow's day
  spine), so a week holds seven days even across month ends;
- otherwise every row counts in the period its date lands in once moved forward by the offset — whole
  calendar months for month offsets at month, quarter and year grain, day by day for offsets in days.
One row per period, keys are period starts, no period outside the asked range. Cumulative metrics cannot be
moved row by row: they say so.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from metricloop.core.catalog.model import Metric, MetricInput
from metricloop.core.compile.compiler import compile_query
from metricloop.core.compile.sql import parse_window
from metricloop.core.query import MetricQuery
from metricloop.core.time.calendar import add, period_end, period_start
from metricloop.errors import UserError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from compile_world import make_catalog, make_warehouse  # the shared generated warehouse lives with the core tests

OFFSETS = ("1 day", "7 days", "10 days", "1 month", "3 months", "5 months")
GRAINS = ("day", "week", "month", "quarter", "year")
RANGES = {"day": ("2024-02-20", "2024-04-05"), "week": ("2024-01-01", "2024-05-31")}
RANGE = ("2023-12-01", "2024-06-30")


def _name(offset: str) -> str:
    return "revenue_" + offset.replace(" ", "_") + "_earlier"


@pytest.fixture(scope="module")
def world():
    base = make_catalog()
    extra = tuple(Metric(name=_name(o), type="derived", expr="earlier",
                         metrics=(MetricInput(name="revenue", alias="earlier", offset_window=o),)) for o in OFFSETS)
    catalog = base.model_copy(update={"metrics": base.metrics + extra})
    con = make_warehouse()
    daily = dict(con.execute("SELECT CAST(ordered_at AS DATE), SUM(amount) FROM orders GROUP BY 1").fetchall())
    return catalog, con, daily


def _reference(daily: dict[dt.date, Decimal], offset: str, grain: str, start: dt.date, end: dt.date):
    shift = parse_window(offset)
    start, end = period_start(start, grain), period_end(end, grain)
    out: dict[dt.date, Decimal] = defaultdict(Decimal)
    if grain in ("day", "week") and shift.months:
        day = start
        while day <= end:
            earlier = add(day, -shift.months)
            if earlier in daily:
                out[period_start(day, grain)] += daily[earlier]
            day += dt.timedelta(days=1)
    else:
        for day, value in daily.items():
            moved = add(day, shift.months, shift.days)
            if start <= moved <= end:
                out[period_start(moved, grain)] += value
    return sorted(out.items())


@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_offset_at_each_grain(world, offset, grain):
    catalog, con, daily = world
    lo, hi = RANGES.get(grain, RANGE)
    query = MetricQuery.model_validate({"metrics": [_name(offset)], "grain": grain,
                                        "time_range": {"start": lo, "end": hi}})
    got = con.execute(compile_query(catalog, query).sql).fetchall()
    want = _reference(daily, offset, grain, dt.date.fromisoformat(lo), dt.date.fromisoformat(hi))
    assert want, "the range must hold rows to prove anything"
    assert [(d, round(float(v), 6)) for d, v in got] == [(d, round(float(v), 6)) for d, v in want]


def test_a_cumulative_metric_moved_row_by_row_says_so(world):
    catalog = world[0]
    mtd = Metric(name="mtd_a_month_earlier", type="derived", expr="earlier",
                 metrics=(MetricInput(name="revenue_mtd", alias="earlier", offset_window="1 month"),))
    catalog = catalog.model_copy(update={"metrics": catalog.metrics + (mtd,)})
    query = MetricQuery.model_validate({"metrics": [mtd.name], "grain": "quarter"})
    with pytest.raises(UserError, match="cannot be offset by 1 month at quarter grain"):
        compile_query(catalog, query)


@pytest.mark.parametrize("grain", GRAINS)
def test_an_offset_of_an_offset_adds_up(world, grain):
    """An offset input whose metric is itself an offset (a month of a month): read as two months at once —
    at day grain day by day, each day reading its day a month earlier's day a month earlier (30 Mar: 29 Feb:
    29 Jan)."""
    catalog, con, daily = world
    nested = Metric(name="revenue_2_months_nested", type="derived", expr="earlier",
                    metrics=(MetricInput(name=_name("1 month"), alias="earlier", offset_window="1 month"),))
    catalog = catalog.model_copy(update={"metrics": catalog.metrics + (nested,)})
    lo, hi = RANGES.get(grain, RANGE)
    query = MetricQuery.model_validate({"metrics": [nested.name], "grain": grain,
                                        "time_range": {"start": lo, "end": hi}})
    got = con.execute(compile_query(catalog, query).sql).fetchall()
    if grain == "day":
        days = [dt.date.fromisoformat(lo) + dt.timedelta(days=i) for i in range(60)]
        want = [(d, daily[add(add(d, -1), -1)]) for d in days if d <= dt.date.fromisoformat(hi)
                and add(add(d, -1), -1) in daily]
    else:
        want = _reference(daily, "2 months", grain, dt.date.fromisoformat(lo), dt.date.fromisoformat(hi))
    assert want and [(d, round(float(v), 6)) for d, v in got] == [(d, round(float(v), 6)) for d, v in want]
