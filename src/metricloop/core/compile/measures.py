"""The measure layer: one CTE per measure, aggregated at its own semantic model. Pure.

Dimensions are joined only along entity links (foreign → primary/unique/natural, see catalog/graph),
so every join is many-to-one and a measure is never counted twice. Filters are applied to rows before
aggregation, like MetricFlow's where-constraints.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from metricloop.core.catalog.access import AccessDenied
from metricloop.core.catalog.graph import DimensionRef, JoinStep, resolve_for_model
from metricloop.core.catalog.model import Catalog, Measure, SemanticModel, non_additive_problem, window_choice
from metricloop.core.compile.filters import TemplateRef, bind_filter, parse_filter, structured_filter
from metricloop.core.compile.moved_rows import join_spine, moved_key, moved_range
from metricloop.core.compile.sql import Shift, date_lit, date_type, double_type, table_ref, trunc
from metricloop.core.query import METRIC_TIME, Filter
from metricloop.errors import UserError

CATALOG_DIALECT = "duckdb"  # the dialect catalog `expr:` snippets are written in
VALUE = "value"


@lru_cache(maxsize=4096)
def _parse_snippet(text: str) -> exp.Expression:
    try:
        return sqlglot.parse_one(text, read=CATALOG_DIALECT)
    except ParseError as exc:
        raise UserError(f"Cannot read the catalog expression {text!r}: {exc}") from None


def catalog_expr(text: str, alias: str) -> exp.Expression:
    """A catalog `expr` (governed text) parsed once, with its bare columns qualified by `alias`."""
    node = _parse_snippet(text).copy()
    for col in node.find_all(exp.Column):
        if not col.table:
            col.set("table", exp.to_identifier(alias))
    return node


@dataclass
class Plan:
    """The CTEs of one compiled query, de-duplicated by what they compute."""

    catalog: Catalog
    schema: str | None = None
    ctes: dict[str, exp.Expression] = field(default_factory=dict)
    _by_sig: dict[tuple, str] = field(default_factory=dict)

    def add(self, sig: tuple, prefix: str, build: Callable[[], exp.Expression]) -> str:
        if sig not in self._by_sig:
            name = f"{prefix}_{len(self.ctes)}"
            self.ctes[name] = build()
            self._by_sig[sig] = name
        return self._by_sig[sig]

    def table(self, model: SemanticModel, alias: str) -> exp.Table:
        table = table_ref(model.table)
        if self.schema and not table.args.get("db"):
            table.set("db", exp.to_identifier(self.schema))
        table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
        return table


class Source:
    """One measure model as a FROM clause; joins are added as references need them."""

    def __init__(self, plan: Plan, model: SemanticModel):
        self.plan = plan
        self.model = model
        self._joins: dict[tuple[JoinStep, ...], str] = {}

    def _alias_for(self, path: tuple[JoinStep, ...]) -> str:
        if not path:
            return "t0"
        if path not in self._joins:
            self._alias_for(path[:-1])
            self._joins[path] = f"t{len(self._joins) + 1}"
        return self._joins[path]

    def _model(self, name: str) -> SemanticModel:
        model = self.plan.catalog.model(name)
        assert model is not None  # the graph only holds known models
        return model

    def column(self, dref: DimensionRef) -> exp.Expression:
        """The SQL expression of a resolved dimension or entity (time dimensions truncated to its grain)."""
        if dref.ref == METRIC_TIME or dref.ref.startswith(METRIC_TIME + "__"):
            raise UserError("metric_time needs a measure; use time_column().")
        alias = self._alias_for(dref.path)
        if dref.dimension is None:
            ent = dref.model.entity(dref.entity or dref.ref)
            return catalog_expr(ent.column if ent else dref.ref, alias)
        col = catalog_expr(dref.dimension.column, alias)
        if dref.path and not col.find(exp.Column):
            # a constant dimension (`expr: "1"`, "has_premium") must be NULL where the left join found no row
            key = dref.model.entity(dref.path[-1].entity)
            assert key is not None
            matched = exp.Not(this=exp.Is(this=catalog_expr(key.column, alias), expression=exp.Null()))
            col = exp.Case(ifs=[exp.If(this=matched, true=col)])
        if dref.dimension.type == "time":
            return trunc(dref.grain or dref.dimension.time_granularity or "day", col)
        return col

    def time_column(self, measure: Measure) -> exp.Expression:
        """The measure's agg_time_dimension, as written in the table (not yet cast)."""
        name = self.model.agg_time_dimension(measure)
        dim = self.model.dimension(name) if name else None
        if dim is None:
            raise UserError(f"Measure '{measure.name}' has no agg_time_dimension to use as metric_time.")
        return catalog_expr(dim.column, "t0")

    def ref(self, ref: str, measure: Measure, grain: str | None = None) -> exp.Expression:
        dref = resolve_for_model(self.plan.catalog, self.model, ref)
        if dref.ref == METRIC_TIME:
            return trunc(dref.grain or grain or "day", self.time_column(measure))
        return self.column(dref)

    def template(self, tref: TemplateRef, measure: Measure) -> exp.Expression:
        return self.ref(tref.name if tref.grain is None else tref.ref, measure)

    def from_joins(self, select: exp.Select) -> exp.Select:
        select = select.from_(self.plan.table(self.model, "t0"), copy=False)
        for path, alias in self._joins.items():
            step = path[-1]
            src_alias = self._alias_for(path[:-1])
            src_ent = self._model(step.source).entity(step.entity)
            target = self._model(step.target)
            tgt_ent = target.entity(step.entity)
            assert src_ent is not None and tgt_ent is not None
            on = exp.EQ(this=catalog_expr(src_ent.column, src_alias), expression=catalog_expr(tgt_ent.column, alias))
            select = add_join(select, self.plan.table(target, alias), on)
        return select


