"""Numbers, changes, periods and one-sentence summaries, in English and Chinese (table-driven)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric, NumberFormat
from metricloop.core.present.formatting import (
    change_text,
    format_change,
    format_period,
    format_range,
    format_value,
    metric_label,
    table_view,
)
from metricloop.core.present.summary import summarize
from metricloop.core.query import TimeRange

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "rendering" / "answers.json").read_text())
METRICS = {m["name"]: Metric.model_validate(m) for m in FIXTURE["metrics"]}
USD, EUR = NumberFormat(kind="currency"), NumberFormat(kind="currency", currency="EUR")
PCT, NUM = NumberFormat(kind="percent"), NumberFormat()


@pytest.mark.parametrize(
    ("value", "fmt", "lang", "compact", "expected"),
    [
        (1234.5, USD, "en", False, "$1,234.50"),
        (1234567.891, USD, "en", False, "$1,234,568"),
        (1234567.891, USD, "en", True, "$1.23M"),
        (1234567.891, USD, "zh", True, "$123万"),
        (-98765.0, EUR, "en", True, "-€98.8K"),
        (3_200_000_000, NUM, "en", True, "3.2B"),
        (3_200_000_000, NUM, "zh", True, "32亿"),
        (45_000, NUM, "zh", True, "4.5万"),
        (3456, NUM, "en", True, "3,456"),
        (3456, NUM, "zh", True, "3,456"),
        (0.1234, PCT, "en", False, "12.3%"),
        (0.1234, NumberFormat(kind="percent", decimals=2), "zh", True, "12.34%"),
        (4.2567, NUM, "en", False, "4.26"),
        (4.2567, NumberFormat(decimals=1), "en", False, "4.3"),
        (12, NUM, "en", False, "12"),
        (12.5, NumberFormat(kind="currency", currency="XYZ"), "en", False, "12.50 XYZ"),
        (None, USD, "en", False, "—"),
        (float("nan"), NUM, "en", False, "—"),
        ("East", USD, "en", False, "East"),
        (7, None, "en", False, "7"),
    ],
)
def test_format_value(value, fmt, lang, compact, expected):
    assert format_value(value, fmt, lang, compact) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [(0.0810568, "+8.1%"), (-0.03, "-3.0%"), (0.0004, "0.0%"), (12.3456, "+1,234.6%"), (None, "—"),
     (float("inf"), "—")],
)
def test_format_change(change, expected):
    assert format_change(change) == expected == format_change(change, "zh")


@pytest.mark.parametrize(
    ("value", "grain", "long_en", "long_zh", "short"),
    [
        ("2025-04-07", "day", "Apr 7, 2025", "2025年4月7日", "2025-04-07"),
        ("2025-04-07", "week", "Week of Apr 7, 2025", "2025年第15周", "2025-W15"),
        ("2024-12-30", "week", "Week of Dec 30, 2024", "2025年第1周", "2025-W01"),  # ISO week-year
        ("2025-04-01", "month", "Apr 2025", "2025年4月", "2025-04"),
        ("2025-04-01", "quarter", "Q2 2025", "2025年第二季度", "2025-Q2"),
        ("2025-01-01", "year", "2025", "2025年", "2025"),
        ("2025-04-07T00:00:00", None, "Apr 7, 2025", "2025年4月7日", "2025-04-07"),
        ("not a date", "month", "not a date", "not a date", "not a date"),
    ],
)
def test_format_period(value, grain, long_en, long_zh, short):
    assert format_period(value, grain) == long_en
    assert format_period(value, grain, "zh") == long_zh
    assert format_period(value, grain, short=True) == short


@pytest.mark.parametrize(
    ("start", "end", "en", "zh"),
    [
        ("2025-04-01", "2025-06-30", "Q2 2025", "2025年第二季度"),
        ("2025-02-01", "2025-02-28", "Feb 2025", "2025年2月"),
        ("2024-01-01", "2024-12-31", "2024", "2024年"),
        ("2025-04-07", "2025-04-13", "Week of Apr 7, 2025", "2025年第15周"),
        ("2025-04-03", "2025-05-09", "2025-04-03 – 2025-05-09", "2025-04-03 – 2025-05-09"),
        ("2025-02-01", "2025-04-30", "2025-02-01 – 2025-04-30", "2025-02-01 – 2025-04-30"),  # not a calendar quarter
    ],
)
def test_format_range(start, end, en, zh):
    tr = TimeRange(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    assert (format_range(tr), format_range(tr, "zh")) == (en, zh)


SUMMARIES = [
    ("single_compare", "en", "Revenue was $1.23M in Q2 2025, up 8.1% vs the previous period (was $1.14M)."),
    ("single_compare", "zh", "2025年第二季度，收入为 $123万，环比增长 8.1%（上期 $114万）。"),
    ("single_two_metrics", "en", "Revenue was $98.8K and Orders was 3,456 in Mar 2025."),
    ("single_two_metrics", "zh", "2025年3月，收入为 $9.88万，订单数为 3,456。"),
    ("monthly_series", "en",
     "Revenue was $423K in Apr 2025, up 3.2% from Mar 2025; the high over 4 months was $450K in Feb 2025."),
    ("monthly_series", "zh", "2025年4月收入为 $42.3万，较2025年3月增长 3.2%；4个月中最高为2025年2月的 $45万。"),
    ("breakdown", "en", "In Q2 2025, East had the highest Revenue ($530K) of 3 regions; the lowest was West ($120K)."),
    # a rate changes by percentage points: 4.0% → 5.2% is up 1.2 points (it read "up 30.0%")
    ("breakdown_compare_zh", "zh",
     "2025年第二季度，退款率最高的地区是华东（5.2%），环比增长 1.2 个百分点（上期 4.0%）；"
     "最低的是华北（3.1%），共 2 个。"),
    ("series_by_dim", "en",
     "In the week of Apr 14, 2025, web had the highest Orders (480) of 2 channels; the lowest was app (410)."),
    ("empty", "en", "There is no data for this period."),
    ("empty", "zh", "该时间段没有数据。"),
    ("clarify", "en", 'Which one did you mean by "sales"?'),
]


@pytest.mark.parametrize(("case", "lang", "expected"), SUMMARIES)
def test_summarize(case, lang, expected):
    assert summarize(Answer.model_validate(FIXTURE["answers"][case]), METRICS, lang) == expected


def test_summary_change_is_recomputed_from_current_and_previous():
    """The change column's scale (fraction or percent) cannot mislead the sentence."""
    data = json.loads(json.dumps(FIXTURE["answers"]["single_compare"]))
    data["rows"][0][2] = 8.10568  # a compiler that reports percent points instead of a fraction
    assert "up 8.1%" in summarize(Answer.model_validate(data), METRICS)


