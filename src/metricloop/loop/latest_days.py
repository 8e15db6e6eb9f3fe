"""Each semantic model's latest loaded day, for answers that must say when their latest days are missing or partial.

The scan and the digest judge freshness from the series they fetch anyway (loop/freshness.py); an answer has
no such series, so it asks the warehouse: per (model, time dimension) one governed MetricQuery through the
compiler — a count of one of the model's own measures by day up to today, latest day first, one row — and
keeps the day for a short time (`ttl_s`), so warm answers pay a dictionary lookup, not a query.

The probe metric is added to a copy of the catalog (never to the catalog itself): a catalog metric of the
model may carry a filter or be joined to a day spine (`join_to_timespine` makes every day look loaded).
The latest day is a fact about the load, not about any reader's rows, so it is read as the operator.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from metricloop.core.answer import Answer
from metricloop.core.catalog.graph import measures_of
from metricloop.core.catalog.model import Catalog, Measure, Metric, MetricInput, SemanticModel
from metricloop.core.compile.compiler import compile_query
from metricloop.core.present.result_notes import Loaded, with_freshness
from metricloop.core.query import MetricQuery, OrderBy, TimeRange
from metricloop.errors import UserError
from metricloop.loop.freshness import DEFAULT_COMPLETE_AFTER_DAYS, complete_after_days

log = logging.getLogger(__name__)

PROBE_PREFIX = "_latest_loaded__"
LOOKBACK_DAYS = 3660  # a model with no rows in ten years is "no data", which the answer already says
PROBE_AGGS = ("count", "count_distinct", "sum", "min", "max", "average")  # plain aggregates, one row per day
Probe = tuple[str, str]  # (semantic model, its time dimension)


def _probe_name(model: str, time_dimension: str) -> str:
    return f"{PROBE_PREFIX}{model}__{time_dimension}"


def _plain(model: SemanticModel, measure: Measure, time_dimension: str) -> bool:
    return (measure.agg in PROBE_AGGS and not measure.non_additive_dimension
            and model.agg_time_dimension(measure) == time_dimension)


def probes_of(catalog: Catalog, metrics: Iterable[str]) -> list[Probe]:
    """The (model, time dimension) pairs the metrics read, in order (unknown metrics and timeless measures left out)."""
    out: list[Probe] = []
    for name in metrics:
        try:
            measures = measures_of(catalog, name)
        except UserError:
            continue
        for measure in measures:
            hit = catalog.find_measure(measure)
            time_dimension = hit[0].agg_time_dimension(hit[1]) if hit else None
            if time_dimension is not None and (hit[0].name, time_dimension) not in out:
                out.append((hit[0].name, time_dimension))
    return out


def probe_catalog(catalog: Catalog) -> Catalog:
    """`catalog` plus one plain metric per (model, time dimension): a measure of the model with no filter."""
    extra = []
    for model in catalog.semantic_models:
        seen: set[str] = set()
        for measure in model.measures:
            time_dimension = model.agg_time_dimension(measure)
            if time_dimension is None or time_dimension in seen or not _plain(model, measure, time_dimension):
                continue
            seen.add(time_dimension)
            extra.append(Metric(name=_probe_name(model.name, time_dimension), type="simple",
                                measure=MetricInput(name=measure.name)))
    return Catalog(semantic_models=catalog.semantic_models, metrics=catalog.metrics + tuple(extra),
                   loop=catalog.loop, root=catalog.root)


def model_label(model: SemanticModel | None, name: str) -> str:
    """A semantic model as people call it: its label, else its name in words ("order_items" → "Order items")."""
    return (model.label if model is not None and model.label else name.replace("_", " ").capitalize())


class LatestDays:
    """Latest loaded day per (model, time dimension), read through `service`'s compiler and warehouse, cached.

    `service` is anything with `catalog`, `warehouse`, `dialect`, `schema` and `timeout_s` (a MetricService);
    they are read on each call, so a reloaded catalog is probed anew."""

    def __init__(self, service: Any, ttl_s: float = 60.0, now: Callable[[], float] = time.monotonic) -> None:
        self.service, self.ttl_s, self.now = service, ttl_s, now
        self._days: dict[tuple[str, str, dt.date], tuple[float, dt.date | None]] = {}
        self._catalogs: tuple[Catalog, Catalog] | None = None  # (the service's catalog, it with the probes)
        self._lock = threading.Lock()
        self.probes_run = 0  # warehouse queries run (tests and benchmarks read it)

    def _probing(self) -> Catalog:
        catalog = self.service.catalog
        with self._lock:
            if self._catalogs is None or self._catalogs[0] is not catalog:
                self._catalogs = (catalog, probe_catalog(catalog))
            return self._catalogs[1]

    def latest(self, model: str, time_dimension: str, today: dt.date) -> dt.date | None:
        """The latest day on or before `today` with rows of `model` (by `time_dimension`); None when none or
        when the probe fails (a freshness note must never break an answer)."""
        key = (model, time_dimension, today)
        with self._lock:
            hit = self._days.get(key)
            if hit is not None and hit[0] > self.now():
                return hit[1]
        day = self._probe(model, time_dimension, today)
        with self._lock:
            now = self.now()
            for stale in [k for k, (expires, _) in self._days.items() if expires <= now]:
                del self._days[stale]  # yesterday's "today" is never asked again: the dictionary stays small
            self._days[key] = (now + self.ttl_s, day)
        return day

    def _probe(self, model: str, time_dimension: str, today: dt.date) -> dt.date | None:
        catalog = self._probing()
        name = _probe_name(model, time_dimension)
        if catalog.metric(name) is None:
            return None  # the model has no plain measure on this time dimension to count
        query = MetricQuery(metrics=(name,), grain="day", limit=1,
                            time_range=TimeRange(start=today - dt.timedelta(days=LOOKBACK_DAYS), end=today),
                            order_by=(OrderBy(field="metric_time", descending=True),))
        svc = self.service
        try:
            compiled = compile_query(catalog, query, svc.dialect, schema=svc.schema, as_of=today)
            self.probes_run += 1
            rows = svc.warehouse.run(compiled, timeout_s=svc.timeout_s, max_rows=1).rows
        except Exception:  # noqa: BLE001 - no note is better than no answer
            log.warning("could not read the latest loaded day of %s", model, exc_info=True)
            return None
        return dt.date.fromisoformat(str(rows[0][0])[:10]) if rows and rows[0][0] is not None else None

    def loaded(self, metrics: Iterable[str], today: dt.date) -> list[Loaded]:
        """How far each model the metrics read has arrived, with its complete-through day (loop.yml freshness)."""
        catalog = self.service.catalog
        out = []
        for model, time_dimension in probes_of(catalog, metrics):
            try:
                lag = complete_after_days(catalog.loop, model)
            except UserError:  # a bad setting is catalog check's (and the scan's) to report
                lag = DEFAULT_COMPLETE_AFTER_DAYS
            out.append(Loaded(label=model_label(catalog.model(model), model),
                              latest=self.latest(model, time_dimension, today),
                              complete_through=today - dt.timedelta(days=lag)))
        return out

    def note(self, answer: Answer, today: dt.date) -> Answer:
        """`answer` with a note when its period reaches days whose data is missing or still partial."""
        if answer.status != "answered" or answer.query is None:
            return answer
        return with_freshness(answer, self.loaded(answer.query.metrics, today), today)
