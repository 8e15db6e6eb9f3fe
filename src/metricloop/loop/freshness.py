"""Has each semantic model's data arrived before its metrics are judged?

loop.yml ``freshness:`` says, per semantic model, after how many days a day's data is complete:

    freshness:
      default: 1               # yesterday is complete by scan time (the default without any setting)
      production_batches: 2    # plant data lands a day later

A scan of day D runs on day D + 1. A model that completes a day after N days has its data complete through
D + 1 - N, so its metrics are judged on that day, and the model is stale when its latest day with data
(among rows dated <= D: no look-ahead) is earlier. A stale model yields one FreshnessProblem per expected
day, and its metrics report no anomalies on the days after its latest day: a load that failed must not
look like a revenue collapse.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from metricloop.core.loop.anomaly import FreshnessProblem
from metricloop.core.loop.plan import ScanPlan
from metricloop.errors import UserError

DEFAULT_COMPLETE_AFTER_DAYS = 1


def complete_after_days(loop: Mapping[str, Any], model: str) -> int:
    """Days after which a day of ``model`` is complete (loop.yml ``freshness:``; default 1)."""
    cfg = loop.get("freshness") or {}
    value = cfg.get(model, cfg.get("default", DEFAULT_COMPLETE_AFTER_DAYS))
    if isinstance(value, Mapping):
        value = value.get("complete_after_days", DEFAULT_COMPLETE_AFTER_DAYS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise UserError(f"loop.yml freshness: {model} must be a whole number of days (1 or more), not {value!r}.")
    return value


@dataclass(frozen=True)
class Freshness:
    """Each model's days with data, read from the overall series the scan fetched anyway."""

    loop: Mapping[str, Any]
    days: Mapping[str, frozenset[dt.date]]  # model → days on which any of its single-model metrics has data

    def expected_day(self, model: str, day: dt.date) -> dt.date:
        """The last day of ``model`` that must be complete when day ``day`` is scanned."""
        return day + dt.timedelta(days=1 - complete_after_days(self.loop, model))

    def latest(self, model: str, day: dt.date) -> dt.date | None:
        """The model's latest day with data among days <= ``day`` (None: none at all)."""
        return max((d for d in self.days.get(model, ()) if d <= day), default=None)

    def problems(self, plan: ScanPlan, day: dt.date) -> list[FreshnessProblem]:
        """One problem per stale model when ``day`` is scanned, naming the alerting metrics it holds back."""
        out = []
        for model in sorted(self.days):
            expected, latest = self.expected_day(model, day), self.latest(model, day)
            if latest is None or latest < expected:
                metrics = tuple(p.metric for p in plan.alerting if model in p.models)
                out.append(FreshnessProblem(model=model, expected_day=expected, latest_day=latest, metrics=metrics))
        return out

    def judged_day(self, models: Iterable[str], day: dt.date) -> dt.date:
        """The day a metric reading ``models`` is judged on when ``day`` is scanned (its latest complete day)."""
        return min((self.expected_day(m, day) for m in models), default=day)

    def stale_days(self, models: Iterable[str], day: dt.date) -> frozenset[dt.date]:
        """Days, up to the expected day, whose data has not arrived for any of ``models``."""
        out: set[dt.date] = set()
        for model in models:
            if model not in self.days:
                continue
            expected, latest = self.expected_day(model, day), self.latest(model, day)
            first = expected - dt.timedelta(days=400) if latest is None else latest + dt.timedelta(days=1)
            out.update(first + dt.timedelta(days=k) for k in range((expected - first).days + 1))
        return frozenset(out)


def freshness_from_series(loop: Mapping[str, Any], plan: ScanPlan,
                          overall: Mapping[str, Mapping[dt.date, float | None]]) -> Freshness:
    """Model days from the overall series of metrics that read a single model (a cross-model ratio cannot
    say which side is missing)."""
    days: dict[str, set[dt.date]] = defaultdict(set)
    for p in plan.metrics:
        if len(p.models) == 1:
            days[p.models[0]].update(d for d, v in overall.get(p.metric, {}).items() if v is not None)
    return Freshness(loop=loop, days={m: frozenset(d) for m, d in days.items()})
