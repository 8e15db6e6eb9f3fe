"""A metric's definition as data: what it is computed from, normalised, hashed and compared. Pure.

`metric_definition(catalog, name)` gathers everything that decides a metric's numbers and how it is governed:
the metric itself, every metric it is built from (ratio, derived, drivers' inputs — recursively), each
measure it aggregates with its semantic model's table, time dimension and the dimensions its filters name.
Prose (descriptions), positions in files (`source`) and the words people may use for it (synonyms, tags)
are left out: moving a metric to another file or adding a synonym is not a new definition.

`definition_hash` is a short sha256 of the canonical JSON (sorted keys, no whitespace) — the version an
answer, an alert or a digest records — and `diff_definitions` lists field-level changes between two
versions, as a changelog shows them.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from metricloop.core.catalog.model import Catalog, Metric, MetricInput, SemanticModel

HASH_CHARS = 12
_PROSE = {"source", "description"}
_META_WORDS = {"synonyms", "tags"}


@dataclass(frozen=True)
class FieldChange:
    """One field of a definition that changed: its dotted path, the old and the new value (None: absent)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        """``{"field", "old", "new"}``."""
        return {"field": self.field, "old": self.old, "new": self.new}


def _plain(model: Any, *, drop: set[str] = frozenset()) -> dict[str, Any]:
    data = model.model_dump(mode="json", exclude_defaults=True, exclude=_PROSE | drop)
    return data


def _metric_part(metric: Metric) -> dict[str, Any]:
    data = _plain(metric, drop={"label"})
    meta = {k: v for k, v in data.get("meta", {}).items() if k not in _META_WORDS}
    if meta:
        data["meta"] = meta
    else:
        data.pop("meta", None)
    if metric.label:
        data["label"] = metric.label  # a relabel is visible to everyone reading the answers
    return data


def _inputs(metric: Metric) -> list[MetricInput]:
    return [i for i in (metric.measure, metric.numerator, metric.denominator) if i is not None] + list(metric.metrics)


def _filters(metric: Metric) -> list[str]:
    return [*metric.filter, *(f for i in _inputs(metric) for f in i.filter)]


def _model_part(model: SemanticModel, measure_name: str, filters: list[str]) -> dict[str, Any]:
    """The slice of a semantic model a measure's numbers depend on: its table, the measure, the time
    dimension it aggregates over and the dimensions the metric's filters name."""
    measure = model.measure(measure_name)
    time_dim = model.agg_time_dimension(measure) if measure else None
    named = {time_dim} | {d.name for d in model.dimensions
                          if any(re.search(rf"(?:(?<!\w)|(?<=__)){re.escape(d.name)}(?!\w)", f) for f in filters)}
    return {"model": model.name, "table": model.table,
            "measure": _plain(measure) if measure else None,
            "dimensions": {d.name: _plain(d, drop={"label", "synonyms", "value_synonyms"})
                           for d in model.dimensions if d.name in named},
            "entities": {e.name: _plain(e, drop={"label"}) for e in model.entities}}


def metric_definition(catalog: Catalog, name: str) -> dict[str, Any] | None:
    """The normalised definition of metric `name` and everything it depends on (None: no such metric)."""
    root = catalog.metric(name)
    if root is None:
        return None
    metrics: dict[str, Any] = {}
    measures: dict[str, Any] = {}
    todo = [root]
    while todo:
        metric = todo.pop()
        if metric.name in metrics:
            continue
        # what a metric is built from counts by its numbers only: its owner or target is its own business
        metrics[metric.name] = _metric_part(metric) if metric is root else _plain(metric, drop={"label", "meta"})
        filters = _filters(metric)
        for ref in _inputs(metric):
            used = catalog.metric(ref.name)
            if used is not None and ref is not metric.measure:
                todo.append(used)
                continue
            found = catalog.find_measure(ref.name)
            if found is not None:
                measures[ref.name] = _model_part(found[0], ref.name, filters)
    return {"metric": metrics.pop(name), "uses": dict(sorted(metrics.items())), "measures": measures}


def canonical_json(definition: Any) -> str:
    """The definition as canonical JSON: sorted keys, no whitespace, non-ASCII kept."""
    return json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def definition_hash(definition: Any) -> str:
    """A short, stable hash of a normalised definition (see `metric_definition`)."""
    return hashlib.sha256(canonical_json(definition).encode()).hexdigest()[:HASH_CHARS]


def catalog_definitions(catalog: Catalog) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every metric's (hash, definition), by name."""
    out = {}
    for metric in catalog.metrics:
        definition = metric_definition(catalog, metric.name)
        out[metric.name] = (definition_hash(definition), definition)
    return out


_HASHES: dict[str, dict[str, str]] = {}  # catalog digest -> metric -> hash (a catalog is frozen: hashed once)
_HASHES_KEPT = 8


def definition_hashes(catalog: Catalog) -> dict[str, str]:
    """Every metric's definition hash, computed once per catalog (the version an answer records)."""
    key = catalog.digest
    found = _HASHES.get(key)
    if found is None:
        found = {name: hash_ for name, (hash_, _) in catalog_definitions(catalog).items()}
        if len(_HASHES) >= _HASHES_KEPT:
            _HASHES.pop(next(iter(_HASHES)))
        _HASHES[key] = found
    return found


def metric_hash(catalog: Catalog, name: str) -> str | None:
    """The definition hash of one metric (None: not in the catalog)."""
    definition = metric_definition(catalog, name)
    return None if definition is None else definition_hash(definition)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        for item in value:  # inputs are told apart by alias or name, not position
            key = item.get("alias") or item["name"]
            _flatten({k: v for k, v in item.items() if k != "name"} or True, f"{prefix}[{key}]", out)
    else:
        out[prefix] = value


def diff_definitions(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[FieldChange]:
    """Field-level differences between two definitions, sorted by field (a missing side is None)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(old or {}, "", before)
    _flatten(new or {}, "", after)
    return [FieldChange(key, before.get(key), after.get(key))
            for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)]
