"""dbt's semantic_manifest.json → the same raw shape as MetricFlow YAML. Pure."""
from __future__ import annotations

from typing import Any


def _filters(value: Any) -> list[str] | None:
    if isinstance(value, dict):
        return [w.get("where_sql_template", "") for w in value.get("where_filters") or []]
    return value


def _input(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = {k: v for k, v in raw.items() if v is not None and k in
           {"name", "alias", "offset_window", "offset_to_grain", "fill_nulls_with", "join_to_timespine"}}
    if raw.get("filter"):
        out["filter"] = _filters(raw["filter"])
    return out


def normalise_manifest(data: dict) -> tuple[list[dict], list[dict]]:
    """Return (semantic_models, metrics) as YAML-shaped dicts."""
    models = []
    for sm in data.get("semantic_models") or []:
        entry = {k: sm[k] for k in ("name", "description", "label", "defaults", "primary_entity", "node_relation")
                 if sm.get(k) is not None}
        for key in ("entities", "dimensions", "measures"):
            entry[key] = [{k: v for k, v in item.items() if v is not None and k not in ("metadata",)}
                          for item in sm.get(key) or []]
        for dim in entry["dimensions"]:
            params = dim.get("type_params") or {}
            grain = params.get("time_granularity")
            dim["type_params"] = {"time_granularity": params["time_granularity"]} if grain else {}
            if not dim["type_params"]:
                dim.pop("type_params")
        models.append(entry)
    metrics = []
    for m in data.get("metrics") or []:
        params = m.get("type_params") or {}
        tp: dict[str, Any] = {}
        for key in ("measure", "numerator", "denominator"):
            if params.get(key):
                tp[key] = _input(params[key])
        if params.get("expr") and m.get("type") == "derived":
            tp["expr"] = params["expr"]
        if params.get("metrics"):
            tp["metrics"] = [_input(x) for x in params["metrics"]]
        if params.get("cumulative_type_params") or params.get("window") or params.get("grain_to_date"):
            ctp = dict(params.get("cumulative_type_params") or {})
            ctp.setdefault("window", params.get("window"))
            ctp.setdefault("grain_to_date", params.get("grain_to_date"))
            tp["cumulative_type_params"] = {k: v for k, v in ctp.items() if v is not None}
        if params.get("conversion_type_params"):
            tp["conversion_type_params"] = params["conversion_type_params"]
        entry = {"name": m["name"], "type": m.get("type"), "type_params": tp}
        for key in ("label", "description"):
            if m.get(key):
                entry[key] = m[key]
        if m.get("filter"):
            entry["filter"] = _filters(m["filter"])
        meta = (m.get("config") or {}).get("meta") or m.get("meta")
        if meta:
            entry["config"] = {"meta": meta}
        metrics.append(entry)
    return models, metrics
