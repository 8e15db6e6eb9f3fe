"""Words for the rows a metric counts, said with the metric or with its conditions. Pure.

"meeting room utilization": the meeting rooms are what Room utilization's rows belong to — the metric's subject, not a
condition left over. 丹佛急诊 with a clinic called Northpaw Emergency Denver: two values written as one word are one
name, not two conditions.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from metricloop.core.catalog.model import Catalog
from metricloop.core.query import Filter
from metricloop.core.text import has_cjk, tokens
from metricloop.core.understand.dims import DimReading, reachable_refs
from metricloop.core.understand.kinds import model_of
from metricloop.core.understand.lexicon import DimKey, Hit

Span = tuple[int, int]


def carried_entities(catalog: Catalog, metrics: Sequence[str]) -> set[str]:
    """The entities the metrics' rows carry (primary or foreign, on the model each metric's rows come from)."""
    models = {model_of(catalog, m) for m in metrics} - {None}
    return {e.name for sm in catalog.semantic_models if sm.name in models for e in sm.entities}


def subject_spans(catalog: Catalog, spotted: list[Hit], low: str, metrics: Sequence[str],
                  metric_spans: Sequence[Span]) -> list[Span]:
    """Entity words that run into the metric's name, of an entity its rows belong to ("meeting room
    utilization", 会议室利用率 where Room utilization's rows are meeting rooms'): the metric's subject, neither a
    condition left over nor a value of another dimension spelled the same."""
    carried = carried_entities(catalog, metrics)
    return [h.span for h in spotted if h.entry.kind == "dimension"
            and h.entry.dim and not h.entry.dim[0] and h.entry.dim[1] in carried
            and any(s < h.end + 1 and h.start < e and low[h.end : s].strip() in ("", "的")
                    or s < h.end and h.start < e for s, e in metric_spans)]


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
