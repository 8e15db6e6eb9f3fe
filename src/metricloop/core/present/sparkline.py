"""Small charts for the loop: a digest's sparklines (one row per metric) and a review's actual vs expected.

Vega-Lite specs as plain dicts (tests assert on them; adapters/charts.py renders them). Pure.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from metricloop.core.catalog.model import NumberFormat
from metricloop.core.present.chart_spec import SCHEMA, axis_label_expr

SPARK_WIDTH, SPARK_HEIGHT = 360, 34
REVIEW_WIDTH, REVIEW_HEIGHT = 520, 220


def sparklines_spec(rows: Sequence[tuple[str, Sequence[tuple[dt.date, float | None]]]], title: str) -> dict[str, Any]:
    """One sparkline per (label, series) in the given order, each on its own y scale, the last point marked.
    Labels are shown on the left; no axes (a sparkline shows the shape, the digest text has the numbers)."""
    values = [{"metric": label, "order": i, "day": d.isoformat(), "value": v}
              for i, (label, series) in enumerate(rows) for d, v in series if v is not None]
    last = {label: max((d for d, v in series if v is not None), default=None) for label, series in rows}
    for v in values:
        v["last"] = last[v["metric"]] is not None and v["day"] == last[v["metric"]].isoformat()
    x = {"field": "day", "type": "temporal", "scale": {"type": "utc"}, "axis": None}
    y = {"field": "value", "type": "quantitative", "scale": {"zero": False}, "axis": None}
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 12},
        "data": {"values": values},
        "facet": {"row": {"field": "metric", "type": "nominal", "sort": {"field": "order"},
                          "header": {"title": None, "labelAngle": 0, "labelAlign": "left", "labelOrient": "left",
                                     "labelLimit": 160}}},
        "resolve": {"scale": {"y": "independent"}},
        "spacing": 4,
        "spec": {
            "width": SPARK_WIDTH, "height": SPARK_HEIGHT,
            "layer": [
                {"mark": {"type": "line", "strokeWidth": 1.5}, "encoding": {"x": x, "y": y}},
                {"transform": [{"filter": "datum.last"}], "mark": {"type": "point", "filled": True, "size": 30},
                 "encoding": {"x": x, "y": y}},
            ],
        },
        "config": {"view": {"stroke": None}},
    }


def actual_vs_expected_spec(points: Sequence[tuple[dt.date, float | None, float | None]], *, title: str,
                            actual_label: str, expected_label: str, marks: Sequence[tuple[dt.date, str]] = (),
                            fmt: NumberFormat | None = None, lang: str = "en") -> dict[str, Any]:
    """Actual and expected lines over days, with labelled vertical rules (the alert day, the action's start)."""
    values = [{"day": d.isoformat(), "series": label, "value": v}
              for d, a, e in points for label, v in ((actual_label, a), (expected_label, e)) if v is not None]
    x = {"field": "day", "type": "temporal", "scale": {"type": "utc"}, "axis": {"title": None, "format": "%b %d"}}
    layers: list[dict[str, Any]] = [{
        "data": {"values": values},
        "mark": {"type": "line"},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": None,
                  "axis": {"labelExpr": axis_label_expr(fmt, lang)}},
            "color": {"field": "series", "type": "nominal", "sort": [actual_label, expected_label], "title": None},
            "strokeDash": {"field": "series", "type": "nominal", "sort": [actual_label, expected_label],
                           "legend": None},
        },
    }]
    if marks:
        layers.append({
            "data": {"values": [{"day": d.isoformat(), "label": text} for d, text in marks]},
            "layer": [{"mark": {"type": "rule", "color": "gray", "strokeDash": [2, 2]}, "encoding": {"x": x}},
                      {"mark": {"type": "text", "align": "left", "dx": 3, "dy": -4, "baseline": "top"},
                       "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "label"}}}],
        })
    return {"$schema": SCHEMA, "title": {"text": title, "anchor": "start"}, "width": REVIEW_WIDTH,
            "height": REVIEW_HEIGHT, "layer": layers}
