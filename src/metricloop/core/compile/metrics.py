"""The metric layer: metrics combined from aggregated measures on the group-by keys. Pure.

Every metric becomes a CTE with the query's keys plus `value`; its inputs are combined on the keys by
core/compile/combine. Offsets (derived `offset_window`, comparisons) are core/compile/offsets.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from sqlglot import exp

from metricloop.core.catalog.model import Metric, MetricInput
from metricloop.core.compile.combine import Part, Scope, joined
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
from metricloop.core.compile.offsets import current_part, offset_part
from metricloop.core.compile.sql import (
    DOUBLE_TYPE,
    Shift,
    date_lit,
    double_type,
    parse_window,
    shifted,
    spine_cte,
    table_ref,
    trunc,
)
from metricloop.core.query import METRIC_TIME
from metricloop.core.time.calendar import period_start
from metricloop.errors import UserError


def _metric(plan: Plan, name: str) -> Metric:
    metric = plan.catalog.metric(name)
    if metric is None:
        raise UserError(f"Unknown metric '{name}'.")
    if metric.unsupported_reason:
        raise UserError(f"Metric '{name}' cannot be computed yet: {metric.unsupported_reason}")
    return metric


def input_part(plan: Plan, inp: MetricInput, scope: Scope, share: Shift = Shift()) -> Part:  # noqa: B008 - frozen
    """A ratio/derived input: a metric if one has that name, else a measure (older MetricFlow specs).
    `share`: a sibling input reads this metric `share` earlier — read both in one scan when one can serve."""
    scope = replace(scope, filters=scope.filters + inp.filter)
    shift = parse_window(inp.offset_window) if inp.offset_window else Shift()
    if plan.catalog.metric(inp.name) is None:
        cte = measure_cte(plan, _spec(inp.name, scope), scope.keys, scope.grain)
        return Part(cte, inp.fill_nulls_with)
    if shift:
        part = metric_part(plan, inp.name, scope, shift)
    else:
        part = current_part(plan, inp.name, scope, share, metric_part)
    return Part(part.cte, inp.fill_nulls_with if inp.fill_nulls_with is not None else part.fill)


def _spec(measure: str, scope: Scope) -> MeasureSpec:
    return MeasureSpec(measure, scope.filters, scope.where, scope.start, scope.end, scope.guard, scope.shift,
                       scope.same_day)


def metric_part(plan: Plan, name: str, scope: Scope, shift: Shift = Shift()) -> Part:  # noqa: B008 - Shift is frozen
    """The CTE computing metric `name` on the scope's keys; `shift`: each period holds the value that much
    earlier (core/compile/offsets)."""
    if shift and METRIC_TIME in scope.keys:
        return offset_part(plan, name, scope, shift, metric_part)
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

        def ratio(values: list[exp.Expression]) -> exp.Expression:
            return exp.Div(this=exp.cast(values[0], double_type(), copy=False),
                           expression=exp.Nullif(this=values[1], expression=exp.Literal.number(0)))

        return Part(_combine(plan, scope, [num, den], ratio, ("ratio", name)))
    if metric.type == "derived":
        return Part(_derived(plan, metric, scope))
    raise UserError(f"Metric '{name}' has type '{metric.type}', which cannot be computed yet.")


def _combine(plan: Plan, scope: Scope, parts: list[Part], value: Callable[[list[exp.Expression]], exp.Expression],
             sig: tuple) -> str:
    def build() -> exp.Expression:
        select, values = joined(plan, scope.keys, parts)
        return select.select(exp.alias_(value(values), VALUE, copy=False), copy=False)

    return plan.add((*sig, scope, tuple(parts)), "c", build)


def _derived(plan: Plan, metric: Metric, scope: Scope) -> str:
    if not metric.expr or not metric.metrics:
        raise UserError(f"Derived metric '{metric.name}' needs expr and metrics.")
    parts = [input_part(plan, inp, scope, _sibling_offset(metric.metrics, inp)) for inp in metric.metrics]
    names = {inp.alias or inp.name: i for i, inp in enumerate(metric.metrics)}
    template = _parse_snippet(metric.expr)
    for col in template.find_all(exp.Column):
        if col.name not in names:
            raise UserError(f"Derived metric '{metric.name}' uses '{col.name}', which is not one of its inputs.")

    def value(values: list[exp.Expression]) -> exp.Expression:
        # an input by name or alias — also the whole expression (`expr: revenue`), which replace() cannot reach
        expr = template.transform(lambda n: values[names[n.name]].copy() if isinstance(n, exp.Column) else n)
        return _safe_division(expr)

    return _combine(plan, scope, parts, value, ("derived", metric.name))


def _safe_division(expr: exp.Expression) -> exp.Expression:
    """Every a / b as CAST(a AS DOUBLE) / NULLIF(b, 0), inner ones too: ints divided in SQL would truncate,
    and x / 0 fails in most engines."""
    for div in reversed(list(expr.find_all(exp.Div))):  # deepest first, so an outer one wraps the rewritten inner
        safe = exp.Div(this=exp.cast(div.this, DOUBLE_TYPE),
                       expression=exp.Nullif(this=div.expression, expression=exp.Literal.number(0)))
        if div is expr:
            return safe
        div.replace(safe)
    return expr


def _sibling_offset(inputs: tuple[MetricInput, ...], inp: MetricInput) -> Shift:
    """The offset of another input reading the same metric the same way (revenue and revenue a month
    earlier): the two can share one scan."""
    if inp.offset_window:
        return Shift()
    for other in inputs:
        if other.offset_window and other.name == inp.name and other.filter == inp.filter:
            return parse_window(other.offset_window)
    return Shift()


def _simple(plan: Plan, metric: Metric, scope: Scope) -> Part:
    inp = metric.measure
    if inp is None:
        raise UserError(f"Simple metric '{metric.name}' has no measure.")
    scope = replace(scope, filters=scope.filters + inp.filter)
    cte = measure_cte(plan, _spec(inp.name, scope), scope.keys, scope.grain)
    if inp.join_to_timespine and METRIC_TIME in scope.keys:
        cte = _to_timespine(plan, cte, scope)
    return Part(cte, inp.fill_nulls_with)


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
    if scope.shift:
        raise UserError(f"Cumulative metric '{metric.name}' cannot be offset by {scope.shift.describe()} at "
                        f"{scope.grain} grain: ask at a grain the offset moves whole periods of.")
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
