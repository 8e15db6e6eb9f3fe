"""The anomaly scan: plan → fetch series → freshness → judge every series → contributors and drivers.

``scan_range(service, start, end)`` evaluates each day in the range as if it were that day: the detector
judges a day only from the days before it, the queries end at ``end``, and freshness on day D only looks
at rows dated <= D. ``run_scan(service, store, day)`` is the scheduled job (and ``metricloop scan``): it
also records each anomaly and freshness problem in the store's outbox, exactly once per natural key.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.compile.compiler import compile_dimension_values
from metricloop.core.loop.anomaly import Anomaly, FreshnessProblem, make_slice
from metricloop.core.loop.contributors import Contribution, contributors
from metricloop.core.loop.detect import DRIFT_RECENT, Judgement, drift_scan, expected_value, scan
from metricloop.core.loop.plan import Adjustments, MetricPlan, ScanPlan, build_plan, slice_candidates
from metricloop.loop.freshness import Freshness, freshness_from_series
from metricloop.loop.series import Fetched, Series, fetch
from metricloop.loop.slice_rules import filter_dimensions, slice_plan, worth_noticing
from metricloop.progress import Tick, no_progress

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    """What a scan found, and what it cost."""

    start: dt.date
    end: dt.date
    anomalies: list[Anomaly] = field(default_factory=list)
    freshness: list[FreshnessProblem] = field(default_factory=list)
    series: int = 0
    queries: int = 0
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    created: int = 0  # anomalies newly stored by run_scan (0 on a dry run or a repeat)


def value_counts(service: Any, candidates: Collection[str], cap: int) -> dict[str, int]:
    """Distinct values per dimension, counted up to ``cap + 1`` (enough to tell "too many")."""
    counts = {}
    for ref in sorted(set(candidates)):
        sql = compile_dimension_values(service.catalog, ref, cap + 1, service.dialect, schema=service.schema)
        counts[ref] = len(service.warehouse.run_sql(sql, timeout_s=service.timeout_s, max_rows=cap + 1).rows)
    return counts


def make_plan(service: Any, *, adjustments: Mapping[str, Adjustments] | None = None,
              only: Collection[str] | None = None) -> ScanPlan:
    """The scan plan for the service's catalog, with default slices sized against its warehouse."""
    catalog = service.catalog
    cap = int((catalog.loop.get("anomaly_scan") or {}).get("max_slices", 25))
    candidates = {c for m in catalog.metrics if not m.meta.alert.slices for c in slice_candidates(catalog, m)}
    fixed = {m.name: filter_dimensions(catalog, m) for m in catalog.metrics if not m.unsupported_reason}
    return build_plan(catalog, value_counts(service, candidates, cap), adjustments=adjustments, only=only,
                      exclude=fixed)


def adjustments_from_store(store: Any) -> dict[str, Adjustments]:
    """Owners' adjustments that change scans: the latest sensitivity and snooze, and every expected day
    (an "expected" mark names its day directly, or through the alert it was made on)."""
    sensitivity: dict[str, str] = {}
    snoozed: dict[str, dt.date] = {}
    expected: dict[str, set[dt.date]] = {}
    for adj in store.adjustments(kind="threshold"):
        if adj.payload.get("sensitivity"):
            sensitivity[adj.metric] = adj.payload["sensitivity"]
        if adj.payload.get("snooze_days") or adj.payload.get("until"):
            until = adj.payload.get("until")
            snoozed[adj.metric] = (dt.date.fromisoformat(until) if until else
                                   dt.date.fromisoformat(adj.created_at[:10])
                                   + dt.timedelta(days=int(adj.payload["snooze_days"])))
    for adj in store.adjustments(kind="expected"):
        days = [adj.payload.get("day"), *adj.payload.get("days", ())]
        if adj.payload.get("alert_id") is not None:
            alert = store.get_alert(int(adj.payload["alert_id"]))
            days.append(alert.day if alert else None)
        expected.setdefault(adj.metric, set()).update(dt.date.fromisoformat(str(d)[:10]) for d in days if d)
    return {m: Adjustments(sensitivity=sensitivity.get(m), snoozed_until=snoozed.get(m),
                           expected_days=frozenset(expected.get(m, ())))
            for m in set(sensitivity) | set(snoozed) | set(expected)}


def _judge(series: Series, mp: MetricPlan, start: dt.date, end: dt.date) -> dict[dt.date, Judgement]:
    """Day-vs-band judgements; for rates and averages also the long-baseline drift check, whose onset
    stands in on a day the band did not flag (sums and counts move with traffic seasonality instead)."""
    days, values, volumes = series.arrays()
    week = dt.timedelta(days=DRIFT_RECENT)
    band = {j.day: j for j in scan(days, values, mp.settings, start=start - week, end=end, skip=mp.skip,
                                   volumes=volumes)}
    found = {d: j for d, j in band.items() if d >= start}
    if mp.level:
        for j in drift_scan(days, values, mp.settings, start=start, end=end, skip=mp.skip, volumes=volumes):
            # a jump the band already flagged this week moves the weekly median too: not a second alert
            flagged = any(b.anomalous and b.direction == j.direction and j.day - week < d <= j.day
                          for d, b in band.items())
            if j.anomalous and not flagged:
                found[j.day] = j
    return found


def _expected(series: Series, mp: MetricPlan, day: dt.date) -> float | None:
    days, values, volumes = series.arrays()
    return expected_value(days, values, day, mp.settings, skip=mp.skip, volumes=volumes)


