"""Terminal rendering captured with rich's recording console."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.render_terminal import print_answer

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "rendering" / "answers.json").read_text())
METRICS = {m["name"]: Metric.model_validate(m) for m in FIXTURE["metrics"]}


def _render(case: str, width: int = 120, **options) -> str:
    console = Console(record=True, width=width, color_system=None, force_terminal=False)
    answer = Answer.model_validate(FIXTURE["answers"][case])
    print_answer(console, answer, METRICS, **options)
    return console.export_text()


@pytest.mark.parametrize(
    ("case", "expected_lines"),
    [
        ("single_compare", ["Revenue, Q2 2025 vs previous period",
                            "Revenue was $1.23M in Q2 2025, up 8.1% vs the previous period (was $1.14M).",
                            "$1,234,567", "+8.1%", "Governed metric: revenue · Owner: U0FINANCE1 · Period: Q2 2025"]),
        ("breakdown", ["Revenue by region, Q2 2025", "Region", "East", "$530,000", "华东", "North"]),
        ("breakdown_compare_zh", ["退款率最高的地区是华东", "退款率（上期）", "-0.2 个百分点",  # a rate: in points
                                  "受治理指标：refund_rate"]),
        ("series_by_dim", ["2025-W14", "2025-W16", "web", "app"]),
        ("clarify", ['Which one did you mean by "sales"?', "Did you mean:", "1. Revenue  (revenue)",
                     "2. Orders  (orders)"]),
        ("no_match", ['No governed metric matches "employee headcount".', "1. Orders  (orders)"]),
        ("empty", ["There is no data for this period."]),
    ],
)
def test_answers_render_their_content(case, expected_lines):
    text = _render(case)
    for line in expected_lines:
        assert line in text, f"{line!r} not in:\n{text}"


def test_numbers_are_right_aligned_in_the_table():
    lines = [ln for ln in _render("breakdown").splitlines() if ln.strip().startswith(("West", "East"))]
    ends = {len(ln.rstrip()) for ln in lines}
    assert len(lines) == 2 and len(ends) == 1  # '$120,000' and '$530,000' end in the same column


def test_sql_only_on_request_and_chart_path_printed(tmp_path):
    assert "SELECT SUM" not in _render("single_compare")
    text = _render("single_compare", show_sql=True, chart_path=tmp_path / "c.png")
    assert "Compiled SQL" in text and "SELECT SUM(order_total)" in text
    assert f"chart: {tmp_path / 'c.png'}" in text


def test_long_results_note_how_many_rows_are_shown():
    text = _render("breakdown", max_rows=2)
    assert "Showing 2 of 4 rows." in text and "North" not in text


def test_errors_show_the_message():
    console = Console(record=True, width=80, color_system=None)
    print_answer(console, Answer(status="error", message="Unknown metric 'revenu'"), METRICS)
    print_answer(console, Answer(status="error", language="zh"), METRICS)
    text = console.export_text()
    assert "Unknown metric 'revenu'" in text and "抱歉，回答时出了点问题。" in text
