"""Digest content: per metric the latest complete period, its changes, progress to target, and what is open.

Pure. The app layer (loop/digester.py) runs the governed queries and hands each metric's numbers in as a
`Reading`; this module decides what the digest says and in which order:

- change vs the previous period and vs a year ago (fractions, like answers' `change` columns);
- progress to target (the catalog's `meta.target`, or an owner's later target adjustment). A metric that
  accumulates over the target's period (sums, counts, year-to-date) is judged against the pace: 62% of the
  month's target with 55% of the month gone is on track. A level (a rate, an average) is judged as is;
- metrics grouped by tier, strategic first; within a tier, what moved most first;
- a digest with no number, no open alert and no overdue action is empty, and an empty digest is not sent.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.catalog.model import Catalog, Metric, Target
from metricloop.core.time import calendar as cal

TIERS: tuple[str, ...] = ("strategic", "operational", "execution", "other")
_ACCUMULATING_AGGS = frozenset({"sum", "count", "count_distinct", "sum_boolean"})


@dataclass(frozen=True)
class Reading:
    """What the governed queries said about one metric for the digest's latest complete period."""

    metric: str
    period: dt.date  # start of the latest complete period (the day itself at day grain)
    value: float | None
    previous: float | None = None
    year_ago: float | None = None
    to_date: float | None = None  # the target's period so far (month to date for a monthly target)
    series: tuple[tuple[dt.date, float | None], ...] = ()  # recent periods, oldest first (the sparkline)
    open_alerts: int = 0
    overdue_actions: int = 0
    missing: bool = False  # the latest period has no data yet (late load): said, never shown as a zero


@dataclass(frozen=True)
class Progress:
    """How far a metric is towards its target. `pace` is the share expected by now (None for levels)."""

    target: Target
    actual: float
    share: float  # actual / target value
    pace: float | None
    on_track: bool


@dataclass(frozen=True)
class DigestLine:
    """One metric in the digest."""

    reading: Reading
    tier: str
    change: float | None  # vs the previous period
    change_year: float | None  # vs a year ago
    progress: Progress | None

    @property
    def metric(self) -> str:
        return self.reading.metric

    @property
    def moved(self) -> float:
        """How much the metric moved (what sorts the digest); unknown changes sort last."""
        return abs(self.change) if self.change is not None else -1.0

    @property
    def has_content(self) -> bool:
        r = self.reading
        return r.value is not None or r.open_alerts > 0 or r.overdue_actions > 0


