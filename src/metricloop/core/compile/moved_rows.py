"""A measure read with its rows moved in time (an offset at a grain it does not divide, core/compile/offsets).
Pure; the measure layer calls these three with the row's date.

- moved forward (`same_day` False): a row dated x counts in the period of x + shift; the range bounds the
  moved dates, and the raw dates a day wider keep the range prunable;
- the same day earlier (`same_day` True, a month offset at week grain): a spine of the range's days, each
  day d joined to the rows of d - shift and counted in d's period — MetricFlow's reading, so every week
  holds seven days (29-31 March all read 28/29 February).
"""
from __future__ import annotations

import datetime as dt

from sqlglot import exp

from metricloop.core.compile.sql import AddsCtes, Shift, date_lit, shifted, spine_cte, table_ref, trunc

SPINE = "spine_day"
_ALIAS = "sp"


def moved_key(as_date: exp.Expression, grain: str | None, shift: Shift, same_day: bool) -> exp.Expression:
    """metric_time of a moved row: the period of its moved date, or of the spine day reading it."""
    if same_day:
        return trunc(grain or "day", exp.column(SPINE, table=_ALIAS))
    return trunc(grain or "day", shifted(as_date, shift))


def moved_range(as_date: exp.Expression, lo: dt.date | None, hi: dt.date | None, shift: Shift,
                same_day: bool) -> list[exp.Expression]:
    """The row filters for a range [lo, hi] of moved dates (None: open)."""
    if same_day:  # the days d - shift for d in [lo, hi]: exactly [lo - shift, hi - shift]
        return _between(as_date, shift.back(lo) if lo else None, shift.back(hi) if hi else None)
    raw_hi = shift.back(hi + dt.timedelta(days=1)) if hi else None
    return _between(shifted(as_date.copy(), shift), lo, hi) + _between(as_date, shift.back(lo) if lo else None,
                                                                        raw_hi)


def join_spine(plan: AddsCtes, select: exp.Select, as_date: exp.Expression, lo: dt.date | None,
               hi: dt.date | None, shift: Shift, table: exp.Table) -> exp.Select:
    """`select` joined to the spine of [lo, hi] on row date = spine day - shift (same_day reading). Without a
    range the spine spans the table's dates moved forward, with a few days' slack for month ends."""
    def edge(agg: type[exp.AggFunc], slack: int) -> exp.Expression:
        first = exp.Subquery(this=exp.select(agg(this=as_date.copy())).from_(table.copy()))
        return shifted(shifted(first, shift), Shift(days=abs(slack)), 1 if slack > 0 else -1)

    start = date_lit(lo) if lo else edge(exp.Min, -3)
    end = date_lit(hi) if hi else edge(exp.Max, 3)
    days = spine_cte(plan, start, end)
    on = exp.EQ(this=as_date.copy(), expression=shifted(exp.column(SPINE, table=_ALIAS), shift, -1))
    select.append("joins", exp.Join(this=table_ref(days).as_(_ALIAS, copy=False), on=on))
    return select


def _between(value: exp.Expression, lo: dt.date | None, hi: dt.date | None) -> list[exp.Expression]:
    conds: list[exp.Expression] = []
    if lo is not None:
        conds.append(exp.GTE(this=value.copy(), expression=date_lit(lo)))
    if hi is not None:
        conds.append(exp.LTE(this=value.copy(), expression=date_lit(hi)))
    return conds
