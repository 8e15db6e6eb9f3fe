"""The metric layer: metrics combined from aggregated measures on the group-by keys. Pure.

Every metric becomes a CTE with the query's keys plus `value`. Inputs are joined on the keys (a
union of their keys, then left joins) so no input fans out another. Offsets (derived `offset_window`,
comparisons) compute an input over a range moved back and move its metric_time forward again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlglot import exp

from metricloop.core.catalog.model import Metric, MetricInput
from metricloop.core.compile.measures import (
    VALUE,
    MeasureSpec,
    Plan,
    _parse_snippet,
    add_join,
    aggregate,
    measure_cte,
    measure_rows_cte,
)
from metricloop.core.compile.sql import (
    DOUBLE_TYPE,
    Shift,
    date_lit,
    double_type,
    parse_window,
    shifted,
    table_ref,
    trunc,
)
from metricloop.core.query import METRIC_TIME, Filter
from metricloop.core.time.calendar import period_start
from metricloop.errors import UserError


@dataclass(frozen=True)
class Scope:
    """What every metric CTE of one query shares: keys, grain, range, filters from above."""

    keys: tuple[str, ...]
    grain: str | None
    start: dt.date | None = None
    end: dt.date | None = None
    where: tuple[Filter, ...] = ()
    filters: tuple[str, ...] = ()
    guard: tuple[Filter, ...] = ()  # the asker's row filters (access policy): every measure read applies them

    def moved_back(self, shift: Shift) -> Scope:
        if self.start is None or self.end is None:
            return self
        # the end moves as "the day before the next one" so 30 Apr - 1 month is 31 Mar, not 30 Mar
        end = shift.back(self.end + dt.timedelta(days=1)) - dt.timedelta(days=1)
        return replace(self, start=shift.back(self.start), end=end)


@dataclass(frozen=True)
class Part:
    cte: str
    fill: float | None = None  # fill_nulls_with, applied where the value is used


def value_of(part: Part, alias: str) -> exp.Expression:
    col = exp.column(VALUE, table=alias)
    return exp.Coalesce(this=col, expressions=[exp.Literal.number(part.fill)]) if part.fill is not None else col


def _key_eq(key: str, left: str, right: str) -> exp.Expression:
    a, b = exp.column(key, table=left), exp.column(key, table=right)
    # dimension values may be NULL and must still line up; metric_time never is
    return exp.EQ(this=a, expression=b) if key == METRIC_TIME else exp.NullSafeEQ(this=a, expression=b)


def joined(plan: Plan, keys: tuple[str, ...], mains: list[Part],  # noqa: ARG001 - every step takes the plan first
           extras: list[Part] = ()) -> exp.Select:
    """SELECT keys FROM the mains' keys, with every part joined as p0, p1, ... (extras only left-joined)."""
    parts = [*mains, *extras]
    tables = [table_ref(p.cte).as_(f"p{i}", copy=False) for i, p in enumerate(parts)]
    if not keys:  # totals: each part is one aggregated row
        select = exp.select().from_(tables[0])
        for t in tables[1:]:
            select = add_join(select, t, None)
        return select
    if len(mains) == 1:
        base, first = "p0", 1
        select = exp.select(*[exp.column(k, table="p0") for k in keys]).from_(tables[0])
    else:
        union = exp.union(*[exp.select(*keys).from_(p.cte) for p in mains], distinct=True)
        base, first = "k", 0
        alias = exp.TableAlias(this=exp.to_identifier("k"))
        select = exp.select(*[exp.column(k, table="k") for k in keys]).from_(exp.Subquery(this=union, alias=alias))
    for i, t in enumerate(tables[first:], start=first):
        on = exp.and_(*[_key_eq(k, base, f"p{i}") for k in keys])
        select = add_join(select, t, on)
    return select


def _metric(plan: Plan, name: str) -> Metric:
    metric = plan.catalog.metric(name)
    if metric is None:
        raise UserError(f"Unknown metric '{name}'.")
    if metric.unsupported_reason:
        raise UserError(f"Metric '{name}' cannot be computed yet: {metric.unsupported_reason}")
    return metric


def input_part(plan: Plan, inp: MetricInput, scope: Scope) -> Part:
    """A ratio/derived input: a metric if one has that name, else a measure (older MetricFlow specs)."""
    scope = replace(scope, filters=scope.filters + inp.filter)
    shift = parse_window(inp.offset_window) if inp.offset_window else Shift()
    if plan.catalog.metric(inp.name) is None:
        cte = measure_cte(plan, _spec(inp.name, scope), scope.keys, scope.grain)
        return Part(cte, inp.fill_nulls_with)
    part = metric_part(plan, inp.name, scope, shift)
    return Part(part.cte, inp.fill_nulls_with if inp.fill_nulls_with is not None else part.fill)


