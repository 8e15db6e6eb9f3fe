"""Answer → Vega-Lite spec (a plain dict tests can assert on). Pure.

- a time series becomes a line chart: one line per dimension value (the top series only, with the
  rest named in the subtitle — summing them into "Other" would be wrong for ratios and averages),
  one panel per metric so each keeps its own axis format;
- a breakdown becomes a bar chart sorted by value, horizontal when labels are long or many;
- a single number (or one row) gets no chart.
"""
from __future__ import annotations

from typing import Any

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric, NumberFormat
from metricloop.core.present.formatting import CURRENCY_SYMBOLS, MISSING, metric_format, metric_label

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_SERIES = 8
MAX_BARS = 20
MAX_PANELS = 3
WIDTH, HEIGHT = 560, 280
LONG_LABEL = 12  # characters; longer category labels read better on a horizontal bar chart
MAX_TICKS = 12
_TICK_INTERVAL = {"day": ("day", 1), "week": ("week", 1), "month": ("month", 1), "quarter": ("month", 3),
                  "year": ("year", 1)}
_TIME_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def axis_label_expr(fmt: NumberFormat | None, lang: str = "en") -> str:
    """A Vega expression formatting `datum.value` like format_value(compact=True) does."""
    fmt = fmt or NumberFormat()
    if fmt.kind == "percent":
        decimals = 0 if fmt.decimals is None else fmt.decimals
        return f"format(datum.value, '.{decimals}%')"
    if lang == "zh":
        # 万 and 亿 instead of SI prefixes: Chinese readers count in 10^4 steps
        v = "abs(datum.value)"
        body = (f"({v} >= 1e8 ? format(datum.value / 1e8, '.3~r') + '亿' : "
                f"{v} >= 1e4 ? format(datum.value / 1e4, '.3~r') + '万' : format(datum.value, ',~r'))")
    else:
        # SI prefixes read as K/M/B like format_value(compact=True): 'k' → 'K', 'G' → 'B'
        body = "replace(replace(format(datum.value, '.3~s'), 'k', 'K'), 'G', 'B')"
    if fmt.kind == "currency":
        symbol = CURRENCY_SYMBOLS.get(fmt.currency.upper(), fmt.currency.upper() + " ")
        return f"'{symbol}' + {body}"
    return body


def _title(answer: Answer, subtitle: str | None) -> dict[str, Any]:
    title: dict[str, Any] = {"text": answer.interpretation or ", ".join(answer.metrics), "anchor": "start"}
    if subtitle:
        title["subtitle"] = subtitle
    return title


def _series_note(shown: int, total: int, noun: str, lang: str) -> str | None:
    if shown >= total:
        return None
    return f"显示前 {shown} 个{noun}（共 {total} 个）" if lang == "zh" else f"Top {shown} of {total} {noun}"


def _label(row: list[Any], idx: list[int]) -> str:
    return " · ".join(MISSING if row[i] is None else str(row[i]) for i in idx)


def _top_keys(rows: list[list[Any]], key_idx: list[int], value_idx: int, n: int) -> list[str]:
    """Series/bar keys ranked by their summed absolute value (only used for ranking, never shown)."""
    weight: dict[str, float] = {}
    for r in rows:
        v = r[value_idx]
        size = abs(v) if isinstance(v, (int, float)) else 0.0
        weight[_label(r, key_idx)] = weight.get(_label(r, key_idx), 0.0) + size
    return sorted(weight, key=lambda k: -weight[k])[:n]


