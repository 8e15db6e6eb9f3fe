"""sqlglot building blocks shared by the compiler modules: table references, types, date casts and
shifts, calendar offsets. Pure; the date arithmetic itself is the calendar's (core/time/calendar.py)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlglot import exp

from metricloop.core.time.calendar import add
from metricloop.errors import UserError


def table_ref(name: str) -> exp.Table:
    """A table (or CTE) reference built directly: parsing "schema.table" for every use is a
    measurable share of compile time. Names come from the governed catalog, never from users."""
    parts = name.split(".")
    table = exp.Table(this=exp.to_identifier(parts[-1]))
    if len(parts) > 1:
        table.set("db", exp.to_identifier(parts[-2]))
    if len(parts) > 2:
        table.set("catalog", exp.to_identifier(parts[-3]))
    return table


# built once: parsing a type name on every cast is a measurable share of compile time
DATE_TYPE = exp.DataType.build("DATE")
DOUBLE_TYPE = exp.DataType.build("DOUBLE")


def date_type() -> exp.DataType:
    """A fresh DATE type node (for casts built in place: a node must never have two parents)."""
    return exp.DataType(this=exp.DataType.Type.DATE)


def double_type() -> exp.DataType:
    """A fresh DOUBLE type node."""
    return exp.DataType(this=exp.DataType.Type.DOUBLE)

_UNITS = {"day": (0, 1), "week": (0, 7), "month": (1, 0), "quarter": (3, 0), "year": (12, 0)}


@dataclass(frozen=True)
class Shift:
    """A calendar offset: whole months plus days (a week is 7 days, a quarter 3 months)."""

    months: int = 0
    days: int = 0

    def __bool__(self) -> bool:
        return bool(self.months or self.days)

    def back(self, d: dt.date) -> dt.date:
        return add(d, -self.months, -self.days)

    def describe(self) -> str:
        """'1 month', '7 days' (for messages)."""
        parts = [(self.months, "month"), (self.days, "day")]
        return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)

    def interval(self) -> exp.Interval:
        if self.months:
            return exp.Interval(this=exp.Literal.string(str(self.months)), unit=exp.var("MONTH"))
        return exp.Interval(this=exp.Literal.string(str(self.days)), unit=exp.var("DAY"))



def grain_shift(grain: str, n: int = 1) -> Shift:
    months, days = _UNITS[grain]
    return Shift(months * n, days * n)


_WINDOW = re.compile(r"^\s*(\d+)\s+(day|week|month|quarter|year)s?\s*$", re.I)


def parse_window(text: str) -> Shift:
    """'7 days', '1 month', '2 weeks' → Shift; UserError otherwise."""
    m = _WINDOW.match(text or "")
    if not m:
        raise UserError(f"Cannot read the window {text!r}: use e.g. '7 days' or '1 month'.")
    return grain_shift(m.group(2).lower(), int(m.group(1)))


def trunc(grain: str | None, expr: exp.Expression) -> exp.Expression:
    """`expr` as a DATE truncated to `grain` (ISO weeks start Monday; day/None = the date itself)."""
    as_date = exp.cast(expr, DATE_TYPE)
    if grain in (None, "day"):
        return as_date
    # the outer cast keeps the type a DATE in engines whose DATE_TRUNC returns a timestamp
    return exp.cast(exp.DateTrunc(this=as_date, unit=exp.var(grain.upper())), date_type(), copy=False)



def date_lit(d: dt.date) -> exp.Expression:
    return exp.cast(exp.Literal.string(d.isoformat()), date_type(), copy=False)


def shifted(expr: exp.Expression, shift: Shift, sign: int = 1) -> exp.Expression:
    """`expr` (a date) moved forward (sign=1) or back (sign=-1) by `shift`, still a DATE."""
    op = exp.Add if sign > 0 else exp.Sub
    if shift.months and shift.days:  # months first, then days, as the calendar's add() does (a nested offset)
        return shifted(shifted(expr, Shift(months=shift.months), sign), Shift(days=shift.days), sign)
    return exp.cast(op(this=expr, expression=shift.interval()), DATE_TYPE)


class AddsCtes(Protocol):
    """A plan of CTEs de-duplicated by signature (core/compile/measures.Plan)."""

    def add(self, sig: tuple, prefix: str, build: Callable[[], exp.Expression]) -> str: ...


def spine_cte(plan: AddsCtes, start: exp.Expression, end: exp.Expression) -> str:
    """Every day from start to end as column `spine_day` (a date series that sqlglot transpiles)."""

    def build() -> exp.Expression:
        series = exp.GenerateDateArray(
            start=start, end=end, step=exp.Interval(this=exp.Literal.string("1"), unit=exp.var("DAY"))
        )
        unnest = exp.Unnest(
            expressions=[series],
            alias=exp.TableAlias(this=exp.to_identifier("s"), columns=[exp.to_identifier("spine_day")]),
        )
        return exp.select("spine_day").from_(unnest)

    return plan.add(("spine", start.sql(), end.sql()), "d", build)
