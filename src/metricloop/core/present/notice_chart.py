"""The chart on an anomaly notice: the last weeks of the series, the expected range on the day, the day marked.
Pure: a Vega-Lite spec (a plain dict) from plain values.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from metricloop.core.catalog.model import NumberFormat
from metricloop.core.present.chart_spec import HEIGHT, SCHEMA, WIDTH, axis_label_expr
from metricloop.core.present.texts import say

ANOMALY_COLOR = "#d62728"
RANGE_COLOR = "#9aa5b1"


def notice_chart_spec(points: Sequence[tuple[dt.date, float | None]], *, day: dt.date, value: float,
                      lower: float | None, upper: float | None, title: str, fmt: NumberFormat | None = None,
                      lang: str = "en") -> dict[str, Any] | None:
    """A line of the series, a grey bar from ``lower`` to ``upper`` on ``day`` and a red dot at ``value``;
    None when there are fewer than two points to draw."""
    rows = [{"day": d.isoformat(), "value": v} for d, v in sorted(points) if v is not None]
    if len(rows) < 2:
        return None
    weeks = max(1, round(((max(d for d, _ in points) - min(d for d, _ in points)).days + 1) / 7))
    axis = {"labelExpr": axis_label_expr(fmt, lang), "title": None}
    x = {"field": "day", "type": "temporal", "title": None, "axis": {"format": "%m-%d"}}
    layers: list[dict[str, Any]] = [
        {"data": {"values": rows}, "mark": {"type": "line", "point": False},
         "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "axis": axis,
                                    "scale": {"zero": False}}}},
    ]
    if lower is not None and upper is not None:
        layers.append({"data": {"values": [{"day": day.isoformat(), "lower": lower, "upper": upper,
                                            "label": say("notice_chart_expected", lang)}]},
                       "mark": {"type": "rule", "strokeWidth": 8, "opacity": 0.6, "color": RANGE_COLOR},
                       "encoding": {"x": x, "y": {"field": "lower", "type": "quantitative"},
                                    "y2": {"field": "upper"}, "tooltip": [{"field": "label"}]}})
    layers.append({"data": {"values": [{"day": day.isoformat(), "value": value,
                                        "label": say("notice_chart_anomaly", lang)}]},
                   "mark": {"type": "point", "filled": True, "size": 90, "color": ANOMALY_COLOR},
                   "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"},
                                "tooltip": [{"field": "label"}, {"field": "value"}]}})
    return {"$schema": SCHEMA, "width": WIDTH, "height": HEIGHT,
            "title": say("notice_chart_title", lang, metric=title, weeks=weeks), "layer": layers}
