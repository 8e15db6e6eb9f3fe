"""Words for the rows a metric counts, said with the metric, with its conditions, or to choose it. Pure.

"meeting room utilization": the meeting rooms are what Room utilization's rows belong to — the metric's subject, not a
condition left over. 丹佛急诊 with a clinic called Northpaw Emergency Denver: two values written as one word are one
name, not two conditions.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from metricloop.core.catalog.graph import is_reachable
from metricloop.core.catalog.model import Catalog
from metricloop.core.query import Filter
from metricloop.core.text import has_cjk, humanise, singular, tokens
from metricloop.core.understand.dims import DimReading, reachable_refs
from metricloop.core.understand.kinds import metric_phrases, model_of
from metricloop.core.understand.lexicon import DimKey, Hit, inside
from metricloop.core.understand.metrics import MetricChoice

Span = tuple[int, int]


def carried_entities(catalog: Catalog, metrics: Sequence[str]) -> set[str]:
    """The entities the metrics' rows carry (primary or foreign, on the model each metric's rows come from)."""
    models = {model_of(catalog, m) for m in metrics} - {None}
    return {e.name for sm in catalog.semantic_models if sm.name in models for e in sm.entities}


def carried_entity_spans(catalog: Catalog, spotted: list[Hit], metrics: Sequence[str]) -> list[Span]:
    """Where the question says an entity the metrics' rows carry (会议室 with Room utilization)."""
    carried = carried_entities(catalog, metrics)
    return [h.span for h in spotted if h.entry.kind == "dimension"
            and h.entry.dim and not h.entry.dim[0] and h.entry.dim[1] in carried]


def subject_spans(catalog: Catalog, spotted: list[Hit], low: str, metrics: Sequence[str],
                  metric_spans: Sequence[Span]) -> list[Span]:
    """Entity words that run into the metric's name, of an entity its rows belong to ("meeting room
    utilization", 会议室利用率 where Room utilization's rows are meeting rooms'): the metric's subject, neither a
    condition left over nor a value of another dimension spelled the same."""
    return [(start, end) for start, end in carried_entity_spans(catalog, spotted, metrics)
            if any(s < end + 1 and start < e and low[end:s].strip() in ("", "的")
                   or s < end and start < e for s, e in metric_spans)]


def one_name_for_two(catalog: Catalog, dims: DimReading, low: str, metrics: list[str],
                     values: Mapping[DimKey, Sequence[Any]]) -> None:
    """丹佛急诊 with a clinic called Northpaw Emergency Denver: two values written as one Chinese word (the city
    Denver, the appointment type Emergency) whose words are both in one name, and in no other, are that name — not
    the emergency visits of every Denver clinic. Changes `dims.where` in place."""
    said = []
    for f in dims.where:
        text = dims.said.get(str(f.values[0]), "") if f.op == "=" and len(f.values) == 1 else ""
        if text and low.count(text) == 1:
            said.append((low.index(text), low.index(text) + len(text), f))
    refs = reachable_refs(catalog, metrics)
    for _, e1, f1 in said:
        for s2, _, f2 in said:
            if e1 != s2 or not has_cjk(low[e1 - 1 : s2 + 1]) or f1.dimension == f2.dimension:
                continue  # (written as one word, in Chinese: "Denver emergency visits" stays two conditions)
            words = set(tokens(str(f1.values[0]).lower())) | set(tokens(str(f2.values[0]).lower()))
            found = [(refs[key], v) for key in refs if key[1].endswith("_name")
                     for v in values.get(key, ()) if words <= set(tokens(str(v).lower()))]
            if len(found) == 1:
                dims.where = [f for f in dims.where if f not in (f1, f2)]
                dims.where.append(Filter(dimension=found[0][0], op="=", values=(found[0][1],)))
                return


def entity_names_option(catalog: Catalog, choice: MetricChoice, spotted: list) -> MetricChoice | None:
    """会议室利用率 among Desk utilization and Room utilization: an entity the question names (会议室, meeting rooms)
    that one option's rows belong to and no other option can even reach says which is meant."""
    if choice.decision != "clarify" or len(choice.metrics) < 2:
        return None
    own = {m: carried_entities(catalog, [m]) for m in choice.metrics}
    named = {t for m in choice.metrics for p in metric_phrases(catalog.metric(m)) for t in tokens(p)}
    for h in spotted:
        if h.entry.kind != "dimension" or not h.entry.dim or h.entry.dim[0]:
            continue
        entity = h.entry.dim[1]
        # (中心 "site" inside 园艺中心, a garden centre's name: a word of another thing's name is not said on its own;
        # a value's words may still say whose rows they are: 会员 in 会员配酒, the members' club shipments)
        if any(inside(h.span, o.span) and o.entry.kind == "dimension" and _entity_of(catalog, o) != entity
               for o in spotted):
            continue
        if set(tokens(humanise(entity))) <= named or set(tokens(h.entry.phrase)) <= named:
            continue  # "customers" of New customers and Customers affected, 电表 of Smart meter installs: their word
        holders = [m for m in choice.metrics if entity in own[m]]
        if len(holders) == 1 and not any(is_reachable(catalog, [m], entity) for m in choice.metrics
                                         if m != holders[0]):
            return MetricChoice("query", holders, {holders[0]: choice.scores.get(holders[0], 1.0)},
                                choice.mention_spans)
    return None


def _entity_of(catalog: Catalog, hit: Hit) -> str | None:
    """The entity a lexicon hit is about: the entity named, or the one identifying its dimension's rows."""
    if not hit.entry.dim:
        return None
    model, name = hit.entry.dim
    if not model:
        return name
    return next((sm.primary for sm in catalog.semantic_models if sm.name == model), None)


_DIMENSION_KIND = frozenset({"type", "name", "category", "kind", "class", "status", "group", "level", "tier", "code"})


def value_of_an_entity_elsewhere(catalog: Catalog, dims: DimReading, low: str, metrics: list[str],
                                 values: Mapping[DimKey, Sequence[Any]]) -> None:
    """自提, "excluding pickup" where trucks have the type Pickup and tickets the haul type Customer Pickup: a value
    read in one dimension that is also the one value of another dimension the metrics can use once an entity's name
    is put before it (Customer Pickup: the customer's pickup), that entity unsaid, is ambiguous — asked
    (`dims.ambiguous`), never one reading picked. Names (a hotel called Seattle Airport) are not such values."""
    if not dims.where:
        return  # (the common case: nothing to read twice, no dimensions walked)
    refs = reachable_refs(catalog, metrics)
    entities = {e.name.lower() for sm in catalog.semantic_models for e in sm.entities}
    said_words = {singular(w) for w in tokens(low)}
    for f in list(dims.where):
        if len(f.values) != 1 or not isinstance(f.values[0], str):
            continue
        words = tokens(f.values[0].lower())
        if said_words & (set(tokens(humanise(f.dimension.split("__")[-1]))) - _DIMENSION_KIND):
            continue  # "pickup trucks": the trucks' type named, no other reading
        longer = [(refs[key], v) for key in refs if refs[key] != f.dimension and not key[1].endswith("_name")
                  for v in values.get(key, ()) if isinstance(v, str)
                  and len(t := tokens(v.lower())) > len(words) and t[-len(words):] == words
                  and {singular(w) for w in t[: -len(words)]} <= entities - said_words]
        if len(longer) == 1:
            dims.where.remove(f)
            dims.ambiguous[dims.said.get(f.values[0], f.values[0])] = [f.dimension, longer[0][0]]
