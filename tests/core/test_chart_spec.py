"""Vega-Lite specs by answer shape: mark, encodings, sort, top-N and axis formats."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric, NumberFormat
from metricloop.core.present.chart_spec import MAX_BARS, MAX_SERIES, axis_label_expr, chart_spec

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "rendering" / "answers.json").read_text())
METRICS = {m["name"]: Metric.model_validate(m) for m in FIXTURE["metrics"]}


def _answer(case: str, **changes) -> Answer:
    return Answer.model_validate({**FIXTURE["answers"][case], **changes})


@pytest.mark.parametrize(
    ("case", "mark", "x_type", "y_type", "color"),
    [
        ("monthly_series", "line", "temporal", "quantitative", None),
        ("series_by_dim", "line", "temporal", "quantitative", "series"),
        ("breakdown", "bar", "nominal", "quantitative", None),
        ("breakdown_compare_zh", "bar", "nominal", "quantitative", None),
    ],
)
def test_mark_and_encodings_follow_the_shape(case, mark, x_type, y_type, color):
    spec = chart_spec(_answer(case), METRICS)
    assert spec["mark"]["type"] == mark
    assert spec["encoding"]["x"]["type"] == x_type
    assert spec["encoding"]["y"]["type"] == y_type
    assert spec["encoding"].get("color", {}).get("field") == color
    assert spec["title"]["text"] == FIXTURE["answers"][case]["interpretation"]


@pytest.mark.parametrize("case", ["single_compare", "single_two_metrics", "empty", "clarify", "no_match"])
def test_no_chart_for_a_single_number_or_a_non_answer(case):
    assert chart_spec(_answer(case), METRICS) is None


def test_breakdown_bars_are_sorted_and_skip_missing_values():
    spec = chart_spec(_answer("breakdown"), METRICS)
    assert [v["category"] for v in spec["data"]["values"]] == ["East", "华东", "West"]  # North has no value
    assert spec["encoding"]["x"]["sort"] == "-y"
    assert "'$' +" in spec["encoding"]["y"]["axis"]["labelExpr"]


def test_long_or_many_labels_make_horizontal_bars_capped_at_top_n():
    rows = [[f"Customer segment number {i}", float(i)] for i in range(30)]
    spec = chart_spec(_answer("breakdown", rows=rows), METRICS)
    assert spec["encoding"]["y"]["field"] == "category" and spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["x"]["field"] == "value"
    values = spec["data"]["values"]
    assert len(values) == MAX_BARS and values[0]["category"] == "Customer segment number 29"
    assert spec["title"]["subtitle"] == f"Top {MAX_BARS} of 30 bars"


def test_many_series_keep_the_largest_and_say_so():
    rows = [[f"2025-0{m}-01", f"s{k}", float(k * 10 + m)] for m in (1, 2, 3) for k in range(12)]
    query = {**FIXTURE["answers"]["series_by_dim"]["query"], "grain": "month"}
    answer = _answer("series_by_dim", rows=rows, query=query)
    spec = chart_spec(answer, METRICS, "zh")
    kept = spec["encoding"]["color"]["sort"]
    assert kept == [f"s{k}" for k in range(11, 11 - MAX_SERIES, -1)]
    assert {v["series"] for v in spec["data"]["values"]} == set(kept)
    assert spec["title"]["subtitle"] == f"显示前 {MAX_SERIES} 个系列（共 12 个）"
    assert spec["encoding"]["x"]["axis"]["format"] == "%Y-%m"
    assert spec["encoding"]["x"]["axis"]["values"] == ["2025-01-01", "2025-02-01", "2025-03-01"]


def test_two_metrics_over_time_get_one_panel_each_with_their_own_axis():
    data = FIXTURE["answers"]["monthly_series"]
    answer = _answer("monthly_series", metrics=["revenue", "refund_rate"],
                     columns=[*data["columns"], {"name": "refund_rate", "label": "Refund rate", "role": "metric",
                                                 "metric": "refund_rate", "type": "number"}],
                     rows=[[*r, 0.05] for r in data["rows"]])
    spec = chart_spec(answer, METRICS)
    assert [p["encoding"]["y"]["title"] for p in spec["vconcat"]] == ["Revenue", "Refund rate"]
    assert spec["vconcat"][1]["encoding"]["y"]["axis"]["labelExpr"] == "format(datum.value, '.1%')"
    assert spec["resolve"]["scale"]["y"] == "independent"


def test_quarter_axis_and_utc_scale():
    answer = _answer("monthly_series", query={"metrics": ["revenue"], "grain": "quarter"})
    x = chart_spec(answer, METRICS)["encoding"]["x"]
    assert x["scale"] == {"type": "utc"} and "utcquarter(datum.value)" in x["axis"]["labelExpr"]


@pytest.mark.parametrize(
    ("fmt", "lang", "expected"),
    [
        (NumberFormat(kind="percent"), "en", "format(datum.value, '.0%')"),
        (NumberFormat(), "en", "replace(replace(format(datum.value, '.3~s'), 'k', 'K'), 'G', 'B')"),
        (NumberFormat(kind="currency", currency="EUR"), "en", "'€' + replace("),
        (NumberFormat(), "zh", "'亿'"),
    ],
)
def test_axis_label_expressions(fmt, lang, expected):
    assert expected in axis_label_expr(fmt, lang)
