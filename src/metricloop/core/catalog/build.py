"""Raw MetricFlow mappings → catalog models, collecting located problems instead of stopping.

Pure: the file reader hands in `Located` values (a plain mapping plus a way to find the line of any
field below it), so the same code builds from YAML files, manifests and tests.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from metricloop.core.catalog.model import (
    Catalog,
    Dimension,
    Entity,
    Measure,
    Metric,
    MetricInput,
    MetricMeta,
    SemanticModel,
    SourceRef,
    non_additive_problem,
)
from metricloop.core.text import suggest as close_names
from metricloop.core.time.calendar import GRAINS
from metricloop.errors import CatalogProblem

_REF = re.compile(r"""^\s*(?:\{\{\s*)?ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*(?:\}\})?\s*$""")
_WINDOW = re.compile(r"^\s*(\d+)\s+(day|week|month|quarter|year)s?\s*$", re.IGNORECASE)

SEMANTIC_MODEL_KEYS = {
    "name", "model", "description", "label", "defaults", "entities", "dimensions", "measures",
    "primary_entity", "config", "meta", "node_relation",
}
ENTITY_KEYS = {"name", "type", "expr", "label", "description", "role", "config", "meta"}
DIMENSION_KEYS = {"name", "type", "expr", "label", "description", "type_params", "is_partition", "config", "meta"}
MEASURE_KEYS = {
    "name", "agg", "expr", "label", "description", "agg_time_dimension", "agg_params", "create_metric",
    "non_additive_dimension", "config", "meta",
}
METRIC_KEYS = {
    "name", "label", "description", "type", "type_params", "filter", "config", "meta", "time_granularity",
    "group", "tags",
}
TYPE_PARAM_KEYS = {
    "measure", "numerator", "denominator", "expr", "metrics", "window", "grain_to_date",
    "cumulative_type_params", "conversion_type_params", "input_measures", "join_to_timespine", "fill_nulls_with",
}
INPUT_KEYS = {"name", "filter", "alias", "offset_window", "offset_to_grain", "fill_nulls_with", "join_to_timespine"}
METRIC_TYPES = ("simple", "ratio", "derived", "cumulative", "conversion")
AGGS = ("sum", "count", "count_distinct", "average", "min", "max", "median", "percentile", "sum_boolean")


def suggest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The closest known name, for "did you mean" hints (core/text.suggest's policy)."""
    found = close_names(str(name), candidates, n=1)
    return found[0] if found else None


@dataclass
class Located:
    """A raw mapping with its file, field path and a line lookup for fields below it."""

    value: Any
    file: str
    path: str
    line_lookup: Callable[[tuple], int | None] | None = None

    def line(self, *subpath: Any) -> int | None:
        return self.line_lookup(tuple(subpath)) if self.line_lookup else None

    def source(self, fields: tuple[str, ...] = ()) -> SourceRef:
        """Where this object is, with the lines of the given dotted sub-fields when present."""
        lines = {}
        for dotted in fields:
            steps = tuple(int(s) if s.isdigit() else s for s in dotted.split("."))
            found = self.line(*steps)
            if found is not None and found != self.line():
                lines[dotted] = found
        return SourceRef(file=self.file, line=self.line(), path=self.path, lines=lines)


