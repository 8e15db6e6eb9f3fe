"""The entity join graph: which dimensions a metric can be sliced by, and along which joins.

MetricFlow semantics: a semantic model joins another along an entity that the target identifies
(primary, unique or natural there), so every join is many-to-one or one-to-one and aggregated measures
never fan out. Foreign-to-foreign (many-to-many) joins are never made. Pure.
"""
from __future__ import annotations

from dataclasses import dataclass

from metricloop.core.catalog.model import Catalog, Dimension, Metric, SemanticModel
from metricloop.core.query import METRIC_TIME
from metricloop.core.text import suggest
from metricloop.core.time.calendar import GRAINS
from metricloop.errors import UserError

MAX_HOPS = 3
_IDENTIFYING = ("primary", "unique", "natural")


@dataclass(frozen=True)
class JoinStep:
    """Join `target` on its entity `entity` from the model reached so far."""

    source: str  # semantic model name we come from
    target: str  # semantic model name we join
    entity: str


@dataclass(frozen=True)
class DimensionRef:
    """A resolved `entity__dimension` (or an entity, or metric_time) reachable from a measure's model."""

    ref: str
    model: SemanticModel
    dimension: Dimension | None  # None when the reference is an entity or metric_time
    path: tuple[JoinStep, ...] = ()
    entity: str | None = None  # set when the reference names an entity itself
    grain: str | None = None  # `order__ordered_at__month`: a time dimension truncated to a grain

    @property
    def label(self) -> str:
        if self.ref == METRIC_TIME:
            return "Time"
        if self.dimension is not None:
            return self.dimension.label or self.dimension.name.replace("_", " ").capitalize()
        return (self.entity or self.ref).replace("_", " ").capitalize()


def model_key(model: SemanticModel) -> str:
    """The entity naming a model's own dimensions (`order__status`): its primary entity, else its name."""
    return model.primary or model.name


def _neighbours(catalog: Catalog, model: SemanticModel) -> list[JoinStep]:
    steps = []
    for ent in model.entities:
        for other in catalog.semantic_models:
            if other.name == model.name:
                continue
            target = other.entity(ent.name)
            if target is not None and target.type in _IDENTIFYING:
                steps.append(JoinStep(model.name, other.name, ent.name))
    return steps


_CACHE: dict[tuple[str, str], dict[str, DimensionRef]] = {}


def reachable(catalog: Catalog, model: SemanticModel) -> dict[str, DimensionRef]:
    """Every dimension and entity reachable from `model`, keyed by reference (shortest path wins)."""
    key = (catalog.digest, model.name)  # catalogs are frozen: the digest identifies the graph
    if key not in _CACHE:
        if len(_CACHE) > 512:
            _CACHE.clear()
        _CACHE[key] = _reachable(catalog, model)
    return _CACHE[key]


def _reachable(catalog: Catalog, model: SemanticModel) -> dict[str, DimensionRef]:
    found: dict[str, DimensionRef] = {}

    def add(key: str, value: DimensionRef) -> None:
        if key not in found or len(found[key].path) > len(value.path):
            found[key] = value

    own = model_key(model)
    for dim in model.dimensions:
        add(f"{own}__{dim.name}", DimensionRef(f"{own}__{dim.name}", model, dim))
    for ent in model.entities:
        add(ent.name, DimensionRef(ent.name, model, None, (), ent.name))
    frontier: list[tuple[SemanticModel, tuple[JoinStep, ...]]] = [(model, ())]
    visited = {model.name}
    for _ in range(MAX_HOPS):
        nxt = []
        for current, path in frontier:
            for step in _neighbours(catalog, current):
                if step.target in visited:
                    continue
                target = catalog.model(step.target)
                assert target is not None
                new_path = path + (step,)
                entities = [s.entity for s in new_path]
                for dim in target.dimensions:
                    short = f"{step.entity}__{dim.name}"
                    add(short, DimensionRef(short, target, dim, new_path))
                    if len(new_path) > 1:  # MetricFlow's entity-path name, always unambiguous
                        full = "__".join([*entities, dim.name])
                        add(full, DimensionRef(full, target, dim, new_path))
                for ent in target.entities:
                    if ent.name != step.entity:
                        add(ent.name, DimensionRef(ent.name, target, None, new_path, ent.name))
                nxt.append((target, new_path))
        visited.update(t.name for t, _ in nxt)
        frontier = nxt
    return found