def add_join(select: exp.Select, table: exp.Expression, on: exp.Expression | None, side: str = "LEFT") -> exp.Select:
    """Append a join node directly (Select.join re-parses its arguments, which dominates compile time)."""
    join = exp.Join(this=table, on=on, side=side) if on is not None else exp.Join(this=table, kind="CROSS")
    select.append("joins", join)
    return select


def aggregate(measure: Measure, value: exp.Expression) -> exp.Expression:
    """The measure's aggregation over `value` (MetricFlow agg types)."""
    agg = measure.agg
    if agg == "sum":
        return exp.Sum(this=value)
    if agg == "sum_boolean":
        return exp.Sum(this=exp.Case(ifs=[exp.If(this=value, true=exp.Literal.number(1))],
                                     default=exp.Literal.number(0)))
    if agg == "count":
        return exp.Count(this=value)
    if agg == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[value]))
    if agg == "average":
        # in double precision on every engine: AVG of a DECIMAL is exact on PostgreSQL but rounded to
        # the column's scale + 4 on Spark, so the same question would differ in the 7th digit
        return exp.Avg(this=exp.Cast(this=value, to=double_type()))
    if agg == "min":
        return exp.Min(this=value)
    if agg == "max":
        return exp.Max(this=value)
    pct = 0.5 if agg == "median" else measure.percentile
    if pct is None:
        raise UserError(f"Measure '{measure.name}' is a percentile without agg_params.percentile.")
    if measure.use_discrete_percentile:  # an actual value of the column: keeps its type
        func = exp.PercentileDisc
    else:  # interpolated in double precision: DuckDB rounds a DECIMAL column's interpolation to its scale
        func, value = exp.PercentileCont, exp.Cast(this=value, to=double_type())
    return exp.WithinGroup(
        this=func(this=exp.Literal.number(pct)), expression=exp.Order(expressions=[exp.Ordered(this=value)])
    )