def field_path(*parts: object) -> str:
    """Join path parts as "metrics[1].type_params.measure" (ints become [i])."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "":
            out += f".{part}" if out else str(part)
    return out


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, dict) and "where_filters" in value:  # manifest shape
        return tuple(w.get("where_sql_template", "") for w in value["where_filters"])
    return tuple(str(v) for v in value)


def _meta_of(raw: dict) -> dict:
    """Governance fields live under config.meta (dbt ≥1.10) or top-level meta; config wins."""
    meta = dict(raw.get("meta") or {})
    config = raw.get("config") or {}
    if isinstance(config, dict):
        meta.update(config.get("meta") or {})
    return meta


def _window(text: Any) -> str | None:
    if text is None:
        return None
    if isinstance(text, dict):  # manifest: {count, granularity}
        return f"{text.get('count')} {text.get('granularity')}"
    return str(text)


@dataclass
class CatalogBuilder:
    """Accumulates semantic models and metrics; `problems` lists what could not be understood."""

    schema: str | None = None
    problems: list[CatalogProblem] = field(default_factory=list)
    models: list[SemanticModel] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)

    def problem(self, file: str, line: int | None, fieldpath: str, message: str, hint: str | None = None) -> None:
        self.problems.append(CatalogProblem(file, line, fieldpath, message, hint))

    def _unknown_keys(self, loc: Located, raw: dict, known: set[str], prefix: tuple = (), label: str = "") -> None:
        for key in raw:
            if key not in known:
                where = field_path(loc.path, *prefix, key)
                self.problem(loc.file, loc.line(*prefix, key), where, f"unknown {label}key '{key}'",
                             suggest(key, sorted(known)))

    def _require_name(self, loc: Located, raw: Any, what: str) -> str | None:
        if not isinstance(raw, dict):
            self.problem(loc.file, loc.line(), loc.path, f"expected a mapping for a {what}")
            return None
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem(loc.file, loc.line(), f"{loc.path}.name", f"a {what} needs a name")
            return None
        return name

    def _table(self, loc: Located, raw: dict) -> str | None:
        relation = raw.get("node_relation")
        if isinstance(relation, dict):
            alias = relation.get("alias") or relation.get("relation_name")
            schema = self.schema or relation.get("schema_name")
            return f"{schema}.{alias}" if schema and self.schema else str(alias)
        model = raw.get("model")
        match = _REF.match(str(model or ""))
        if not match:
            self.problem(loc.file, loc.line("model"), f"{loc.path}.model",
                         f"expected ref('table'), got {model!r}")
            return None
        table = match.group(2) or match.group(1)
        return f"{self.schema}.{table}" if self.schema else table

    def add_semantic_model(self, loc: Located) -> None:
        raw = loc.value
        name = self._require_name(loc, raw, "semantic model")
        if name is None:
            return
        self._unknown_keys(loc, raw, SEMANTIC_MODEL_KEYS)
        table = self._table(loc, raw)
        entities = self._items(loc, raw, "entities", ENTITY_KEYS, self._entity)
        dimensions = self._items(loc, raw, "dimensions", DIMENSION_KEYS, self._dimension)
        measures = self._items(loc, raw, "measures", MEASURE_KEYS, self._measure)
        defaults = raw.get("defaults") or {}
        try:
            self.models.append(SemanticModel(
                name=name, table=table or name, description=raw.get("description"), label=raw.get("label"),
                default_agg_time_dimension=defaults.get("agg_time_dimension"),
                primary_entity=raw.get("primary_entity"), entities=tuple(entities),
                dimensions=tuple(dimensions), measures=tuple(measures),
                source=loc.source(("model", "defaults.agg_time_dimension", "entities")),
            ))
        except ValidationError as exc:
            self._pydantic(loc, (), exc)

    def _items(self, loc: Located, raw: dict, key: str, known: set[str], build: Callable) -> list:
        out = []
        for i, item in enumerate(raw.get(key) or []):
            sub = (key, i)
            name = self._require_name(Located(item, loc.file, f"{loc.path}.{key}[{i}]",
                                               lambda p, s=sub: loc.line(*s, *p)), item, key[:-1])
            if name is None:
                continue
            self._unknown_keys(loc, item, known, sub, f"{key[:-1]} ")
            try:
                item_loc = Located(item, loc.file, field_path(loc.path, key, i), lambda p, s=sub: loc.line(*s, *p))
                out.append(build(item, item_loc.source(("expr", "agg_time_dimension", "type", "agg_params"))))
            except ValidationError as exc:
                self._pydantic(loc, sub, exc)
        return out

    def _pydantic(self, loc: Located, prefix: tuple, exc: ValidationError) -> None:
        for err in exc.errors():
            parts = [p for p in err["loc"] if p not in ("meta",)]
            where = field_path(loc.path, *prefix, *parts)
            allowed = err.get("ctx", {}).get("expected")
            self.problem(loc.file, loc.line(*prefix, *parts) or loc.line(*prefix), where,
                         f"{err['msg']} (got {err.get('input')!r})" + (f"; allowed: {allowed}" if allowed else ""))

    @staticmethod
    def _entity(raw: dict, source: SourceRef) -> Entity:  # noqa: ARG004 - one signature for every part builder
        return Entity(name=raw["name"], type=raw.get("type"), expr=_expr(raw.get("expr")),
                      label=raw.get("label"), description=raw.get("description"))

    @staticmethod
    def _dimension(raw: dict, source: SourceRef) -> Dimension:
        params = raw.get("type_params") or {}
        meta = _meta_of(raw)
        granularity = params.get("time_granularity")
        return Dimension(
            name=raw["name"], type=raw.get("type"), expr=_expr(raw.get("expr")), label=raw.get("label"),
            description=raw.get("description"),
            time_granularity=(str(granularity).lower() if granularity
                              else ("day" if raw.get("type") == "time" else None)),
            is_partition=bool(raw.get("is_partition", False)),
            synonyms=tuple(meta.get("synonyms") or ()),
            value_synonyms={str(k): tuple(v or ()) for k, v in (meta.get("value_synonyms") or {}).items()},
            source=source,
        )

    @staticmethod
    def _measure(raw: dict, source: SourceRef) -> Measure:
        params = raw.get("agg_params") or {}
        return Measure(
            name=raw["name"], agg=str(raw.get("agg", "")).lower(), expr=_expr(raw.get("expr")),
            label=raw.get("label"), description=raw.get("description"),
            agg_time_dimension=raw.get("agg_time_dimension"), percentile=params.get("percentile"),
            use_discrete_percentile=bool(params.get("use_discrete_percentile", False)),
            create_metric=bool(raw.get("create_metric", False)),
            non_additive_dimension=raw.get("non_additive_dimension"), source=source,
        )

    def add_metric(self, loc: Located) -> None:
        raw = loc.value
        name = self._require_name(loc, raw, "metric")
        if name is None:
            return
        self._unknown_keys(loc, raw, METRIC_KEYS, label="metric ")
        mtype = str(raw.get("type", "")).lower()
        if mtype not in METRIC_TYPES:
            self.problem(loc.file, loc.line("type"), f"{loc.path}.type", f"unknown metric type {raw.get('type')!r}",
                         suggest(mtype, METRIC_TYPES))
            return
        params = raw.get("type_params") or {}
        if not isinstance(params, dict):
            self.problem(loc.file, loc.line("type_params"), f"{loc.path}.type_params", "expected a mapping")
            return
        self._unknown_keys(loc, params, TYPE_PARAM_KEYS, ("type_params",), "type_params ")
        cumulative = params.get("cumulative_type_params") or {}
        fields: dict[str, Any] = {
            "name": name, "type": mtype, "label": raw.get("label"), "description": raw.get("description"),
            "filter": _as_tuple(raw.get("filter")),
            "source": loc.source(("filter", "type_params", "type_params.measure", "type_params.numerator",
                                  "type_params.denominator", "type_params.expr", "type_params.metrics",
                                  *(f"type_params.metrics.{i}.name" for i in range(len(params.get("metrics") or []))))),
            "window": _window(cumulative.get("window", params.get("window"))),
            "grain_to_date": cumulative.get("grain_to_date", params.get("grain_to_date")),
            "period_agg": cumulative.get("period_agg", "first"), "expr": params.get("expr"),
        }
        for key in ("measure", "numerator", "denominator"):
            if params.get(key) is not None:
                fields[key] = self._input(loc, params[key], ("type_params", key))
        if "measure" in fields and params.get("fill_nulls_with") is not None:  # older placement
            fields["measure"] = fields["measure"].model_copy(update={"fill_nulls_with": params["fill_nulls_with"]})
        fields["metrics"] = tuple(
            self._input(loc, item, ("type_params", "metrics", i)) for i, item in enumerate(params.get("metrics") or [])
        )
        if fields["window"] and not _WINDOW.match(fields["window"]):
            self.problem(loc.file, loc.line("type_params", "window"), f"{loc.path}.type_params.window",
                         f"expected '<count> <day|week|month|quarter|year>', got {fields['window']!r}")
            fields["window"] = None
        if mtype == "conversion":
            fields["unsupported_reason"] = "conversion metrics are not supported yet"
        elif any(item.get("offset_to_grain") for item in params.get("metrics") or [] if isinstance(item, dict)):
            # computing it without the grain-to-date offset would give a confidently wrong number
            fields["unsupported_reason"] = "inputs with offset_to_grain are not supported yet"
        try:
            fields["meta"] = MetricMeta.model_validate(_meta_of(raw))
        except ValidationError as exc:
            meta_root = ("config", "meta") if (raw.get("config") or {}).get("meta") else ("meta",)
            self._pydantic(loc, meta_root, exc)
            fields["meta"] = MetricMeta()
        try:
            self.metrics.append(Metric(**{k: v for k, v in fields.items() if v is not None}))
        except ValidationError as exc:
            self._pydantic(loc, (), exc)

    def _input(self, loc: Located, raw: Any, where: tuple) -> MetricInput:
        if isinstance(raw, str):
            return MetricInput(name=raw)
        if not isinstance(raw, dict) or "name" not in raw:
            self.problem(loc.file, loc.line(*where), field_path(loc.path, *where),
                         "expected a name or a mapping with 'name'")
            return MetricInput(name="?")
        self._unknown_keys(loc, raw, INPUT_KEYS, where)
        offset_to_grain = raw.get("offset_to_grain")
        return MetricInput(
            name=raw["name"], filter=_as_tuple(raw.get("filter")), alias=raw.get("alias"),
            offset_window=_window(raw.get("offset_window")),
            offset_to_grain=offset_to_grain if offset_to_grain in GRAINS else None,
            fill_nulls_with=raw.get("fill_nulls_with"), join_to_timespine=bool(raw.get("join_to_timespine", False)),
        )

    def build(self, *, loop: dict | None = None, root: str | None = None) -> Catalog:
        """The catalog; measures with `create_metric: true` become simple metrics, as dbt does."""
        named = {m.name for m in self.metrics}
        created = [metric_for_measure(measure) for sm in self.models for measure in sm.measures
                   if measure.create_metric and measure.name not in named]
        metrics = _mark_semi_additive([*self.metrics, *created], self.models)
        return Catalog(semantic_models=tuple(self.models), metrics=tuple(metrics), loop=loop or {}, root=root)


def _semi_additive_problems(models: list[SemanticModel]) -> dict[str, str | None]:
    """Every semi-additive measure → why it cannot be computed (None when it can)."""
    out: dict[str, str | None] = {}
    for sm in models:
        for m in sm.measures:
            if not m.non_additive_dimension:
                continue
            out[m.name] = non_additive_problem(sm, m)
    return out


def metric_for_measure(measure: Measure, label: str | None = None) -> Metric:
    """The simple metric named after a measure (dbt's `create_metric: true`)."""
    return Metric(name=measure.name, type="simple", label=label or measure.label, description=measure.description,
                  measure=MetricInput(name=measure.name), source=measure.source)


def _mark_semi_additive(metrics: list[Metric], models: list[SemanticModel]) -> list[Metric]:
    """Semi-additive measures (`non_additive_dimension`: balances, snapshots) are computed on their last or
    first snapshot; what is not supported yet is marked with its reason — cumulative metrics over them
    (a running window of snapshots) and a malformed non_additive_dimension — as are the ratios and
    derived metrics built on those."""
    semi = _semi_additive_problems(models)
    if not semi:
        return metrics
    by_name = {m.name: m for m in metrics}
    blocked: dict[str, str] = {}
    changed = True
    while changed:  # a fixpoint: derived metrics may sit on derived metrics
        changed = False
        for m in metrics:
            if m.name in blocked or m.unsupported_reason:
                continue
            inputs = [i.name for i in (m.measure, m.numerator, m.denominator, *m.metrics) if i is not None]
            measures = [i for i in inputs if i in semi and i not in by_name]
            why = next((semi[i] for i in measures if semi[i]), None)
            if why is None and m.type == "cumulative" and measures:
                why = (f"measure '{measures[0]}' has a non_additive_dimension (cumulative metrics over "
                       "semi-additive measures are not supported yet)")
            why = why or next((f"it uses '{i}', which cannot be computed yet" for i in inputs if i in blocked), None)
            if why:
                blocked[m.name] = why
                changed = True
    return [m.model_copy(update={"unsupported_reason": blocked[m.name]}) if m.name in blocked else m for m in metrics]


def _expr(value: Any) -> str | None:
    if value is None or value is True:
        return None
    return str(value).strip()