def measures_of(catalog: Catalog, metric: Metric | str, _seen: frozenset[str] = frozenset()) -> list[str]:
    """The measures a metric is built from, following ratio/derived inputs recursively."""
    m = catalog.metric(metric) if isinstance(metric, str) else metric
    if m is None:
        raise UserError(f"Unknown metric '{metric}'.",
                        suggestions=_close(str(metric), [x.name for x in catalog.metrics]))
    if m.name in _seen:
        raise UserError(f"Metric '{m.name}' refers to itself.")
    if m.type in ("simple", "cumulative") and m.measure is not None:
        return [m.measure.name]
    inputs = [i for i in (m.numerator, m.denominator) if i is not None] + list(m.metrics)
    out: list[str] = []
    for inp in inputs:
        for name in measures_of(catalog, inp.name, _seen | {m.name}):
            if name not in out:
                out.append(name)
    return out


def _measure_models(catalog: Catalog, metric_names: tuple[str, ...] | list[str]) -> list[SemanticModel]:
    models: list[SemanticModel] = []
    for name in metric_names:
        for measure in measures_of(catalog, name):
            hit = catalog.find_measure(measure)
            if hit is None:
                raise UserError(f"Metric '{name}' uses an unknown measure '{measure}'.")
            if hit[0] not in models:
                models.append(hit[0])
    return models


def available_dimensions(catalog: Catalog, metric_names: tuple[str, ...] | list[str]) -> dict[str, DimensionRef]:
    """Dimensions reachable from ALL the metrics' measures (keyed `entity__dimension`), plus metric_time.

    The DimensionRef returned is the one for the first measure's model; use `resolve_for_model` to get
    the join path from another model.
    """
    models = _measure_models(catalog, metric_names)
    if not models:
        return {}
    maps = [reachable(catalog, m) for m in models]
    keys = [k for k, v in maps[0].items() if v.dimension is not None and all(k in other for other in maps[1:])]
    out = {METRIC_TIME: DimensionRef(METRIC_TIME, models[0], None)}
    out.update({k: maps[0][k] for k in keys})
    return out


def _close(word: str, choices: list[str]) -> list[str]:
    """Near references: by the whole reference, or by its dimension name (`regoin` → `order__region`)."""
    found = suggest(word, choices)
    tail = word.rsplit("__", 1)[-1]
    by_name = {c: c.rsplit("__", 1)[-1] for c in choices}
    near = set(suggest(tail, by_name.values()))
    found += sorted((c for c, name in by_name.items() if name in near and c not in found), key=len)
    return found[:3]


def _did_you_mean(suggestions: list[str]) -> str:
    return f" Did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""


def _split_grain(ref: str) -> tuple[str, str | None]:
    head, _, tail = ref.rpartition("__")
    if head and tail in GRAINS:
        return head, tail
    return ref, None


def _find_for_model(catalog: Catalog, model: SemanticModel, ref: str) -> DimensionRef | None:
    if ref == METRIC_TIME or ref.startswith(METRIC_TIME + "__"):
        base, grain = _split_grain(ref)
        if base == METRIC_TIME:
            return DimensionRef(METRIC_TIME, model, None, grain=grain)
    options = reachable(catalog, model)
    if ref in options:
        return options[ref]
    base, grain = _split_grain(ref)
    hit = options.get(base)
    if hit is not None and hit.dimension is not None and hit.dimension.type == "time":
        return DimensionRef(ref, hit.model, hit.dimension, hit.path, grain=grain)
    return None


def is_reachable(catalog: Catalog, metric_names: tuple[str, ...] | list[str], ref: str) -> bool:
    """`ref` resolves for every one of the metrics (as `resolve_dimension` would, without building its error: the
    interpreter asks this of every entity at every question)."""
    models = _measure_models(catalog, metric_names)
    return bool(models) and all(_find_for_model(catalog, model, ref) is not None for model in models)


def resolve_for_model(catalog: Catalog, model: SemanticModel, ref: str) -> DimensionRef:
    """Resolve a reference (dimension, `dim__grain`, entity or metric_time) from one measure model."""
    found = _find_for_model(catalog, model, ref)
    if found is not None:
        return found
    options = reachable(catalog, model)
    suggestions = _close(ref, [k for k, v in options.items() if v.dimension is not None])
    raise UserError(f"Unknown or unreachable dimension '{ref}'." + _did_you_mean(suggestions), suggestions=suggestions)


def resolve_dimension(catalog: Catalog, metric_names: tuple[str, ...] | list[str], ref: str) -> DimensionRef:
    """Resolve `ref` for a set of metrics; UserError with did-you-mean suggestions when it fails."""
    models = _measure_models(catalog, metric_names)
    resolved = None
    for model in models:
        try:
            got = resolve_for_model(catalog, model, ref)
        except UserError as exc:
            names = ", ".join(metric_names)
            choices = [k for k in available_dimensions(catalog, metric_names)]
            suggestions = _close(ref, choices) or exc.suggestions
            raise UserError(f"The dimension '{ref}' is not available for {names}." + _did_you_mean(suggestions),
                            suggestions=suggestions) from None
        resolved = resolved or got
    if resolved is None:
        raise UserError(f"Unknown dimension '{ref}'.")
    return resolved
