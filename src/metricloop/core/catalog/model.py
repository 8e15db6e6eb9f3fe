"""Governed definitions: the dbt MetricFlow semantic layer plus metricloop's governance meta.

These are frozen pydantic models: the loader (adapters/catalog_files.py) builds them from YAML or a
dbt semantic manifest; everything else only reads them. Pure: no I/O here.
"""
from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from metricloop.core.time.calendar import Grain

AggType = Literal[
    "sum", "count", "count_distinct", "average", "min", "max", "median", "percentile", "sum_boolean"
]
EntityType = Literal["primary", "unique", "foreign", "natural"]
MetricType = Literal["simple", "ratio", "derived", "cumulative", "conversion"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceRef(_Frozen):
    """Where a definition was read from, for error messages ("catalog/orders.yml:42")."""

    file: str = "<memory>"
    line: int | None = None
    path: str = ""  # field path inside the file, e.g. "metrics[3]"
    lines: dict[str, int] = Field(default_factory=dict)  # line of sub-fields, e.g. {"type_params.measure": 44}

    def line_of(self, field: str) -> int | None:
        """Line of a sub-field when known, else of the object itself."""
        return self.lines.get(field, self.line)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Entity(_Frozen):
    name: str
    type: EntityType
    expr: str | None = None
    label: str | None = None
    description: str | None = None

    @property
    def column(self) -> str:
        """SQL expression (text from the governed catalog, parsed by sqlglot, never user text)."""
        return self.expr or self.name


class Dimension(_Frozen):
    name: str
    type: Literal["categorical", "time"]
    expr: str | None = None
    label: str | None = None
    description: str | None = None
    time_granularity: Grain | None = None  # from type_params.time_granularity
    is_partition: bool = False
    synonyms: tuple[str, ...] = ()  # from meta.synonyms: words people use for this dimension
    # from meta.value_synonyms: other words for a value, e.g. {"East": ["华东", "east coast"]}
    value_synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    source: SourceRef = SourceRef()

    @property
    def column(self) -> str:
        return self.expr or self.name


class Measure(_Frozen):
    name: str
    agg: AggType
    expr: str | None = None
    label: str | None = None
    description: str | None = None
    agg_time_dimension: str | None = None  # falls back to the model's defaults.agg_time_dimension
    percentile: float | None = None  # agg_params.percentile
    use_discrete_percentile: bool = False
    create_metric: bool = False
    non_additive_dimension: dict[str, Any] | None = None
    source: SourceRef = SourceRef()

    @property
    def column(self) -> str:
        return self.expr or self.name


class SemanticModel(_Frozen):
    name: str
    table: str  # `model: ref('x')` → "x"; may be schema-qualified ("analytics.x")
    description: str | None = None
    label: str | None = None
    default_agg_time_dimension: str | None = None
    primary_entity: str | None = None
    entities: tuple[Entity, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    measures: tuple[Measure, ...] = ()
    source: SourceRef = SourceRef()

    @property
    def primary(self) -> str | None:
        """The entity that identifies one row of this model (primary/unique/natural), if any."""
        for e in self.entities:
            if e.type in ("primary", "unique", "natural"):
                return e.name
        return self.primary_entity

    def entity(self, name: str) -> Entity | None:
        return next((e for e in self.entities if e.name == name), None)

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def measure(self, name: str) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)

    def agg_time_dimension(self, measure: Measure) -> str | None:
        return measure.agg_time_dimension or self.default_agg_time_dimension


class Target(_Frozen):
    """A goal: e.g. revenue ≥ 1.2M per month."""

    value: float
    period: Grain = "month"
    direction: Literal["higher", "lower"] = "higher"  # which way is better


class NumberFormat(_Frozen):
    kind: Literal["number", "currency", "percent"] = "number"
    decimals: int | None = None
    currency: str = "USD"


class AlertSettings(_Frozen):
    enabled: bool = True
    direction: Literal["up", "down", "both"] = "both"
    sensitivity: float = 3.0  # robust z-score threshold; lower = more alerts
    min_volume: float = 0.0  # slices/days below this value are not alerted on
    slices: tuple[str, ...] = ()  # dimensions to explain changes by; default chosen by the scanner


class MetricMeta(_Frozen):
    """metricloop's governance fields (under `config.meta` or top-level `meta`)."""

    owner: str | None = None
    synonyms: tuple[str, ...] = ()
    target: Target | None = None
    format: NumberFormat = NumberFormat()
    alert: AlertSettings = AlertSettings()
    channel: str | None = None
    domain: str | None = None
    tags: tuple[str, ...] = ()
    # metric layers: strategic (company goals) → operational → execution; drivers are the metrics that
    # move this one (ratio and derived inputs count as drivers without being listed)
    tier: Literal["strategic", "operational", "execution"] | None = None
    drivers: tuple[str, ...] = ()


class MetricInput(_Frozen):
    """A reference to a measure or metric, as used in type_params (measure, numerator, metrics...)."""

    name: str
    filter: tuple[str, ...] = ()  # raw MetricFlow filter templates, parsed by core/filters.py
    alias: str | None = None
    offset_window: str | None = None  # "1 month", "7 days"
    offset_to_grain: Grain | None = None
    fill_nulls_with: float | None = None
    join_to_timespine: bool = False


class Metric(_Frozen):
    name: str
    type: MetricType
    label: str | None = None
    description: str | None = None
    filter: tuple[str, ...] = ()
    # simple / cumulative
    measure: MetricInput | None = None
    # ratio
    numerator: MetricInput | None = None
    denominator: MetricInput | None = None
    # derived
    expr: str | None = None
    metrics: tuple[MetricInput, ...] = ()
    # cumulative
    window: str | None = None  # "7 days"
    grain_to_date: Grain | None = None
    period_agg: Literal["first", "last", "average"] = "first"
    meta: MetricMeta = MetricMeta()
    # set by the loader when a metric is recognised but not supported (e.g. conversion)
    unsupported_reason: str | None = None
    source: SourceRef = SourceRef()

    @property
    def display_name(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


class Catalog(_Frozen):
    """A whole governed catalog: semantic models and metrics, plus loop settings."""

    semantic_models: tuple[SemanticModel, ...] = ()
    metrics: tuple[Metric, ...] = ()
    loop: dict[str, Any] = Field(default_factory=dict)  # loop.yml: channels, schedules, access, holidays
    root: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))

    @cached_property
    def digest(self) -> str:
        """A stable hash of the definitions (used to key caches such as embeddings)."""
        payload = json.dumps(self.model_dump(mode="json", exclude={"root"}), sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def with_metrics(self, metrics: tuple[Metric, ...], semantic_models: tuple[SemanticModel, ...] | None = None
                     ) -> Catalog:
        """This catalog with other metrics (and semantic models). A new object with its own digest, where
        `model_copy` would carry over this one's cached digest, and the caches keyed on it would mix the two."""
        models = self.semantic_models if semantic_models is None else semantic_models
        return Catalog(semantic_models=models, metrics=metrics, loop=self.loop, root=self.root)

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def model(self, name: str) -> SemanticModel | None:
        return next((s for s in self.semantic_models if s.name == name), None)

    def find_measure(self, name: str) -> tuple[SemanticModel, Measure] | None:
        for sm in self.semantic_models:
            m = sm.measure(name)
            if m is not None:
                return sm, m
        return None

    def supported_metrics(self) -> tuple[Metric, ...]:
        return tuple(m for m in self.metrics if m.unsupported_reason is None)


def window_choice(measure: Measure) -> str:
    """`max` or `min` (MetricFlow's default) for a semi-additive measure."""
    return str((measure.non_additive_dimension or {}).get("window_choice") or "min").lower()


def non_additive_problem(model: SemanticModel, measure: Measure) -> str | None:
    """Why a semi-additive measure's declaration cannot be computed, or None when it can."""
    nad = measure.non_additive_dimension or {}
    dim = model.dimension(str(nad.get("name")))
    if dim is None or dim.type != "time":
        return (f"the semi-additive measure '{measure.name}' names non_additive_dimension "
                f"'{nad.get('name')}', which is not a time dimension of model '{model.name}'")
    if window_choice(measure) not in ("min", "max"):
        return (f"the semi-additive measure '{measure.name}' has window_choice "
                f"'{window_choice(measure)}' (min or max expected)")
    return None
