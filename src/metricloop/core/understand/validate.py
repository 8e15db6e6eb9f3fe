"""Validation of a MetricQuery proposed by an outside interpreter (the optional LLM). Pure.

The model's JSON is untrusted input. It is accepted only if every part names something the catalog
governs: known, supported metrics; dimensions reachable from them; operators from the fixed list;
filter values that exist in the value index (when it knows the dimension) and look like values;
a sane limit and dates. Anything else raises `ValueError` and the caller falls back to the
deterministic interpreter.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from metricloop.core.catalog.graph import available_dimensions
from metricloop.core.catalog.model import Catalog
from metricloop.core.query import METRIC_TIME, MetricQuery

ALLOWED_KEYS = frozenset({"metrics", "group_by", "grain", "time_range", "where", "order_by", "limit", "compare"})
MAX_LIMIT = 1000
MAX_METRICS = 5
MAX_VALUES = 20
_SUSPICIOUS = re.compile(r"[;`]|--|/\*|\*/|\b(?:select|drop|insert|delete|update|union|alter|create|exec)\b\s", re.I)


def _dims_values(index: Mapping[tuple[str, str], Sequence[str]] | None, ref: str,
                 avail: dict) -> Sequence[str] | None:
    d = avail.get(ref)
    if d is None or d.dimension is None or index is None:
        return None
    values = index.get((d.model.name, d.dimension.name))
    return values or None


def validate_proposal(catalog: Catalog, data: Any, *, values: Mapping[tuple[str, str], Sequence[str]] | None = None,
                      allowed_metrics: Sequence[str] | None = None) -> MetricQuery:
    """A MetricQuery from untrusted JSON, or ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    extra = set(data) - ALLOWED_KEYS
    if extra:
        raise ValueError(f"unexpected fields {sorted(extra)}")
    metrics = data.get("metrics")
    if (not isinstance(metrics, list) or not 1 <= len(metrics) <= MAX_METRICS
            or not all(isinstance(m, str) for m in metrics)):
        raise ValueError("metrics must be a list of 1–5 names")
    supported = {m.name for m in catalog.supported_metrics()}
    for name in metrics:
        if name not in supported or (allowed_metrics is not None and name not in allowed_metrics):
            raise ValueError(f"unknown metric {name!r}")
    avail = available_dimensions(catalog, metrics)
    for ref in data.get("group_by") or []:
        if not isinstance(ref, str) or (ref not in avail and ref.split("__")[0] != METRIC_TIME):
            raise ValueError(f"unknown dimension {ref!r}")
    where = []
    for flt in data.get("where") or []:
        if not isinstance(flt, dict) or set(flt) - {"dimension", "op", "values"}:
            raise ValueError("malformed filter")
        ref, vals = flt.get("dimension"), flt.get("values")
        if ref not in avail or ref == METRIC_TIME:
            raise ValueError(f"unknown filter dimension {ref!r}")
        if not isinstance(vals, list) or not 1 <= len(vals) <= MAX_VALUES:
            raise ValueError("filter values must be a short list")
        known = _dims_values(values, ref, avail)
        clean = []
        for v in vals:
            if (not isinstance(v, (str, int, float)) or isinstance(v, bool) or len(str(v)) > 100
                    or _SUSPICIOUS.search(str(v))):
                raise ValueError(f"suspicious filter value {v!r}")
            if known is not None:
                match = next((k for k in known if str(k).lower() == str(v).lower()), None)
                if match is None:
                    raise ValueError(f"{v!r} is not a value of {ref}")
                v = match
            clean.append(v)
        where.append({**flt, "values": clean})
    limit = data.get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT):
        raise ValueError("limit out of range")
    rng = data.get("time_range")
    if rng is not None:
        try:
            start, end = dt.date.fromisoformat(rng["start"]), dt.date.fromisoformat(rng["end"])
        except (KeyError, TypeError, ValueError):
            raise ValueError("malformed time_range") from None
        if not (1900 <= start.year <= 2100 and 1900 <= end.year <= 2100):
            raise ValueError("time_range out of range")
    query = MetricQuery.model_validate({**data, "where": where})  # extra="forbid" catches nested junk
    for order in query.order_by:
        if order.field not in query.metrics and order.field not in query.group_by:
            raise ValueError(f"cannot order by {order.field!r}")
    return query