def test_rows_ranked_by_their_change_lead_with_the_biggest_change():
    """"biggest drop in refund rate by region": the rows come ranked by the change; the sentence names the first
    (it named the highest value, which answers another question)."""
    data = json.loads(json.dumps(FIXTURE["answers"]["breakdown_compare_zh"]))
    data["query"]["order_by"] = [{"field": "refund_rate__change", "descending": False}]
    data["rows"] = [data["rows"][1], data["rows"][0]]  # 华北 fell, 华东 rose
    answer = Answer.model_validate(data)
    zh = summarize(answer, METRICS, "zh")
    assert zh.startswith("2025年第二季度，退款率降幅最大的地区是华北（3.1%，环比下降 0.2 个百分点"), zh
    assert "华北 had the biggest fall in" in summarize(answer, METRICS)


def test_a_falling_series_says_down():
    data = json.loads(json.dumps(FIXTURE["answers"]["monthly_series"]))
    data["rows"][-1][1] = 369000.0
    assert "down 10.0% from Mar 2025" in summarize(Answer.model_validate(data), METRICS)
    assert "较2025年3月下降 10.0%" in summarize(Answer.model_validate(data), METRICS, "zh")


def test_metric_label_uses_a_chinese_synonym_in_zh():
    assert metric_label(METRICS["revenue"], "revenue", "zh") == "收入"
    assert metric_label(METRICS["csat"], "csat", "zh") == "CSAT"  # no Chinese synonym: keep the label
    assert metric_label(None, "gross_profit") == "Gross profit"


def test_table_view_formats_by_role_with_one_decimal_count_per_column():
    answer = Answer.model_validate(FIXTURE["answers"]["breakdown"])
    headers, rows, numeric = table_view(answer, METRICS)
    assert headers == ["Region", "Revenue"] and numeric == [False, True]
    assert rows == [["West", "$120,000"], ["East", "$530,000"], ["华东", "$250,000"], ["North", "—"]]
    series = Answer.model_validate(FIXTURE["answers"]["series_by_dim"])
    assert table_view(series, METRICS, max_rows=2)[1] == [["2025-W14", "web", "500"], ["2025-W14", "app", "300"]]
    zh = Answer.model_validate(FIXTURE["answers"]["breakdown_compare_zh"])
    headers, rows, _ = table_view(zh, METRICS, "zh")
    assert headers == ["地区", "退款率", "退款率（上期）", "退款率变化"]
    assert rows[1] == ["华北", "3.1%", "3.3%", "-0.2 个百分点"]  # a rate moves in percentage points (it was -6.1%)


@pytest.mark.parametrize(("current", "previous", "kind", "lang", "expected"), [
    (0.0506, 0.0412, "percent", "en", "+0.9 pts"),   # a rate moves in points (App Home read "+22.8%")
    (0.031, 0.033, "percent", "zh", "-0.2 个百分点"),
    (0.04, 0.04, "percent", "en", "0.0 pts"),
    (110.0, 100.0, "currency", "en", "+10.0%"),       # an amount moves by a relative change
    (None, 0.04, "percent", "en", "—"),
])
def test_change_text_is_points_for_a_rate_and_relative_otherwise(current, previous, kind, lang, expected):
    assert change_text(current, previous, NumberFormat(kind=kind), lang) == expected
