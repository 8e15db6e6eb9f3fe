"""`metricloop eval FILE`: accuracy next to the false-answer rate, per category and per language, as tables
and as JSON; failure lines keep their [category] tag (rich would read it as markup)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import test_cli
from metricloop.cli import app
from metricloop.core.query import Filter, MetricQuery, TimeRange
from metricloop.core.understand.evaluate import Case, Outcome, Report, compare_query

ROOT = Path(__file__).resolve().parents[1]
SMALL = str(ROOT / "tests" / "fixtures" / "cli" / "eval_small.yaml")
runner = CliRunner()
warehouse, _isolated_cache = test_cli.warehouse, test_cli._isolated_cache  # the demo warehouse and cache fixtures


class _Got:
    def __init__(self, kind: str, named: bool = False) -> None:
        self.kind, self.named = kind, named


def test_report_figures_count_false_answers_apart_from_misses():
    def case(q: str, cat: str) -> Case:
        return Case(q=q, category=cat, expect={})
    report = Report([Outcome(case("a", "x"), True, got=_Got("query")),
                     Outcome(case("b", "x"), False, ["metrics"], got=_Got("query")),      # a false answer
                     Outcome(case("收入", "y"), False, ["kind"], got=_Got("clarify")),     # a miss
                     Outcome(case("订单", "y"), False, ["kind"], got=_Got("no_match"))])   # a miss
    assert report.false_rate == 0.25 and [o.case.q for o in report.false_answers] == ["b"]
    by_cat = {k: (f.right, f.total, f.false) for k, f in report.figures(lambda c: c.category).items()}
    assert by_cat == {"x": (1, 2, 1), "y": (0, 2, 0)}
    data = report.as_dict()
    assert data["by_language"]["en"] == {"right": 1, "total": 2, "accuracy": 0.5, "false_answers": 1,
                                         "false_answer_rate": 0.5}
    assert data["by_language"]["zh"]["false_answers"] == 0 and data["overall"]["accuracy"] == 0.25
    assert [(f["q"], f["false_answer"]) for f in data["failures"]] == [("b", True), ("收入", False), ("订单", False)]


def test_answers_are_counted_by_whether_the_question_named_the_metric():
    case = Case(q="q", category="x", expect={})
    report = Report([Outcome(case, True, got=_Got("query", named=True)),
                     Outcome(case, False, ["metrics"], got=_Got("query", named=True)),
                     Outcome(case, False, ["metrics"], got=_Got("query")),
                     Outcome(case, True, got=_Got("query")), Outcome(case, True, got=_Got("query")),
                     Outcome(case, False, ["kind"], got=_Got("clarify", named=True))])  # a miss: not answered
    assert report.as_dict()["answers_by_naming"] == {"named": {"answered": 2, "false_answers": 1},
                                                     "unnamed": {"answered": 3, "false_answers": 1}}


@pytest.mark.parametrize(("expect_grain", "got_grain", "time", "same"), [
    ("month", None, ["2026-10-01", "2026-10-31"], True),     # one month by month = the month's figure
    (None, "month", ["2026-10-01", "2026-10-31"], True),
    ("week", None, ["2026-11-16", "2026-11-22"], True),
    ("quarter", None, ["2026-10-01", "2026-11-27"], True),   # this quarter so far: still one row
    ("month", None, ["2026-07-01", "2026-09-30"], False),    # three rows are not one figure
    ("week", None, ["2026-11-17", "2026-11-23"], False),     # a week not starting Monday spans two weeks
    ("month", "week", ["2026-10-01", "2026-10-31"], False),  # two grains: never the same
])
def test_a_series_of_one_period_is_the_periods_figure(expect_grain, got_grain, time, same):
    expect = {"metrics": ["m"], "time": time, **({"grain": expect_grain} if expect_grain else {})}
    query = MetricQuery(metrics=["m"], grain=got_grain,
                        time_range=TimeRange(start=dt.date.fromisoformat(time[0]), end=dt.date.fromisoformat(time[1])))
    assert (compare_query(expect, query) == []) is same


@pytest.mark.parametrize(("expected", "got", "same"), [
    (["is_refundable", "!=", False], ("=", (True,)), True),   # a yes/no "!= false" keeps the rows "= true" keeps
    (["is_refundable", "!=", True], ("=", (False,)), True),
    (["is_refundable", "=", True], ("=", (False,)), False),
    (["region", "!=", "East"], ("=", ("West",)), False),      # only yes/no values are each other's opposite
])
def test_a_yes_no_filter_and_its_opposite_negated_are_the_same(expected, got, same):
    query = MetricQuery(metrics=["m"], where=[Filter(dimension=expected[0], op=got[0], values=got[1])])
    assert (compare_query({"metrics": ["m"], "where": [expected]}, query) == []) is same


@pytest.mark.parametrize(("expect_group", "got_group", "values", "same"), [
    ([], ["city"], ("Dallas",), True),                  # one city kept: by city is one row, Dallas's number
    (["city"], [], ("Dallas",), True),
    ([], ["city"], ("Dallas", "Austin"), False),        # two cities: a breakdown is two numbers, not their total
    ([], ["region"], ("Dallas",), False),               # a breakdown by another dimension is more rows
])
def test_a_breakdown_by_a_dimension_kept_to_one_value_is_that_value_alone(expect_group, got_group, values, same):
    where = [Filter(dimension="city", op="in" if len(values) > 1 else "=", values=values)]
    query = MetricQuery(metrics=["m"], group_by=got_group, where=where)
    expect = {"metrics": ["m"], "group_by": expect_group, "where": [["city", "=", list(values)]]}
    assert (compare_query(expect, query) == []) is same


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def test_eval_prints_accuracy_and_false_rate_by_category_and_language(warehouse):
    result = runner.invoke(app, ["eval", SMALL, "--warehouse", warehouse])
    assert result.exit_code == 0, result.stdout
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in result.stdout.splitlines() if line.count("│") == 7}
    assert rows["simple"] == ["2", "2", "100.0%", "0", "0.0%"]
    assert rows["planted"] == ["0", "1", "0.0%", "1", "100.0%"]
    assert rows["gibberish"] == ["0", "1", "0.0%", "0", "0.0%"]
    assert rows["en"] == ["1", "3", "33.3%", "1", "33.3%"]
    assert rows["zh"] == ["1", "1", "100.0%", "0", "0.0%"]
    assert rows["overall"] == ["2", "4", "50.0%", "1", "25.0%"]
    assert "✗ false answer [planted] revenue yesterday: metrics: expected {'orders'}, got {'revenue'}" in result.stdout
    assert "✗ miss [gibberish] blorp zint: kind: expected query" in result.stdout
    assert "overall accuracy: 50.0% · false answers: 25.0% (1 of 4)" in result.stdout


def test_eval_json(warehouse):
    result = runner.invoke(app, ["eval", SMALL, "--warehouse", warehouse, "--json", "--min-accuracy", "0.9"])
    assert result.exit_code == 1  # below --min-accuracy, JSON printed all the same
    data = json.loads(result.stdout)
    assert data["questions"] == 4
    assert data["overall"] == {"right": 2, "total": 4, "accuracy": 0.5, "false_answers": 1, "false_answer_rate": 0.25}
    assert data["by_language"]["zh"]["accuracy"] == 1.0
    assert data["by_category"]["planted"]["false_answer_rate"] == 1.0
    assert [(f["category"], f["false_answer"], f["got"]) for f in data["failures"]] == [
        ("planted", True, "query"), ("gibberish", False, "no_match")]


@pytest.mark.parametrize(("want", "got", "grain", "time", "same"), [
    ("net_sales", "net_sales_mtd", None, ["2026-11-01", "2026-11-27"], True),   # one figure so far this month
    ("net_sales_mtd", "net_sales", None, ["2026-11-01", "2026-11-27"], True),   # either name
    ("net_sales", "net_sales_mtd", None, ["2026-11-02", "2026-11-27"], False),  # not from the month's start
    ("net_sales", "net_sales_mtd", None, ["2026-10-01", "2026-11-27"], False),  # two months: the running total resets
    ("net_sales", "net_sales_mtd", "day", ["2026-11-01", "2026-11-27"], False),  # a daily series is another number
    ("covers", "net_sales_mtd", None, ["2026-11-01", "2026-11-27"], False),     # another measure
])
def test_a_running_total_so_far_and_the_plain_metric_are_one_number(want, got, grain, time, same):
    from metricloop.adapters.catalog_files import load_catalog
    from metricloop.core.understand.evaluate import to_date_twins
    twins = to_date_twins(load_catalog(ROOT / "tests" / "fixtures" / "blind_restaurants" / "catalog"))
    query = MetricQuery(metrics=[got], grain=grain,
                        time_range=TimeRange(start=dt.date.fromisoformat(time[0]), end=dt.date.fromisoformat(time[1])))
    assert (compare_query({"metrics": [want], **({"grain": grain} if grain else {})}, query, twins) == []) is same


@pytest.mark.parametrize("compare", ["previous", "yoy", "mom"])
def test_a_comparison_the_query_model_has_no_name_for_is_refused_naming_the_question(warehouse, tmp_path, compare):
    # a set spelling "previous" for previous_period scored every right comparison as a false answer (session 18)
    file = tmp_path / "questions.yaml"
    file.write_text("today: 2026-11-27\nquestions:\n"
                    "  - {q: revenue yesterday, cat: simple, expect: {metrics: [revenue]}}\n"
                    f"  - {{q: revenue last month vs the month before, cat: compare,\n"
                    f"     expect: {{metrics: [revenue], compare: {compare}}}}}\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(file), "--warehouse", warehouse])
    assert result.exit_code != 0
    assert f"question 2 ('revenue last month vs the month before'): compare is '{compare}'" in result.output
    assert "previous_period, year_over_year" in result.output
    assert "Traceback" not in result.output
