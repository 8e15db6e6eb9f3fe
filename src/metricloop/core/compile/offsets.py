"""Offsets on a time series: a derived input's `offset_window` and a comparison's previous period. Pure.

What "the value a month earlier" means at each grain (the number a reader expects, checked against
hand-written SQL in tests/fixtures/compile/cases.yaml):

- the offset moves whole periods of the grain (1 month at month grain, 3 months at quarter grain, 7 days
  at week grain, any days at day grain): the metric aggregated at the grain over the range moved back, its
  period keys moved forward. When the two ranges touch and are whole periods, both are read in one scan
  and the aggregated rows are joined to themselves (a comparison no longer reads the fact table twice);
- a month offset at day grain: each day against the same day a month earlier, as MetricFlow does (29-31
  March all against 28/29 February), one row per day — moving the days forward instead would put four
  January days on 28 February;
- any other offset at a coarser grain (1 month at quarter or year grain, 7 days at month grain): every row
  is moved forward by the offset and counted in the period it lands in, so "the quarter, a month earlier"
  is December to February, each day once. (MetricFlow's day spine misses 29-31 January and counts
  28 February four times there, dbt-labs/metricflow#1758; with an offset in days the two agree.)
- a month offset at week grain: each day of the week against the same day a month earlier (MetricFlow's
  day spine, at the row level), so every week holds seven days; moving rows forward would give month-end
  weeks of 10 or 5 days (growth of -33% or +48% from nothing).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from sqlglot import exp

from metricloop.core.compile.combine import Part, Scope
from metricloop.core.compile.measures import VALUE, Plan, add_join
from metricloop.core.compile.sql import Shift, date_lit, shifted, spine_cte, table_ref
from metricloop.core.query import METRIC_TIME
from metricloop.core.time.calendar import period_end, period_start

ONE_DAY = dt.timedelta(days=1)
# the months (or days) one period of each grain spans: an offset of whole periods keeps keys on period starts
_PERIOD = {"day": (0, 1), "week": (0, 7), "month": (1, 0), "quarter": (3, 0), "year": (12, 0)}


def whole_periods_shift(grain: str, shift: Shift) -> bool:
    """True when `shift` moves a period start of `grain` to a period start, one to one."""
    months, days = _PERIOD[grain]
    if shift.months and shift.days:
        return False
    if months:
        return not shift.days and shift.months % months == 0
    return not shift.months and shift.days % days == 0


def _aligned(start: dt.date, end: dt.date, grain: str) -> bool:
    return start == period_start(start, grain) and end == period_end(end, grain)  # type: ignore[arg-type]


def shared_range(scope: Scope, shift: Shift) -> tuple[dt.date, dt.date] | None:
    """The one range to read for a series and its offset copy, when one scan can serve both: the offset
    moves whole periods, both ranges are whole periods (or days) and they touch. None otherwise."""
    grain = scope.grain or "day"
    if scope.start is None or scope.end is None or not shift or not whole_periods_shift(grain, shift):
        return None
    back = scope.moved_back(shift)
    if grain != "day" and not (_aligned(scope.start, scope.end, grain) and _aligned(back.start, back.end, grain)):
        return None  # a period "so far" compares like for like: its rows differ from the other side's
    if back.start > scope.end + ONE_DAY or scope.start > back.end + ONE_DAY:
        return None  # far apart (a year back on one month): two narrow scans read less
    return min(back.start, scope.start), max(back.end, scope.end)


def _window(plan: Plan, cte: str, keys: tuple[str, ...], lo: dt.date, hi: dt.date, shift: Shift) -> str:
    """The rows of `cte` with metric_time moved forward by `shift` whose moved period starts in [lo, hi].

    The range is tested on the moved key even though the unmoved one would do: DuckDB then keeps the two
    windows' filters above the shared aggregate — on the unmoved key it pushes their OR below it, and
    truncates every row's date once more to test it (a 1.8x slower MoM on 2M rows)."""

    def build() -> exp.Expression:
        time = shifted(exp.column(METRIC_TIME), shift) if shift else exp.column(METRIC_TIME)
        cols = [exp.alias_(time.copy(), k) if k == METRIC_TIME and shift else exp.column(k) for k in keys]
        between = exp.Between(this=time, low=date_lit(lo), high=date_lit(hi))
        return exp.select(*cols, VALUE).from_(cte).where(between)

    return plan.add(("window", cte, lo, hi, shift), "w", build)


