"""The blind farming question set (a grain and agronomy co-op) is a sound fixture: its warehouse builds the same
rows every time and ends the day before the questions' today, every gold SQL runs and returns the rows recorded
in gold.yaml, the English-only catalog passes `metricloop catalog check` against its warehouse, and every question
names metrics, dimensions and filter values its catalog and data have.

Only the fixture is checked here, never the interpreter's accuracy on it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from blind_fixture import (
    BlindSet,
    catalog_check,
    english_only_with_every_metric_type,
    names_what_the_catalog_has,
    same_row,
)
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import WAREHOUSE_END, build_warehouse

FOLDER = "blind_farming"
# at least this many questions, Chinese questions, refusals
AT_LEAST, CHINESE, REFUSALS = 110, 38, 16
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend", "to_date",
              "followup", "refuse"}
BLIND = BlindSet(FOLDER)
ANSWERABLE = BLIND.answerable


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


@pytest.fixture(scope="module")
def gold_rows(warehouse) -> dict[str, list[list]]:
    return BLIND.gold_rows(warehouse)


def test_the_set_is_big_enough_and_parses():
    data = BLIND.questions
    questions = data["questions"]
    assert len(parse_cases(data)) == len(questions) >= AT_LEAST
    assert len([c for c in questions if has_cjk(c["q"])]) >= CHINESE
    assert len([c for c in questions if "metrics" not in c["expect"]]) >= REFUSALS
    assert len({c["q"] for c in questions}) == len(questions), "a question is repeated"
    cats = Counter(c["cat"] for c in questions)
    assert set(cats) == CATEGORIES and min(cats.values()) >= 5, cats


def test_today_is_the_day_after_the_warehouse_ends_and_the_named_periods_hold():
    data = BLIND.questions
    assert data["today"] == dt.date(2026, 11, 27) == WAREHOUSE_END + dt.timedelta(days=1)
    assert data["today"].isoweekday() == 5
    ranges = data["ranges"]
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_month"] == [dt.date(2026, 11, 1), dt.date(2026, 11, 27)]
    assert ranges["last_30_days"] == [dt.date(2026, 10, 28), dt.date(2026, 11, 26)]
    for name, (start, end) in ranges.items():
        assert start <= end <= data["today"], name
        if "week" in name and "days" not in name:
            assert start.isoweekday() == 1, name


def test_refusals_name_known_kinds():
    for case in (q for q in BLIND.questions["questions"] if "metrics" not in q["expect"]):
        kinds = case["expect"]["kind"]
        assert set(kinds if isinstance(kinds, list) else [kinds]) <= {"clarify", "no_match", "unsupported"}, case


def test_every_answerable_question_has_one_gold_entry():
    assert [g["q"] for g in BLIND.gold] == [q["q"] for q in ANSWERABLE]


@pytest.mark.parametrize("case", ANSWERABLE, ids=[q["q"] for q in ANSWERABLE])
def test_every_question_names_what_the_catalog_has(case):
    names_what_the_catalog_has(BLIND, case)


def test_the_catalog_is_english_only_untuned_and_has_every_metric_type():
    english_only_with_every_metric_type(BLIND)


def test_the_catalog_has_flags_filtered_metrics_and_names():
    metrics = BLIND.metrics()
    assert sum("filter" in m for m in metrics) >= 2
    assert any(isinstance(m["type_params"].get("numerator"), dict) for m in metrics if m["type"] == "ratio")
    dimensions = BLIND.dimension_names()
    assert {"member__is_organic_certified", "planting__is_irrigated"} <= dimensions
    assert {"member__farm_name", "elevator__elevator_name", "agronomist__agronomist_name",
            "variety__variety_name"} <= dimensions


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = BLIND.dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in ANSWERABLE:
            for dimension, _, values in case["expect"].get("where") or []:
                table, column = columns[dimension]
                known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
                assert set(values if isinstance(values, list) else [values]) <= known, (case["q"], known)


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(warehouse, tmp_path):
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    checks = ["SELECT max(delivery_date), count(*), round(sum(net_bushels), 2) FROM fct_grain_deliveries",
              "SELECT max(invoice_date), count(*), round(sum(sales_amount), 2) FROM fct_input_sales",
              "SELECT count(*), round(sum(bushels), 2) FROM fct_harvests",
              "SELECT count(*), round(sum(contract_value), 2) FROM fct_grain_contracts"]
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        for sql in checks:
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), sql
        assert a.execute(checks[0]).fetchone()[0] == WAREHOUSE_END


@pytest.mark.parametrize("gold", BLIND.gold, ids=[g["q"] for g in BLIND.gold])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert got and len(got) == len(want), (got, want)
    assert all(same_row(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output