@dataclass(frozen=True)
class MeasureSpec:
    """What to read for one measure: its filters and the dates to read (inclusive). With a `shift`, rows are
    read moved in time (core/compile/moved_rows): lo/hi bound the moved dates."""

    measure: str
    filters: tuple[str, ...] = ()
    where: tuple[Filter, ...] = ()
    lo: dt.date | None = None
    hi: dt.date | None = None
    guard: tuple[Filter, ...] = ()  # row filters of the access policy (see `_guard`)
    shift: Shift = Shift()
    same_day: bool = False  # with a shift: each day reads the rows `shift` earlier (else rows move forward)


def _guard(src: Source, measure: Measure, guard: tuple[Filter, ...]) -> list[exp.Expression]:
    """The access policy's row filters as predicates on this measure's rows. A filter on a dimension the
    measure cannot reach denies the measure (fail closed): it is never read unfiltered."""
    conds = []
    for flt in guard:
        try:
            column = src.ref(flt.dimension, measure)
        except UserError:
            raise AccessDenied(f"Your access is limited by {flt.dimension}, which '{measure.name}' cannot be "
                               "filtered by.", rows=True) from None
        conds.append(structured_filter(flt, column))
    return conds


def _where(src: Source, measure: Measure, spec: MeasureSpec, time: exp.Expression) -> list[exp.Expression]:
    conds: list[exp.Expression] = _guard(src, measure, spec.guard)
    as_date = exp.cast(time.copy(), date_type(), copy=False)
    if spec.shift:
        conds += moved_range(as_date, spec.lo, spec.hi, spec.shift, spec.same_day)
    else:
        conds += [exp.GTE(this=as_date.copy(), expression=date_lit(spec.lo))] if spec.lo else []
        conds += [exp.LTE(this=as_date.copy(), expression=date_lit(spec.hi))] if spec.hi else []
    for text in spec.filters:
        conds.append(bind_filter(parse_filter(text), lambda t: src.template(t, measure)))
    for flt in spec.where:
        conds.append(structured_filter(flt, src.ref(flt.dimension, measure)))
    return conds


def _lookup(plan: Plan, name: str) -> tuple[SemanticModel, Measure]:
    hit = plan.catalog.find_measure(name)
    if hit is None:
        raise UserError(f"Unknown measure '{name}'.")
    return hit


def measure_cte(plan: Plan, spec: MeasureSpec, keys: tuple[str, ...], grain: str | None) -> str:
    """A CTE `keys..., value` with the measure aggregated at its own model; returns its name."""

    def build() -> exp.Expression:
        model, measure = _lookup(plan, spec.measure)
        src = Source(plan, model)
        time = src.time_column(measure)
        key_exprs = [_key(src, k, measure, grain, spec) for k in keys]
        conds = _where(src, measure, spec, time)
        if measure.non_additive_dimension:
            if spec.same_day:
                raise UserError(f"'{spec.measure}' is a snapshot measure: it cannot be read day by day "
                                f"{spec.shift.describe()} earlier.")
            return _snapshot_measure(src, measure, keys, key_exprs, conds)
        select = exp.select(
            *[exp.alias_(e.copy(), k, quoted=False, copy=False) for e, k in zip(key_exprs, keys, strict=False)],
            exp.alias_(aggregate(measure, catalog_expr(measure.column, "t0")), VALUE, copy=False),
        )
        select = src.from_joins(select)
        if spec.same_day:
            as_date = exp.cast(time.copy(), date_type(), copy=False)
            select = join_spine(plan, select, as_date, spec.lo, spec.hi, spec.shift, plan.table(model, "t0"))
        if conds:
            select = select.where(*conds, copy=False)
        if key_exprs:
            select = select.group_by(*[e.copy() for e in key_exprs], copy=False)
        return select

    return plan.add(("measure", spec, keys, grain), "m", build)