def explain(mp: MetricPlan, slices: Mapping[str, Mapping[str, Series]], day: dt.date) -> tuple[Contribution, ...]:
    """Which slice values explain an overall anomaly: amounts for sums and counts, rate + mix for ratios."""
    if not (mp.additive or mp.volume):
        return ()  # averages, medians, derived formulas: their slices do not add up to the whole
    actual, expected, parts = {}, {}, {}
    for dim, by_value in slices.items():
        for value, s in by_value.items():
            base = _expected(s, mp, day)
            if base is None:
                continue
            key = (dim, value)
            actual[key], expected[key] = s.values.get(day) or 0.0, base
            if mp.volume and s.volumes is not None:
                vol = Series(values=dict(s.volumes))
                parts[key] = ((s.volumes.get(day) or 0.0), _expected(vol, _plain(mp), day) or 0.0)
    return tuple(contributors(actual, expected, ratio_parts=parts if mp.volume else None))


def _plain(mp: MetricPlan) -> MetricPlan:
    """The plan for judging a ratio's denominator on its own (no volumes, no minimum)."""
    from dataclasses import replace

    return replace(mp, volume=None, settings=replace(mp.settings, min_volume=0.0))


def judge(plan: ScanPlan, fetched: Fetched, fresh: Freshness, start: dt.date, end: dt.date) -> list[Anomaly]:
    """Every anomaly in ``start``..``end`` (each metric on its own latest complete days), with contributors on
    overall anomalies and the drivers that broke pattern the same day."""
    lo = {p.metric: fresh.judged_day(p.models, start) for p in plan.metrics}
    hi = {p.metric: fresh.judged_day(p.models, end) for p in plan.metrics}
    overall: dict[str, dict[dt.date, Judgement]] = {}
    for p in plan.metrics:
        s = fetched.overall(p.metric)
        overall[p.metric] = _judge(s, p, lo[p.metric], hi[p.metric]) if s else {}
    found = []
    for p in plan.alerting:
        lag = (end - hi[p.metric]).days
        slices = fetched.slices(p.metric)
        whole = overall[p.metric]
        judged: list[tuple[tuple, dt.date, Judgement]] = [((), d, j) for d, j in whole.items()]
        sp = slice_plan(p, sum(len(v) for v in slices.values()))  # family-wise band (core/loop/slices)
        for dim, by_value in slices.items():
            for value, s in by_value.items():
                days = _judge(s, sp, lo[p.metric], hi[p.metric])
                judged += [(make_slice({dim: value}), d, j) for d, j in days.items()
                           if not j.anomalous or worth_noticing(sp, s, fetched.overall(p.metric), j, whole.get(d))]
        for key, day, j in judged:
            if not j.anomalous or (p.snoozed_until and day <= p.snoozed_until):
                continue
            if day in fresh.stale_days(p.models, day + dt.timedelta(days=lag)):
                continue  # its data has not (fully) arrived: a freshness notice says so instead
            drivers = tuple(d for d in p.drivers if overall.get(d, {}).get(day) and overall[d][day].direction)
            found.append(Anomaly(
                metric=p.metric, day=day, value=j.value, expected=j.expected, lower=j.lower, upper=j.upper,
                severity=j.severity, direction=j.direction, slice=key, drivers=drivers, definition=p.definition,
                contributors=explain(p, slices, day) if key == () else ()))
    found.sort(key=lambda a: (a.day, a.metric, a.slice, a.direction))
    return found


def scan_range(service: Any, start: dt.date, end: dt.date, *, plan: ScanPlan | None = None,
               adjustments: Mapping[str, Adjustments] | None = None,
               only: Collection[str] | None = None, progress: Tick = no_progress) -> ScanResult:
    """Scan days ``start``..``end`` (inclusive), each as if it were that day. Stores nothing. `progress`
    hears of each query (the slow part)."""
    started = time.perf_counter()
    plan = plan or make_plan(service, adjustments=adjustments, only=only)
    fetched = fetch(service, plan, start, end, progress)
    overall = {p.metric: (fetched.overall(p.metric) or Series()).values for p in plan.metrics}
    fresh = freshness_from_series(service.catalog.loop, plan, overall)
    problems: dict[str, FreshnessProblem] = {}
    for k in range((end - start).days + 1):
        for problem in fresh.problems(plan, start + dt.timedelta(days=k)):
            problems.setdefault(problem.key(), problem)
    return ScanResult(start=start, end=end, anomalies=judge(plan, fetched, fresh, start, end),
                      freshness=list(problems.values()), series=fetched.count, queries=fetched.queries,
                      errors=fetched.errors, elapsed_s=time.perf_counter() - started)


def run_scan(service: Any, store: Any, day: dt.date, *, start: dt.date | None = None, dry_run: bool = False,
             only: Collection[str] | None = None, progress: Tick = no_progress) -> ScanResult:
    """The scan job: judge ``start``..``day`` (default: just ``day``) with the owners' adjustments, and unless
    ``dry_run`` record every anomaly and freshness problem with its pending notice (once per natural key).
    Posting is ``loop.outbox.post_pending``'s job."""
    adjustments = adjustments_from_store(store) if store is not None else None
    result = scan_range(service, start or day, day, adjustments=adjustments, only=only, progress=progress)
    if not dry_run and store is not None:
        for problem in result.freshness:
            store.record_freshness(problem)
        result.created = sum(store.record_anomaly(a)[1] for a in result.anomalies)
    return result
