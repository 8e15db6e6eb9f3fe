"""What the anomaly scan watches and how: metrics, their slices, detector settings, drivers, and the
MetricQueries that fetch every series. Pure: the warehouse-dependent facts (how many values a dimension
has) and the owners' adjustments come in as plain values.

Rules (issue 8, DESIGN §6):
- a metric is scanned when its ``meta.alert`` says so, and by default (the catalog says nothing about
  alerts) when it is a simple, ratio or derived metric with a time dimension;
- its slices are ``meta.alert.slices`` when given, else the categorical dimensions of its own semantic
  model (the first measure's) with 2..``max_slices`` distinct values; each value is one series;
- direction: ``meta.alert.direction`` when given, else the target's (higher is better → alert on drops),
  else both ways; the catalog's sensitivity number is relative to its default 3.0 (a robust z-score in the
  catalog's terms) and an owner's "sensitivity low/high" scales it like the detector's levels;
- drivers: ``meta.drivers`` plus ratio and derived inputs; drivers not scanned themselves are fetched as
  overall series so that "which drivers moved the same day" can be told;
- ONE MetricQuery per metric for the overall series and one per metric × slice dimension (grouped by
  it), at day grain: a thousand series cost a few dozen SQL queries.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from metricloop.core.catalog.definition import definition_hashes
from metricloop.core.catalog.graph import available_dimensions, measures_of, model_key
from metricloop.core.catalog.model import AlertSettings, Catalog, Metric
from metricloop.core.loop.detect import THRESHOLDS, DetectorSettings, Direction, Sensitivity
from metricloop.core.loop.holidays import holiday_days
from metricloop.core.query import METRIC_TIME, MetricQuery, TimeRange

DEFAULT_MAX_SLICES = 25
DEFAULT_LOOKBACK_DAYS = 90
CATALOG_DEFAULT_SENSITIVITY = AlertSettings().sensitivity  # 3.0: the catalog's "medium"
ADDITIVE_AGGS = ("sum", "count", "sum_boolean")
LEVEL_AGGS = ("average", "median", "percentile")


@dataclass(frozen=True)
class Adjustments:
    """What owners said in threads that changes how one metric is scanned."""

    sensitivity: Sensitivity | None = None
    snoozed_until: dt.date | None = None  # no anomaly is reported on days up to and including this one
    expected_days: frozenset[dt.date] = frozenset()  # marked "expected": never train, never alert


@dataclass(frozen=True)
class MetricPlan:
    """How one metric is scanned."""

    metric: str
    settings: DetectorSettings
    slices: tuple[str, ...] = ()  # dimension references; each value is a series
    drivers: tuple[str, ...] = ()
    models: tuple[str, ...] = ()  # semantic models read (their freshness gates the metric)
    volume: str | None = None  # ratios: the denominator metric, fetched beside the ratio as its volume
    additive: bool = False  # sums and counts: contributors are amounts; ratios use their volumes
    level: bool = False  # rates and averages: also checked against a long baseline for slow drifts
    alert: bool = True  # False: fetched only as another metric's driver
    skip: frozenset[dt.date] = frozenset()  # expected days and holidays
    snoozed_until: dt.date | None = None
    definition: str = ""  # hash of the definition the anomalies were judged with


@dataclass(frozen=True)
class SeriesQuery:
    """One query: a metric's overall series (dimension None) or all series of one slice dimension."""

    metric: str
    dimension: str | None
    query: MetricQuery