def _spec(measure: str, scope: Scope) -> MeasureSpec:
    return MeasureSpec(measure, scope.filters, scope.where, scope.start, scope.end, scope.guard)


def metric_part(plan: Plan, name: str, scope: Scope, shift: Shift = Shift()) -> Part:  # noqa: B008 - Shift is frozen
    """The CTE computing metric `name` on the scope's keys; `shift` moves metric_time forward."""
    if shift and METRIC_TIME in scope.keys:
        inner = metric_part(plan, name, scope.moved_back(shift))
        sig = ("shift", inner.cte, shift)

        def build_shift() -> exp.Expression:
            cols = [
                exp.alias_(shifted(exp.column(k), shift), k) if k == METRIC_TIME else exp.column(k)
                for k in scope.keys
            ]
            return exp.select(*cols, VALUE).from_(inner.cte)

        return Part(plan.add(sig, "s", build_shift), inner.fill)
    if shift:
        scope = scope.moved_back(shift)
    metric = _metric(plan, name)
    scope = replace(scope, filters=scope.filters + metric.filter)
    if metric.type == "simple":
        return _simple(plan, metric, scope)
    if metric.type == "cumulative":
        return Part(_cumulative(plan, metric, scope))
    if metric.type == "ratio":
        if metric.numerator is None or metric.denominator is None:
            raise UserError(f"Ratio metric '{name}' needs a numerator and a denominator.")
        num, den = input_part(plan, metric.numerator, scope), input_part(plan, metric.denominator, scope)
        ratio = exp.Div(
            this=exp.cast(value_of(num, "p0"), double_type(), copy=False),
            expression=exp.Nullif(this=value_of(den, "p1"), expression=exp.Literal.number(0)),
        )
        return Part(_combine(plan, scope, [num, den], ratio, ("ratio", name)))
    if metric.type == "derived":
        return Part(_derived(plan, metric, scope))
    raise UserError(f"Metric '{name}' has type '{metric.type}', which cannot be computed yet.")


def _combine(plan: Plan, scope: Scope, parts: list[Part], value: exp.Expression, sig: tuple) -> str:
    def build() -> exp.Expression:
        return joined(plan, scope.keys, parts).select(exp.alias_(value, VALUE, copy=False), copy=False)

    return plan.add((*sig, scope, tuple(parts)), "c", build)


def _derived(plan: Plan, metric: Metric, scope: Scope) -> str:
    if not metric.expr or not metric.metrics:
        raise UserError(f"Derived metric '{metric.name}' needs expr and metrics.")
    parts, names = [], {}
    for i, inp in enumerate(metric.metrics):
        part = input_part(plan, inp, scope)
        parts.append(part)
        names[inp.alias or inp.name] = value_of(part, f"p{i}")
    expr = _parse_snippet(metric.expr).copy()
    for col in list(expr.find_all(exp.Column)):
        if col.name not in names:
            raise UserError(f"Derived metric '{metric.name}' uses '{col.name}', which is not one of its inputs.")
        col.replace(names[col.name].copy())
    # ints divided in SQL would truncate, and x / 0 fails in most engines: float division, NULL on zero
    expr = expr.transform(
        lambda n: exp.Div(
            this=exp.cast(n.this, DOUBLE_TYPE),
            expression=exp.Nullif(this=n.expression, expression=exp.Literal.number(0)),
        )
        if isinstance(n, exp.Div)
        else n
    )
    return _combine(plan, scope, parts, expr, ("derived", metric.name))


def _simple(plan: Plan, metric: Metric, scope: Scope) -> Part:
    inp = metric.measure
    if inp is None:
        raise UserError(f"Simple metric '{metric.name}' has no measure.")
    scope = replace(scope, filters=scope.filters + inp.filter)
    cte = measure_cte(plan, _spec(inp.name, scope), scope.keys, scope.grain)
    if inp.join_to_timespine and METRIC_TIME in scope.keys:
        cte = _to_timespine(plan, cte, scope)
    return Part(cte, inp.fill_nulls_with)


def spine_cte(plan: Plan, start: exp.Expression, end: exp.Expression) -> str:
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


def _bounds(scope: Scope, source: str, column: str) -> tuple[exp.Expression, exp.Expression]:
    if scope.start is not None and scope.end is not None:
        return date_lit(scope.start), date_lit(scope.end)
    lo = exp.Subquery(this=exp.select(exp.Min(this=exp.column(column))).from_(source))
    hi = exp.Subquery(this=exp.select(exp.Max(this=exp.column(column))).from_(source))
    return (date_lit(scope.start) if scope.start else lo), (date_lit(scope.end) if scope.end else hi)


