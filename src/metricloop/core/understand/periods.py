"""The period an answer covers, and a follow-up laid over the thread's query. Pure.

A question names a period, or moves the thread's back ("and the month before?"), or names none (all time, unless a
comparison needs a current period, or the metric counts from the start of its period: its value so far); a trend
gets a grain that gives it a readable number of points. A follow-up keeps what the new metrics can still use of
the thread's breakdowns, filters and ranking.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from metricloop.core.catalog.model import Catalog
from metricloop.core.query import METRIC_TIME, MetricQuery, OrderBy
from metricloop.core.time.ranges import comparison_range
from metricloop.core.understand.dims import reachable_refs
from metricloop.core.understand.frame import Frame, default_range, period_unit


def _grain_for(rng, trend: bool) -> str | None:  # noqa: ANN001
    """A grain for a trend over `rng`: about 7–60 points."""
    if not trend:
        return None
    days = rng.days
    return "day" if days <= 62 else "week" if days <= 180 else "month" if days <= 3 * 366 else "quarter"


def _counted_unit(time) -> str | None:  # noqa: ANN001 - TimeMatch | None
    """"CTR over the last 3 months": a trend over N whole weeks or months is read in that unit."""
    if time is not None and time.kind == "last_n" and time.grain_hint in ("week", "month"):
        return time.grain_hint
    return None


# "same for last year" after "in Q2": Q2 of last year
_LAST_YEAR = re.compile(r"(?:(?:in\s+|for\s+)?(?:the\s+)?(?:last|previous|prior)\s+year|去年|上一年)")


def apply_time(catalog: Catalog, data: dict[str, Any], frame: Frame, today: dt.date, base: MetricQuery | None,
               low: str = "") -> None:
    """The period and grain of the query in `data`: the question's own period (in a thread, "last year" after a
    month or a quarter named by itself is that month or quarter a year before), the thread's moved back ("the month
    before"), a grain_to_date metric's period so far, or all time; the grain a trend or the thread asks for."""
    if frame.time is not None:
        data["time_range"] = _a_year_before(base, low[frame.time.span.start : frame.time.span.end], today) \
            or frame.time.range
    elif frame.shift_back and base is not None and base.time_range is not None:
        data["time_range"] = shifted_back(base.time_range, frame.shift_back)
    elif base is None or base.time_range is None:
        # No period named: all time, as a governed query with no time constraint means (and as
        # the semantic layer answers it). Only a comparison needs a current period to compare.
        unit = period_unit(frame.compare_text) if frame.compare else None
        data["time_range"] = default_range(today, frame.grain, frame.trend, unit)[0] if frame.compare else None
        if data["time_range"] is None and not frame.trend:
            data["time_range"] = to_date_range(catalog, data["metrics"], today, frame.grain)
    trend = frame.trend and not data.get("grain")
    grain = frame.grain or (_counted_unit(frame.time) if trend else None) or \
        (_grain_for(data["time_range"], trend) if data["time_range"] else ("month" if trend else None))
    if grain:
        data["grain"] = grain
        data["group_by"] = tuple(g for g in data.get("group_by", ()) if g != METRIC_TIME)
    elif base is not None:
        data["grain"] = base.grain


def _a_year_before(base: MetricQuery | None, said: str, today: dt.date):  # -> TimeRange | None
    """The thread's month or quarter a year before, where the follow-up's period is only "last year" and the thread's
    was a month or quarter of this year named by itself ("termite revenue in Q2" → "same for last year": Q2 of last
    year). After the latest month or quarter ("last month" → "and last year?") people mean either that month a year
    before or all of last year; the question sets' authors split, so it stays all of last year."""
    from metricloop.core.time.calendar import add_periods, is_full, period_start

    rng = base.time_range if base is not None else None
    if rng is None or not _LAST_YEAR.fullmatch(said.strip()) or rng.start.year != today.year:
        return None
    unit = "month" if rng.start.month == rng.end.month else "quarter"
    if not is_full(rng.start, rng.end, unit) or rng.start >= period_start(add_periods(today, unit, -1), unit):
        return None
    return shifted_back(rng, "year")


def to_date_range(catalog: Catalog, metrics: Sequence[str], today: dt.date, grain: str | None = None):  # noqa: ANN201
    """"revenue year to date" with a grain_to_date metric: this year so far (its value as of today), not a
    period called "all time"; "visits MTD, day by day": this month's days (a grain as coarse as the metric's
    own is a series of its period-end values, over the usual range)."""
    from metricloop.core.query import TimeRange
    from metricloop.core.time.calendar import to_date

    grains = {m.grain_to_date for m in map(catalog.metric, metrics) if m is not None}
    if len(grains) != 1 or None in grains:
        return None
    order = ("day", "week", "month", "quarter", "year")
    if grain and (grain not in order or order.index(grain) >= order.index(next(iter(grains)))):
        return None
    start, end = to_date(today, next(iter(grains)))
    return TimeRange(start=start, end=end)


def shifted_back(rng, unit: str):  # noqa: ANN001, ANN201 - TimeRange in, TimeRange out
    """The thread's period moved back: by one unit ("the month before"), or by its own length ("the
    period before"); a whole month/quarter/year stays whole (Oct → Sep, not Oct 1–31 minus 31 days)."""
    from metricloop.core.query import TimeRange
    from metricloop.core.time.calendar import add_periods, is_full, period_end

    if unit == "period":
        return comparison_range(rng, "previous_period", None)
    start = add_periods(rng.start, unit, -1)  # type: ignore[arg-type]
    end = add_periods(rng.end, unit, -1)  # type: ignore[arg-type]
    if unit in ("month", "quarter", "year") and is_full(rng.start, rng.end, "month"):  # type: ignore[arg-type]
        end = period_end(end, "month")
    return TimeRange(start=start, end=end)


def merge_followup(catalog: Catalog, data: dict[str, Any], base: MetricQuery, dims, frame: Frame,  # noqa: ANN001
                   low: str) -> None:
    """Apply a follow-up's changes to the previous query; drop parts the new metrics cannot use."""
    allowed = set(reachable_refs(catalog, list(data["metrics"])).values())
    keep_dims = [g for g in base.dimensions if g in allowed]
    if dims.group_by:
        # ("also by channel" adds a breakdown; "and by platform?" after GMS by category asks for another cut)
        adding = frame.followup and re.match(r"^\s*(?:also|plus|as\s+well|再|也)|^\s*and\s+also\b", low)
        keep_dims = (keep_dims if adding else []) + [g for g in dims.group_by if g not in keep_dims]
    data["group_by"] = tuple(([METRIC_TIME] if base.is_time_series else []) + keep_dims)
    where = {f.dimension: f for f in base.where if f.dimension in allowed}
    for f in dims.where:
        where[f.dimension] = f  # "only the North region" replaces an earlier region filter
    data["where"] = tuple(where.values())
    # a ranking carries over to the new metric ("top 3 categories by units sold", then 换成退货数: the top 3 by
    # returns), never a limit without its order
    replaced = [m for m in base.metrics if m not in data["metrics"]]

    def carried(order: OrderBy) -> OrderBy | None:
        if order.field in data["metrics"] or order.field in data["group_by"]:
            return order
        if order.field in replaced and len(data["metrics"]) == 1:
            return order.model_copy(update={"field": data["metrics"][0]})
        return None

    data["order_by"] = tuple(o for o in map(carried, base.order_by) if o is not None)
    if base.order_by and not data["order_by"]:
        data["limit"] = None  # "top 3" of a metric no longer asked: not three rows in no order
