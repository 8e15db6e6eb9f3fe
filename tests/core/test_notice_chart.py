"""The notice chart: the series as a line, the expected range on the day, the anomaly marked."""
from __future__ import annotations

import datetime as dt

from metricloop.core.present.notice_chart import ANOMALY_COLOR, notice_chart_spec

DAY = dt.date(2026, 3, 30)
POINTS = [(DAY - dt.timedelta(days=i), 1000.0 + i) for i in range(41, 0, -1)] + [(DAY, 700.0)]


def test_line_band_and_marked_day():
    spec = notice_chart_spec(POINTS, day=DAY, value=700.0, lower=850.0, upper=1150.0, title="Revenue")
    line, band, dot = spec["layer"]
    assert spec["title"] == "Revenue, last 6 weeks"
    assert len(line["data"]["values"]) == 42 and line["mark"]["type"] == "line"
    assert band["data"]["values"][0] | {"label": None} == {"day": "2026-03-30", "lower": 850.0, "upper": 1150.0,
                                                           "label": None}
    assert dot["data"]["values"][0]["value"] == 700.0 and dot["mark"]["color"] == ANOMALY_COLOR


def test_chinese_title_no_band_without_bounds_and_nothing_to_draw():
    spec = notice_chart_spec(POINTS, day=DAY, value=700.0, lower=None, upper=None, title="收入", lang="zh")
    assert spec["title"] == "收入，最近 6 周" and len(spec["layer"]) == 2
    assert notice_chart_spec([(DAY, 1.0)], day=DAY, value=1.0, lower=0, upper=2, title="x") is None