Compute = Callable  # metric_part(plan, name, scope, shift=Shift()) -> Part, passed in (metrics imports us)


def current_part(plan: Plan, name: str, scope: Scope, shift: Shift, compute: Compute) -> Part:
    """Metric `name` on the scope's own range; read in the same scan as its `shift`ed copy when one can serve."""
    wide = shared_range(scope, shift) if METRIC_TIME in scope.keys else None
    if wide is None:
        return compute(plan, name, scope)
    part = compute(plan, name, replace(scope, start=wide[0], end=wide[1]))
    return replace(part, cte=_window(plan, part.cte, scope.keys, scope.start, scope.end, Shift()))


def offset_part(plan: Plan, name: str, scope: Scope, shift: Shift, compute: Compute) -> Part:
    """Metric `name` on the scope's periods, each holding the value `shift` earlier (see the module doc)."""
    grain = scope.grain or "day"
    if scope.shift:  # an offset inside an offset input: the row shifts add up
        shift = Shift(scope.shift.months + shift.months, scope.shift.days + shift.days)
    if scope.shift or (grain == "week" and shift.months):
        same_day = grain in ("day", "week") and bool(shift.months)
        return compute(plan, name, replace(scope, shift=shift, same_day=same_day))
    if whole_periods_shift(grain, shift):
        wide = shared_range(scope, shift)
        if wide is not None:
            part = compute(plan, name, replace(scope, start=wide[0], end=wide[1]))
            return replace(part, cte=_window(plan, part.cte, scope.keys, scope.start, scope.end, shift))
        inner = compute(plan, name, scope.moved_back(shift))
        return replace(inner, cte=_moved_forward(plan, inner.cte, scope.keys, shift))
    if grain == "day":
        return _same_day_earlier(plan, name, scope, shift, compute)
    return compute(plan, name, replace(scope, shift=shift))


def _moved_forward(plan: Plan, cte: str, keys: tuple[str, ...], shift: Shift) -> str:
    def build() -> exp.Expression:
        cols = [exp.alias_(shifted(exp.column(k), shift), k) if k == METRIC_TIME else exp.column(k) for k in keys]
        return exp.select(*cols, VALUE).from_(cte)

    return plan.add(("shift", cte, shift), "s", build)


def _same_day_earlier(plan: Plan, name: str, scope: Scope, shift: Shift, compute: Compute) -> Part:
    """Day grain, an offset in months: each day of the range joined to its day `shift` earlier (a spine of
    the range's days), so 29-31 March each get 29 February's value and no day gets two rows."""
    ranged = scope.start is not None and scope.end is not None
    inner = compute(plan, name, replace(scope, start=shift.back(scope.start), end=shift.back(scope.end))
                    if ranged else scope)
    if ranged:
        lo, hi = date_lit(scope.start), date_lit(scope.end)
    else:  # all time: the days the data reaches once moved forward (a few days' slack for month ends)
        def bound(agg: type[exp.AggFunc], days: int) -> exp.Expression:
            edge = exp.Subquery(this=exp.select(agg(this=exp.column(METRIC_TIME))).from_(inner.cte))
            return shifted(shifted(edge, shift), Shift(days=abs(days)), 1 if days > 0 else -1)
        lo, hi = bound(exp.Min, -3), bound(exp.Max, 3)
    days = spine_cte(plan, lo, hi)

    def build() -> exp.Expression:
        day = exp.column("spine_day", table="sp")
        cols = [exp.alias_(day, k) if k == METRIC_TIME else exp.column(k, table="i") for k in scope.keys]
        on = exp.EQ(this=exp.column(METRIC_TIME, table="i"), expression=shifted(day.copy(), shift, -1))
        select = exp.select(*cols, exp.column(VALUE, table="i")).from_(table_ref(days).as_("sp", copy=False))
        return add_join(select, table_ref(inner.cte).as_("i", copy=False), on, "")

    return replace(inner, cte=plan.add(("same_day", inner.cte, days, shift), "e", build))