def _line_panel(answer: Answer, metric_i: int, time_i: int, dim_idx: list[int], metrics: dict[str, Metric],
                lang: str) -> tuple[dict[str, Any], str | None]:
    col = answer.columns[metric_i]
    fmt = metric_format(metrics, col.metric)
    label = metric_label(metrics.get(col.metric or ""), col.metric or col.name, lang)
    keys = _top_keys(answer.rows, dim_idx, metric_i, MAX_SERIES) if dim_idx else []
    keep = set(keys)
    values = [
        {"period": r[time_i], "series": _label(r, dim_idx) if dim_idx else label, "value": r[metric_i]}
        for r in answer.rows
        if r[time_i] is not None and (not dim_idx or _label(r, dim_idx) in keep)
    ]
    grain = answer.query.grain if answer.query else None
    x_axis: dict[str, Any] = {"title": None, "labelAngle": 0}
    if grain == "quarter":
        x_axis["labelExpr"] = "'Q' + utcquarter(datum.value) + ' ' + utcyear(datum.value)"
    else:
        x_axis["format"] = _TIME_FORMATS.get(grain or "day", "%Y-%m-%d")
    periods = sorted({str(v["period"]) for v in values})
    if len(periods) <= MAX_TICKS:
        x_axis["values"] = periods  # one tick per period: no in-between ticks that repeat a label
    elif grain in _TICK_INTERVAL:
        interval, step = _TICK_INTERVAL[grain]
        x_axis["tickCount"] = {"interval": interval, "step": step * -(-len(periods) // MAX_TICKS)}
    encoding: dict[str, Any] = {
        # dates are UTC midnights; a utc scale keeps labels on the right day whatever the host's zone
        "x": {"field": "period", "type": "temporal", "scale": {"type": "utc"}, "axis": x_axis},
        "y": {"field": "value", "type": "quantitative", "title": label,
              "axis": {"labelExpr": axis_label_expr(fmt, lang)}},
        "tooltip": [{"field": "period", "type": "temporal"}, {"field": "series", "type": "nominal"},
                    {"field": "value", "type": "quantitative"}],
    }
    if dim_idx:
        encoding["color"] = {"field": "series", "type": "nominal", "sort": keys,
                             "title": " · ".join(answer.columns[d].label for d in dim_idx)}
    panel = {
        "width": WIDTH, "height": HEIGHT,
        "data": {"values": values},
        # points make sparse series (a few periods) readable
        "mark": {"type": "line", "point": len(periods) <= 24},
        "encoding": encoding,
    }
    total = len({_label(r, dim_idx) for r in answer.rows}) if dim_idx else 1
    noun = "系列" if lang == "zh" else "series"
    return panel, _series_note(len(keys), total, noun, lang) if dim_idx else None


def _bar_panel(answer: Answer, metric_i: int, dim_idx: list[int], metrics: dict[str, Metric],
               lang: str) -> tuple[dict[str, Any], str | None]:
    col = answer.columns[metric_i]
    fmt = metric_format(metrics, col.metric)
    label = metric_label(metrics.get(col.metric or ""), col.metric or col.name, lang)
    rows = [r for r in answer.rows if isinstance(r[metric_i], (int, float))]
    ranked = sorted(rows, key=lambda r: r[metric_i], reverse=True)
    shown = ranked[:MAX_BARS]
    values = [{"category": _label(r, dim_idx), "value": r[metric_i]} for r in shown]
    horizontal = len(values) > 12 or any(len(v["category"]) > LONG_LABEL for v in values)
    cat_title = " · ".join(answer.columns[d].label for d in dim_idx)
    category = {"field": "category", "type": "nominal", "sort": "-x" if horizontal else "-y",
                "title": cat_title, "axis": {"labelLimit": 240}}
    value = {"field": "value", "type": "quantitative", "title": label,
             "axis": {"labelExpr": axis_label_expr(fmt, lang)}}
    encoding = {"x": value, "y": category} if horizontal else {"x": {**category, "axis": {"labelAngle": 0}}, "y": value}
    encoding["tooltip"] = [{"field": "category", "type": "nominal"}, {"field": "value", "type": "quantitative"}]
    panel = {
        "width": WIDTH, "height": max(HEIGHT, 22 * len(values)) if horizontal else HEIGHT,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": encoding,
    }
    return panel, _series_note(len(shown), len(ranked), "项" if lang == "zh" else "bars", lang)


def chart_spec(answer: Answer, metrics: dict[str, Metric], lang: str = "en") -> dict | None:
    """The chart that fits the answer's shape, or None when a chart would add nothing."""
    if answer.status != "answered" or len(answer.rows) < 2:
        return None
    roles = [c.role for c in answer.columns]
    metric_idx = [i for i, r in enumerate(roles) if r == "metric"][:MAX_PANELS]
    time_i = next((i for i, r in enumerate(roles) if r == "time"), None)
    dim_idx = [i for i, r in enumerate(roles) if r == "dimension"]
    if not metric_idx or (time_i is None and not dim_idx):
        return None
    panels, notes = [], []
    for mi in metric_idx:
        if time_i is not None:
            panel, note = _line_panel(answer, mi, time_i, dim_idx, metrics, lang)
        else:
            panel, note = _bar_panel(answer, mi, dim_idx, metrics, lang)
        panels.append(panel)
        if note and note not in notes:
            notes.append(note)
    spec: dict[str, Any] = {"$schema": SCHEMA, "title": _title(answer, "; ".join(notes) or None)}
    if len(panels) == 1:
        spec.update(panels[0])
    else:
        spec["vconcat"] = panels
        spec["resolve"] = {"scale": {"y": "independent", "color": "independent"}}
    spec["config"] = {"view": {"stroke": None}, "axis": {"grid": True, "gridOpacity": 0.4}}
    return spec
