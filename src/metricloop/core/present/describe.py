"""One-line restatements of a MetricQuery ("Revenue by region, Q2 2025"), in English or Chinese. Pure."""
from __future__ import annotations

from metricloop.core.catalog.model import Catalog
from metricloop.core.present.formatting import column_label, metric_label
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery
from metricloop.core.text import first_chinese
from metricloop.core.time.phrases import describe_range

_OPS_ZH = {"=": "为", "!=": "不为", "in": "属于", "not in": "不属于"}


def dimension_label(catalog: Catalog, ref: str, lang: str = "en") -> str:
    """A person's name for `entity__dimension`: the dimension's label, else its name in words."""
    parts = ref.split("__")
    name, entity = parts[-1], (parts[-2] if len(parts) > 1 else None)
    # the model the entity identifies owns the dimension (order__region is the order's region)
    owners = sorted(catalog.semantic_models, key=lambda sm: sm.primary != entity)
    for sm in owners:
        dim = sm.dimension(name)
        if dim is not None:
            return (lang == "zh" and first_chinese(dim.synonyms)) or dim.label or name.replace("_", " ")
    return name.replace("_", " ")


def dimension_labels(catalog: Catalog, refs: list[str], lang: str = "en") -> str:
    """People's names for several dimensions, listed ("Truck type, Haul type"); of several entities, a name that does
    not say whose it is says so ("Instructor country, Country (learner)") — never the references
    (learner__country)."""
    whose = [ref.split("__")[-2].replace("_", " ") if "__" in ref else "" for ref in refs]
    labels = [dimension_label(catalog, ref, lang) for ref in refs]
    shown = [f"{label} ({entity})" if len(set(whose)) > 1 and entity and entity not in label.lower() else label
             for label, entity in zip(labels, whose, strict=True)]
    return ("、" if lang == "zh" else ", ").join(shown)


def describe_query(catalog: Catalog, query: MetricQuery, lang: str = "en") -> str:
    """Restate what will be computed, e.g. "Revenue and Orders by region, monthly, 2025-01-01 – 2025-06-30"."""

    zh = lang == "zh"
    names = [metric_label(catalog.metric(m), m, lang) for m in query.metrics]
    text = ("、".join(names) if zh else " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names))
    dims = [dimension_label(catalog, d, lang) for d in query.dimensions]
    if dims:
        text = f"按{'、'.join(dims)}的{text}" if zh else f"{text} by {', '.join(dims)}"
    parts = [text]
    if query.grain and query.is_time_series:
        parts.append(say(f"grain_{query.grain}", lang))
    for flt in query.where:
        values = ", ".join(str(v) for v in flt.values)
        label = dimension_label(catalog, flt.dimension, lang)
        parts.append(f"{label}{_OPS_ZH.get(flt.op, flt.op)}{values}" if zh else f"{label} {flt.op} {values}")
    if query.time_range:
        parts.append(describe_range(query.time_range, "zh" if zh else "en"))
    else:
        parts.append(say("all_time", lang))
    if query.compare:
        parts.append(say(f"compare_{query.compare}", lang))
    if query.limit and query.order_by:
        top = query.order_by[0].descending
        parts.append((f"前{query.limit}" if top else f"后{query.limit}") if zh else
                     f"{'top' if top else 'bottom'} {query.limit}")
    return ("，" if zh else ", ").join(parts)


_TIME_ZH = {"day": "日期", "week": "周", "month": "月份", "quarter": "季度", "year": "年份"}


def localise_columns(catalog: Catalog, columns, grain: str | None, lang: str) -> list:  # noqa: ANN001
    """Column labels in the answer's language (the compiler labels in English)."""
    if lang != "zh":
        return list(columns)
    out = []
    for col in columns:
        if col.role == "time":
            label = _TIME_ZH.get(grain or "day", "时间")
        elif col.role == "dimension":
            label = dimension_label(catalog, col.name, "zh")
        else:  # metric, previous and change columns are named as the tables name them
            label = column_label(col, {m.name: m for m in catalog.metrics}, "zh")
        out.append(col.model_copy(update={"label": label}))
    return out