def _key(src: Source, key: str, measure: Measure, grain: str | None, spec: MeasureSpec) -> exp.Expression:
    if spec.shift and key == METRIC_TIME:
        return moved_key(trunc("day", src.time_column(measure)), grain, spec.shift, spec.same_day)
    return src.ref(key, measure, grain)


WINDOW_CHOICES = {"max": exp.Max, "min": exp.Min}
_AT, _PICK, _ROW_VALUE = "nad_at", "nad_pick", "row_value"


def _is_metric_time(key: str) -> bool:
    return key == METRIC_TIME or key.startswith(METRIC_TIME + "__")




def non_additive_column(model: SemanticModel, measure: Measure) -> exp.Expression:
    """The measure's non_additive_dimension as a DATE at that dimension's own grain."""
    problem = non_additive_problem(model, measure)
    if problem:
        raise UserError(problem)
    dim = model.dimension(str((measure.non_additive_dimension or {}).get("name")))
    assert dim is not None  # checked by non_additive_problem
    return trunc(dim.time_granularity or "day", catalog_expr(dim.column, "t0"))


def _snapshot_measure(src: Source, measure: Measure, keys: tuple[str, ...], key_exprs: list[exp.Expression],
                      conds: list[exp.Expression]) -> exp.Select:
    """A semi-additive measure (MetricFlow `non_additive_dimension`): only the rows at the last (max) or
    first (min) value of that dimension are aggregated, chosen within each partition — the query's
    metric_time period (the whole filtered range without one) plus the `window_groupings` entities.
    Rows are filtered first, so "balance in Q2" is the last snapshot inside Q2. A window in a subquery
    and an outer WHERE, not QUALIFY, so every target dialect can run it."""
    nad = measure.non_additive_dimension or {}
    at = non_additive_column(src.model, measure)
    partition = [e.copy() for k, e in zip(keys, key_exprs, strict=False) if _is_metric_time(k)]
    # resolved before from_joins: a grouping entity reached through a join adds that join
    partition += [src.ref(str(g), measure) for g in nad.get("window_groupings") or ()]
    pick = WINDOW_CHOICES[window_choice(measure)](this=at.copy())
    window = exp.Window(this=pick, partition_by=partition or None)
    rows = exp.select(
        *[exp.alias_(e.copy(), k, quoted=False, copy=False) for e, k in zip(key_exprs, keys, strict=False)],
        exp.alias_(catalog_expr(measure.column, "t0"), _ROW_VALUE, copy=False),
        exp.alias_(at, _AT, copy=False),
        exp.alias_(window, _PICK, copy=False),
    )
    rows = src.from_joins(rows)
    if conds:
        rows = rows.where(*conds, copy=False)
    outer = exp.select(
        *[exp.column(k, table="s") for k in keys],
        exp.alias_(aggregate(measure, exp.column(_ROW_VALUE, table="s")), VALUE, copy=False),
    ).from_(exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier("s"))), copy=False)
    outer = outer.where(exp.EQ(this=exp.column(_AT, table="s"), expression=exp.column(_PICK, table="s")), copy=False)
    if keys:
        outer = outer.group_by(*[exp.column(k, table="s") for k in keys], copy=False)
    return outer


def measure_rows_cte(plan: Plan, spec: MeasureSpec, dims: tuple[str, ...]) -> str:
    """Unaggregated rows `ds` (the day), dims..., `value` (the measure's expression), for windows."""

    def build() -> exp.Expression:
        model, measure = _lookup(plan, spec.measure)
        src = Source(plan, model)
        time = src.time_column(measure)
        select = exp.select(
            exp.alias_(trunc("day", time), "ds", copy=False),
            *[exp.alias_(src.ref(d, measure), d, copy=False) for d in dims],
            exp.alias_(catalog_expr(measure.column, "t0"), VALUE, copy=False),
        )
        conds = _where(src, measure, spec, time)
        select = src.from_joins(select)
        return select.where(*conds, copy=False) if conds else select

    return plan.add(("rows", spec, dims), "r", build)
