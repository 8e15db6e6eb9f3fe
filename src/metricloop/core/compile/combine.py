"""The metric layer's shared pieces: the Scope of one query, the Part a metric becomes, how parts are
combined on the group-by keys. Pure.

Each part is a CTE of the keys plus `value`. Several are combined by UNION ALL grouped by the keys, not by a
union of their keys left-joined to each: no part fans out another, NULL dimension values line up, and each
part is read once — Spark recomputes a CTE for every reference to it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlglot import exp

from metricloop.core.compile.measures import VALUE, Plan, add_join
from metricloop.core.compile.sql import Shift, table_ref
from metricloop.core.query import METRIC_TIME, Filter


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
    shift: Shift = Shift()  # rows read moved in time (an offset at a grain it does not divide, see offsets)
    same_day: bool = False

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


def value_of(part: Part, col: exp.Expression) -> exp.Expression:
    """The part's value column as used: fill_nulls_with applied."""
    return exp.Coalesce(this=col, expressions=[exp.Literal.number(part.fill)]) if part.fill is not None else col


def _key_eq(key: str, left: str, right: str) -> exp.Expression:
    a, b = exp.column(key, table=left), exp.column(key, table=right)
    # dimension values may be NULL and must still line up; metric_time never is
    return exp.EQ(this=a, expression=b) if key == METRIC_TIME else exp.NullSafeEQ(this=a, expression=b)


def joined(plan: Plan, keys: tuple[str, ...], mains: list[Part],  # noqa: ARG001 - every step takes the plan first
           extras: list[Part] = ()) -> tuple[exp.Select, list[exp.Expression]]:
    """SELECT keys FROM every key of the mains, the extras left-joined; and each part's value as used.

    Several mains are UNION ALLs (main i's value in column v<i>) grouped by the keys — GROUP BY lines NULL
    dimension values up as IS NOT DISTINCT FROM would — so each main is read once."""
    if not keys:  # totals: each part is one aggregated row
        tables = [table_ref(p.cte).as_(f"p{i}", copy=False) for i, p in enumerate([*mains, *extras])]
        select = exp.select().from_(tables[0])
        for t in tables[1:]:
            select = add_join(select, t, None)
        return select, [value_of(p, exp.column(VALUE, table=f"p{i}")) for i, p in enumerate([*mains, *extras])]
    if len(mains) == 1:
        base, values = "p0", [value_of(mains[0], exp.column(VALUE, table="p0"))]
        select = exp.select(*[exp.column(k, table="p0") for k in keys]).from_(table_ref(mains[0].cte).as_("p0"))
    else:
        base = "k"
        values = [value_of(p, exp.column(f"v{i}", table="k")) for i, p in enumerate(mains)]
        select = exp.select(*[exp.column(k, table="k") for k in keys]).from_(_union_of(keys, mains))
    for j, part in enumerate(extras, start=len(mains)):
        on = exp.and_(*[_key_eq(k, base, f"p{j}") for k in keys])
        select = add_join(select, table_ref(part.cte).as_(f"p{j}", copy=False), on)
        values.append(value_of(part, exp.column(VALUE, table=f"p{j}")))
    return select, values


def _union_of(keys: tuple[str, ...], mains: list[Part]) -> exp.Subquery:
    """Mains 0..n as one row per key with columns v0..vn: each main folded in by a two-way UNION ALL grouped
    by the keys (MAX picks the one value a key has). Two-way, so every column has one typed side: PostgreSQL
    types NULL UNION NULL as text, which no number then matches."""
    def key_columns() -> list[exp.Column]:  # (built, not parsed from the names: a scan compiles thousands of these)
        return [exp.column(k) for k in keys]

    acc: exp.Select | None = None
    for i, part in enumerate(mains[1:], start=1):
        if acc is None:
            have = exp.select(*key_columns(), exp.alias_(exp.column(VALUE), "v0"), exp.alias_(exp.Null(), "v1"))
            have = have.from_(table_ref(mains[0].cte), copy=False)
        else:
            have = exp.select(*key_columns(), *[exp.column(f"v{j}") for j in range(i)],
                              exp.alias_(exp.Null(), f"v{i}"))
            have = have.from_(exp.Subquery(this=acc, alias=exp.TableAlias(this=exp.to_identifier(f"a{i}"))),
                              copy=False)
        new = exp.select(*key_columns(), *[exp.alias_(exp.Null(), f"v{j}") for j in range(i)],
                         exp.alias_(exp.column(VALUE), f"v{i}")).from_(table_ref(part.cte), copy=False)
        rows = exp.Subquery(this=exp.union(have, new, distinct=False),
                            alias=exp.TableAlias(this=exp.to_identifier(f"u{i}")))
        acc = exp.select(*key_columns(), *[exp.alias_(exp.Max(this=exp.column(f"v{j}")), f"v{j}")
                                           for j in range(i + 1)])
        acc = acc.from_(rows, copy=False).group_by(*key_columns(), copy=False)
    return exp.Subquery(this=acc, alias=exp.TableAlias(this=exp.to_identifier("k")))