@dataclass(frozen=True)
class ScanPlan:
    """Every metric the scan fetches, with its lookback."""

    metrics: tuple[MetricPlan, ...]
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    _index: dict[str, MetricPlan] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({p.metric: p for p in self.metrics})

    def get(self, metric: str) -> MetricPlan | None:
        """The plan of one metric, or None when it is not scanned."""
        return self._index.get(metric)

    @property
    def alerting(self) -> tuple[MetricPlan, ...]:
        """The metrics whose anomalies are reported (not those fetched only as drivers)."""
        return tuple(p for p in self.metrics if p.alert)

    def history_start(self, start: dt.date) -> dt.date:
        """First day fetched when the first judged day is ``start``: the lookback, and never less than
        the widest detector window."""
        widest = max((p.settings.window for p in self.metrics), default=0)
        return start - dt.timedelta(days=max(self.lookback_days, widest))

    def queries(self, start: dt.date, end: dt.date) -> list[SeriesQuery]:
        """The day-grain queries judging days ``start``..``end`` need: history through ``end`` only."""
        window = TimeRange(start=self.history_start(start), end=end)
        out = []
        for p in self.metrics:
            metrics = (p.metric,) if p.volume is None else (p.metric, p.volume)
            for dim in (None, *p.slices):
                group_by = (METRIC_TIME,) if dim is None else (METRIC_TIME, dim)
                out.append(SeriesQuery(p.metric, dim, MetricQuery(
                    metrics=metrics, group_by=group_by, grain="day", time_range=window)))
        return out


def _explicit(metric: Metric, name: str) -> bool:
    return "alert" in metric.meta.model_fields_set and name in metric.meta.alert.model_fields_set


def _model_names(catalog: Catalog, metric: Metric) -> tuple[str, ...]:
    names: list[str] = []
    for measure in measures_of(catalog, metric):
        hit = catalog.find_measure(measure)
        if hit is not None and hit[0].name not in names:
            names.append(hit[0].name)
    return tuple(names)


def has_time_dimension(catalog: Catalog, metric: Metric) -> bool:
    """True when every measure the metric reads has an aggregation time dimension."""
    measures = measures_of(catalog, metric)
    for name in measures:
        hit = catalog.find_measure(name)
        if hit is None or hit[0].agg_time_dimension(hit[1]) is None:
            return False
    return bool(measures)


def is_scanned(catalog: Catalog, metric: Metric) -> bool:
    """``meta.alert.enabled`` when the catalog sets alerting; else on for simple, ratio and derived
    metrics with a time dimension."""
    if metric.unsupported_reason is not None or not has_time_dimension(catalog, metric):
        return False
    if "alert" in metric.meta.model_fields_set:
        return metric.meta.alert.enabled
    return metric.type in ("simple", "ratio", "derived")


def slice_candidates(catalog: Catalog, metric: Metric) -> tuple[str, ...]:
    """Dimensions whose values could be slices: ``meta.alert.slices``, else the categorical dimensions
    of the metric's own semantic model reachable from all its measures."""
    if metric.meta.alert.slices:
        return tuple(metric.meta.alert.slices)
    models = _model_names(catalog, metric)
    if not models:
        return ()
    own = catalog.model(models[0])
    reachable = available_dimensions(catalog, [metric.name])
    refs = (f"{model_key(own)}__{d.name}" for d in own.dimensions if d.type == "categorical")
    return tuple(r for r in refs if r in reachable)


def direction_of(metric: Metric) -> Direction:
    """The alert direction: explicit, else opposite the target's good direction, else both."""
    if _explicit(metric, "direction"):
        return metric.meta.alert.direction
    if metric.meta.target is not None:
        return "down" if metric.meta.target.direction == "higher" else "up"
    return "both"


def detector_settings(metric: Metric, adjustments: Adjustments | None = None) -> DetectorSettings:
    """DetectorSettings from the catalog's alert settings, the target, and owners' adjustments."""
    alert = metric.meta.alert
    level = (adjustments.sensitivity if adjustments else None) or "medium"
    z = THRESHOLDS[level] * alert.sensitivity / CATALOG_DEFAULT_SENSITIVITY
    return DetectorSettings(sensitivity=level, min_volume=alert.min_volume, direction=direction_of(metric), z=z)


def drivers_of(catalog: Catalog, metric: Metric) -> tuple[str, ...]:
    """``meta.drivers`` plus ratio and derived inputs, each a catalog metric other than this one."""
    inputs = [i.name for i in (metric.numerator, metric.denominator) if i is not None]
    inputs += [i.name for i in metric.metrics]
    names = [*metric.meta.drivers, *inputs]
    return tuple(n for n in dict.fromkeys(names) if n != metric.name and catalog.metric(n) is not None)


