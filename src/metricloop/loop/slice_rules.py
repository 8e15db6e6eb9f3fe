"""The scan's slice rules applied to fetched series (see core/loop/slices for the reasoning).

``filter_dimensions`` names the dimensions a metric's own definition conditions on (its filter, its inputs'
filters, through ratio and derived inputs): slicing by them gives one value, or values that are not the
metric at all. ``slice_plan`` widens a metric's band for its slices (family-wise), and ``worth_noticing`` keeps
a slice anomaly only when the slice is material and not already told by the overall notice.
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import replace
from typing import Any

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.compile.filters import parse_filter
from metricloop.core.loop.detect import Judgement
from metricloop.core.loop.plan import MetricPlan
from metricloop.core.loop.slices import SHARE_DAYS, covered, material, relative, slice_threshold, wide_break


def filter_dimensions(catalog: Catalog, metric: Metric, _seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """Dimension references (``order__status``) in the filters of a metric and of every input it reads."""
    if metric.name in _seen:
        return frozenset()
    seen = _seen | {metric.name}
    inputs = [i for i in (metric.measure, metric.numerator, metric.denominator, *metric.metrics) if i is not None]
    texts = [*metric.filter, *(t for i in inputs for t in i.filter)]
    found = {ref.name for text in texts for ref in parse_filter(text).refs.values() if ref.kind == "Dimension"}
    for i in inputs:
        inner = catalog.metric(i.name) if i is not metric.measure else None
        if inner is not None:
            found |= filter_dimensions(catalog, inner, seen)
    return frozenset(found)


def slice_plan(mp: MetricPlan, slices: int) -> MetricPlan:
    """The plan each of a metric's ``slices`` slice series is judged with: the same, on a wider band."""
    z = slice_threshold(mp.settings.threshold, slices)
    return replace(mp, settings=replace(mp.settings, z=z)) if z != mp.settings.threshold else mp


def _volumes(series: Any, mp: MetricPlan) -> dict[dt.date, float | None] | None:
    if mp.volume is not None:
        return series.volumes
    return series.values if mp.additive else None  # averages and formulas carry no volume


def _typical(volumes: dict[dt.date, float | None] | None, day: dt.date) -> float | None:
    if volumes is None:
        return None
    window = [abs(v) for k in range(1, SHARE_DAYS + 1)
              if (v := volumes.get(day - dt.timedelta(days=k))) is not None]
    return statistics.median(window) if window else None


def worth_noticing(sp: MetricPlan, series: Any, whole: Any, judged: Judgement, whole_judged: Judgement | None) -> bool:
    """A slice anomaly (judged with the slice plan ``sp``) is reported when its slice carried a material share
    of the metric over the weeks before the day (or, without a volume, broke the band by a wide margin), and
    the whole metric did not alert the same way that day with the slice merely along."""
    volumes = _volumes(series, sp)
    if volumes is None and not wide_break(judged.severity, sp.settings.threshold):
        return False
    if whole is not None and not material(_typical(volumes, judged.day), _typical(_volumes(whole, sp), judged.day)):
        return False
    if whole_judged is None or not whole_judged.anomalous:
        return True
    return not covered(relative(judged.value, judged.expected), relative(whole_judged.value, whole_judged.expected),
                       same_direction=whole_judged.direction == judged.direction)
