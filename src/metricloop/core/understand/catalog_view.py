"""Catalog views for understanding. Pure.

`catalog_with_measure_metrics` exposes measures as simple metrics, named after the measure, when no
metric already uses them — MetricFlow's `create_metric: true` made explicit, so a question about
"the number of policies" can find `number_of_policies` in a catalog that only declares a few metrics.
"""
from __future__ import annotations

from metricloop.core.catalog.build import metric_for_measure
from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.text import humanise


def catalog_with_measure_metrics(catalog: Catalog, *, all_measures: bool = False) -> Catalog:
    """The catalog plus a simple metric per uncovered measure (those with create_metric, or all)."""
    used = {m.measure.name for m in catalog.metrics if m.measure is not None}
    names = {m.name for m in catalog.metrics}
    extra: list[Metric] = []
    for sm in catalog.semantic_models:
        for measure in sm.measures:
            if measure.name in used or measure.name in names or not (all_measures or measure.create_metric):
                continue
            extra.append(metric_for_measure(measure, measure.label or humanise(measure.name).capitalize()))
            names.add(measure.name)
    if not extra:
        return catalog
    return catalog.with_metrics(catalog.metrics + tuple(extra))