def definition_hash(catalog: Catalog, metric: Metric) -> str:
    """The metric's definition version (core/catalog/definition: it, its inputs, measures and models), the
    same hash the changelog and answers record."""
    return definition_hashes(catalog).get(metric.name, "")


def _additive(catalog: Catalog, metric: Metric) -> bool:
    if metric.type != "simple" or metric.measure is None:
        return False
    hit = catalog.find_measure(metric.measure.name)
    return hit is not None and hit[1].agg in ADDITIVE_AGGS and hit[1].non_additive_dimension is None


def _level(catalog: Catalog, metric: Metric) -> bool:
    """Ratios and averages: their level does not move with traffic, so a slow slide is news."""
    if metric.type == "ratio":
        return True
    hit = catalog.find_measure(metric.measure.name) if metric.type == "simple" and metric.measure else None
    return hit is not None and hit[1].agg in LEVEL_AGGS


def _volume(catalog: Catalog, metric: Metric) -> str | None:
    if metric.type != "ratio" or metric.denominator is None:
        return None
    return metric.denominator.name if catalog.metric(metric.denominator.name) is not None else None


def build_plan(catalog: Catalog, value_counts: Mapping[str, int], *,
               adjustments: Mapping[str, Adjustments] | None = None,
               only: Collection[str] | None = None,
               exclude: Mapping[str, Collection[str]] | None = None) -> ScanPlan:
    """The scan plan. ``value_counts``: distinct values per candidate dimension (see ``slice_candidates``);
    a default candidate with no count, one value, or more than ``max_slices`` is not sliced, nor one that
    ``exclude`` names for the metric (the dimensions its own filter conditions on). ``only`` restricts the
    alerting metrics (their drivers are still fetched)."""
    scan_cfg = catalog.loop.get("anomaly_scan") or {}
    max_slices = int(scan_cfg.get("max_slices", DEFAULT_MAX_SLICES))
    holidays = holiday_days(catalog.loop.get("holidays"))
    adjustments = adjustments or {}
    plans: dict[str, MetricPlan] = {}
    for metric in catalog.metrics:
        if (only is not None and metric.name not in only) or not is_scanned(catalog, metric):
            continue
        adj = adjustments.get(metric.name, Adjustments())
        candidates = slice_candidates(catalog, metric)
        if not metric.meta.alert.slices:
            fixed = (exclude or {}).get(metric.name, ())
            candidates = tuple(c for c in candidates if 2 <= value_counts.get(c, 0) <= max_slices and c not in fixed)
        plans[metric.name] = MetricPlan(
            metric=metric.name, settings=detector_settings(metric, adj), slices=candidates,
            drivers=drivers_of(catalog, metric), models=_model_names(catalog, metric),
            volume=_volume(catalog, metric), additive=_additive(catalog, metric), level=_level(catalog, metric),
            skip=frozenset(adj.expected_days) | holidays, snoozed_until=adj.snoozed_until,
            definition=definition_hash(catalog, metric))
    for plan in list(plans.values()):
        for name in plan.drivers:
            driver = catalog.metric(name)
            if name in plans or driver is None or driver.unsupported_reason or not has_time_dimension(catalog, driver):
                continue
            adj = adjustments.get(name, Adjustments())
            plans[name] = MetricPlan(
                metric=name, settings=detector_settings(driver, adj), models=_model_names(catalog, driver),
                volume=_volume(catalog, driver), additive=_additive(catalog, driver),
                level=_level(catalog, driver), alert=False,
                skip=frozenset(adj.expected_days) | holidays, definition=definition_hash(catalog, driver))
    lookback = int(scan_cfg.get("lookback_days", DEFAULT_LOOKBACK_DAYS))
    return ScanPlan(metrics=tuple(plans.values()), lookback_days=lookback)