def _to_timespine(plan: Plan, cte: str, scope: Scope) -> str:
    """Every period of the range gets a row, even without data (join_to_timespine)."""
    start, end = _bounds(scope, cte, METRIC_TIME)
    days = spine_cte(plan, start, end)

    def build() -> exp.Expression:
        period = exp.alias_(trunc(scope.grain, exp.column("spine_day")), METRIC_TIME)
        periods = exp.select(period).from_(days).distinct()
        cols = [exp.column(METRIC_TIME, table="sp")]
        cols += [exp.column(k, table="m") for k in scope.keys if k != METRIC_TIME]
        on = exp.EQ(this=exp.column(METRIC_TIME, table="sp"), expression=exp.column(METRIC_TIME, table="m"))
        select = exp.select(*cols, exp.column(VALUE, table="m")).from_(
            exp.Subquery(this=periods, alias=exp.TableAlias(this=exp.to_identifier("sp")))
        )
        return add_join(select, table_ref(cte).as_("m", copy=False), on)

    return plan.add(("timespine", cte, scope), "j", build)


def _cumulative(plan: Plan, metric: Metric, scope: Scope) -> str:
    """Cumulative metrics: for each day of a spine, aggregate the rows in its window (MetricFlow's
    approach, right for non-additive aggs too); rows before the range start are read as the window needs."""
    if metric.measure is None:
        raise UserError(f"Cumulative metric '{metric.name}' has no measure.")
    scope = replace(scope, filters=scope.filters + metric.measure.filter)
    window = parse_window(metric.window) if metric.window else None
    lo = None
    if scope.start is not None and window is not None:
        lo = window.back(scope.start) + dt.timedelta(days=1)
    elif scope.start is not None and metric.grain_to_date:
        lo = period_start(scope.start, metric.grain_to_date)
    dims = tuple(k for k in scope.keys if k != METRIC_TIME)
    # all-time cumulative metrics read every row up to the end (lo stays None)
    rows = measure_rows_cte(plan, MeasureSpec(metric.measure.name, scope.filters, scope.where, lo, scope.end,
                                                   scope.guard), dims)
    series = METRIC_TIME in scope.keys
    start, end = _bounds(scope, rows, "ds")
    days = spine_cte(plan, start if series else end, end)
    coarse = series and scope.grain not in (None, "day")
    if coarse and metric.period_agg in ("first", "last"):
        pick = exp.Min if metric.period_agg == "first" else exp.Max
        chosen = (
            exp.select(exp.alias_(pick(this=exp.column("spine_day")), "spine_day"))
            .from_(days)
            .group_by(trunc(scope.grain, exp.column("spine_day")))
        )
        days = plan.add(("pick", days, metric.period_agg, scope.grain), "d", lambda: chosen)
    measure = plan.catalog.find_measure(metric.measure.name)
    if measure is None:
        raise UserError(f"Unknown measure '{metric.measure.name}'.")
    day = exp.column("spine_day", table="sp")
    conds = [exp.LTE(this=exp.column("ds", table="r"), expression=day.copy())]
    if window is not None:
        conds.append(exp.GT(this=exp.column("ds", table="r"), expression=shifted(day.copy(), window, -1)))
    elif metric.grain_to_date:
        conds.append(exp.GTE(this=exp.column("ds", table="r"), expression=trunc(metric.grain_to_date, day.copy())))
    average = coarse and metric.period_agg == "average"
    time_key = day if (average or not coarse) else trunc(scope.grain, day)
    keys = ([exp.alias_(time_key, "spine_day" if average else METRIC_TIME)] if series else []) + [
        exp.alias_(exp.column(d, table="r"), d) for d in dims
    ]

    def build() -> exp.Expression:
        select = exp.select(*keys, exp.alias_(aggregate(measure[1], exp.column(VALUE, table="r")), VALUE))
        select = select.from_(table_ref(days).as_("sp", copy=False))
        # with dimensions only days that have rows in their window appear (no NULL dimension rows)
        select = add_join(select, table_ref(rows).as_("r", copy=False), exp.and_(*conds), "" if dims else "LEFT")
        return select.group_by(*[k.this.copy() for k in keys])

    daily = plan.add(("cumulative", metric.name, rows, days, scope), "u", build)
    if not average:
        return daily

    def build_avg() -> exp.Expression:
        period = trunc(scope.grain, exp.column("spine_day"))
        return (
            exp.select(exp.alias_(period, METRIC_TIME), *dims, exp.alias_(exp.Avg(this=exp.column(VALUE)), VALUE))
            .from_(daily)
            .group_by(period.copy(), *dims)
        )

    return plan.add(("average", daily), "a", build_avg)