@dataclass(frozen=True)
class Digest:
    """A digest for one target (a channel or a user) and one day, as sections by tier."""

    target: str
    day: dt.date  # the day the digest is for (it reports the latest complete period before it)
    grain: str
    sections: tuple[tuple[str, tuple[DigestLine, ...]], ...] = field(default=())

    @property
    def lines(self) -> list[DigestLine]:
        return [line for _, lines in self.sections for line in lines]

    @property
    def empty(self) -> bool:
        """True when there is nothing to say: such a digest is not sent."""
        return not any(line.has_content for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        """The `metricloop digest --json` shape of one digest."""
        return {"target": self.target, "day": self.day.isoformat(), "grain": self.grain, "empty": self.empty,
                "metrics": [_line_json(line) for line in self.lines]}


def _line_json(line: DigestLine) -> dict[str, Any]:
    r, p = line.reading, line.progress
    return {
        "metric": r.metric, "tier": line.tier, "period": r.period.isoformat(), "value": r.value,
        "previous": r.previous, "change": line.change, "year_ago": r.year_ago, "change_year": line.change_year,
        "target": None if p is None else {"value": p.target.value, "period": p.target.period,
                                          "direction": p.target.direction, "actual": p.actual, "share": p.share,
                                          "pace": p.pace, "on_track": p.on_track},
        "open_alerts": r.open_alerts, "overdue_actions": r.overdue_actions, "missing": r.missing,
    }


def relative_change(current: float | None, base: float | None) -> float | None:
    """(current - base) / |base|; None when either is missing or the base is zero."""
    if current is None or base is None or base == 0 or not math.isfinite(current) or not math.isfinite(base):
        return None
    return (current - base) / abs(base)


def effective_target(metric: Metric, adjustments: Sequence[Mapping[str, Any]] = ()) -> Target | None:
    """The target in force: the latest owner's target adjustment (payload `value`, optional `period` and
    `direction`), else the catalog's `meta.target`. Adjustments are given oldest first."""
    target = metric.meta.target
    for payload in adjustments:
        value = payload.get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue  # an unparsed target reply is an annotation, not a target
        base = target or Target(value=float(value))
        target = Target(value=float(value), period=payload.get("period") or base.period,
                        direction=payload.get("direction") or base.direction)
    return target


def accumulates(catalog: Catalog, metric: Metric, _seen: frozenset[str] = frozenset()) -> bool:
    """True when the metric grows through a period (sums, counts, to-date cumulatives, their sums and
    differences), so its target is judged against the share of the period gone; False for levels."""
    if metric.type == "cumulative":
        return True
    if metric.type == "simple" and metric.measure is not None:
        found = catalog.find_measure(metric.measure.name)
        return found is not None and found[1].agg in _ACCUMULATING_AGGS
    if metric.type == "derived" and metric.expr and not any(op in metric.expr for op in "*/"):
        inputs = [catalog.metric(i.name) for i in metric.metrics if i.name not in _seen]
        return bool(inputs) and all(m is not None and accumulates(catalog, m, _seen | {metric.name})
                                    for m in inputs)
    return False


def progress(target: Target | None, to_date: float | None, day: dt.date, *, accumulating: bool) -> Progress | None:
    """Progress towards `target` with `to_date` measured over its period up to and including `day`."""
    if target is None or to_date is None or not math.isfinite(to_date) or target.value == 0:
        return None
    share = to_date / target.value
    higher = target.direction == "higher"
    if not accumulating:
        return Progress(target, to_date, share, None, to_date >= target.value if higher else to_date <= target.value)
    start, end = cal.full_period(day, target.period)
    pace = ((day - start).days + 1) / ((end - start).days + 1)
    return Progress(target, to_date, share, pace, share >= pace if higher else share <= pace)


def digest_line(catalog: Catalog, reading: Reading, as_of: dt.date, target: Target | None = None) -> DigestLine:
    """One metric's line: changes, progress to `target` (see effective_target) with data up to `as_of`."""
    metric = catalog.metric(reading.metric)
    tier = (metric.meta.tier if metric is not None else None) or "other"
    prog = None
    if metric is not None:
        prog = progress(target, reading.to_date, as_of, accumulating=accumulates(catalog, metric))
    return DigestLine(reading=reading, tier=tier, change=relative_change(reading.value, reading.previous),
                      change_year=relative_change(reading.value, reading.year_ago), progress=prog)


def build_digest(catalog: Catalog, target: str, day: dt.date, readings: Sequence[Reading], *,
                 adjustments: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                 grain: str = "day") -> Digest:
    """The digest sent on `day` to `target`: one line per reading (the latest complete period before `day`),
    by tier (strategic first), what moved most first, then by metric name. `adjustments`: each metric's
    target adjustments' payloads, oldest first."""
    as_of = latest_complete(day, grain)[1]
    lines = []
    for reading in readings:
        metric = catalog.metric(reading.metric)
        goal = effective_target(metric, (adjustments or {}).get(reading.metric, ())) if metric else None
        lines.append(digest_line(catalog, reading, as_of, goal))
    sections = []
    for tier in TIERS:
        in_tier = sorted((line for line in lines if line.tier == tier), key=lambda line: (-line.moved, line.metric))
        if in_tier:
            sections.append((tier, tuple(in_tier)))
    return Digest(target=target, day=day, grain=grain, sections=tuple(sections))


def latest_complete(day: dt.date, grain: str = "day") -> tuple[dt.date, dt.date]:
    """The latest period of `grain` that ended before `day` (a digest sent on `day` reports it)."""
    last = cal.period_start(day, grain) - cal.ONE_DAY
    return cal.period_start(last, grain), last
