"""Fetch the scan plan's series through the governed query path and hold them as plain day → value maps.

Every series comes from a MetricQuery run by ``MetricService.query`` (same compiler, engine and access
rules as answers) as the trusted local operator; one query returns a metric's overall series or all the
series of one slice dimension. Nothing here judges anything.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.loop.plan import ScanPlan, SeriesQuery
from metricloop.progress import Tick, no_progress

log = logging.getLogger(__name__)

OPERATOR = None  # access.can_see: None is the local operator (CLI, scheduled jobs), who may see every metric
Slice = tuple[str, str] | None  # (dimension, value); None is the whole metric


@dataclass
class Series:
    """One daily series: values by day, and for ratios the denominator by day."""

    values: dict[dt.date, float | None] = field(default_factory=dict)
    volumes: dict[dt.date, float | None] | None = None

    def arrays(self) -> tuple[list[dt.date], list[float | None], list[float | None] | None]:
        """Sorted days, their values and (ratios) volumes, as ``core.loop.detect`` takes them."""
        days = sorted(self.values)
        vols = None if self.volumes is None else [self.volumes.get(d) for d in days]
        return days, [self.values[d] for d in days], vols


@dataclass
class Fetched:
    """All series of one scan: ``series[metric][slice]``; ``errors`` name the queries that failed."""

    series: dict[str, dict[Slice, Series]] = field(default_factory=lambda: defaultdict(dict))
    errors: list[str] = field(default_factory=list)
    queries: int = 0

    def overall(self, metric: str) -> Series | None:
        """The whole-metric series (None when its query failed)."""
        return self.series.get(metric, {}).get(None)

    def slices(self, metric: str) -> dict[str, dict[str, Series]]:
        """Slice series of a metric by dimension, then by value."""
        out: dict[str, dict[str, Series]] = defaultdict(dict)
        for key, s in self.series.get(metric, {}).items():
            if key is not None:
                out[key[0]][key[1]] = s
        return out

    @property
    def count(self) -> int:
        """Number of series fetched."""
        return sum(len(v) for v in self.series.values())


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _add(fetched: Fetched, sq: SeriesQuery, volume: str | None, answer: Any) -> None:
    names = [c.name for c in answer.columns]
    t = next(i for i, c in enumerate(answer.columns) if c.role == "time")
    v = next(i for i, c in enumerate(answer.columns) if c.role == "metric" and c.metric == sq.metric)
    w = next((i for i, c in enumerate(answer.columns) if c.role == "metric" and c.metric == volume), None)
    d = names.index(sq.dimension) if sq.dimension is not None else None
    target = fetched.series[sq.metric]
    for row in answer.rows:
        if d is not None and row[d] is None:
            continue  # rows without a value of the dimension belong to no slice
        key = None if d is None else (sq.dimension, str(row[d]))
        series = target.get(key)
        if series is None:
            series = target[key] = Series(volumes=None if w is None else {})
        day = _day(row[t])
        series.values[day] = _number(row[v])
        if w is not None:
            series.volumes[day] = _number(row[w])


def fetch(service: Any, plan: ScanPlan, start: dt.date, end: dt.date, progress: Tick = no_progress) -> Fetched:
    """Run every query of the plan for judging ``start``..``end``; rows dated after ``end`` are never read
    (each query's time range ends at ``end``, and ``end`` is the query's "today"). `progress` hears of each."""
    fetched = Fetched()
    queries = plan.queries(start, end)
    progress(0, total=len(queries))
    for sq in queries:
        fetched.queries += 1
        answer = service.query(sq.query, user=OPERATOR, today=end)
        progress(what=sq.metric)
        if answer.status != "answered":
            where = sq.metric + (f" by {sq.dimension}" if sq.dimension else "")
            log.warning("scan query for %s failed: %s", where, answer.message)
            fetched.errors.append(f"{where}: {answer.message}")
            continue
        mp = plan.get(sq.metric)
        _add(fetched, sq, mp.volume if mp else None, answer)
    return fetched
