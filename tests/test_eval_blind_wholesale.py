"""The blind wholesale set (a broadline food-service distributor) is a sound fixture: its warehouse builds the same
rows on every run and ends the day before the set's today, every gold SQL runs and returns the rows recorded in
gold.yaml, the English-only catalog passes `metricloop catalog check` against its warehouse, and every question names
metrics, dimensions and filter values its catalog and data have.

Only the fixture is checked here, never the interpreter's accuracy on it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
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
from test_generality import build_warehouse

FOLDER = "blind_wholesale"
# at least this many questions, Chinese questions, refusals
AT_LEAST, CHINESE, REFUSALS = 120, 44, 18
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend", "to_date",
              "followup", "refuse"}


@cache
def blind() -> BlindSet:
    return BlindSet(FOLDER)


ANSWERABLE = blind().answerable
GOLD = blind().gold


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


@pytest.fixture(scope="module")
def gold_rows(warehouse) -> dict[str, list[list]]:
    return blind().gold_rows(warehouse)


def test_the_set_is_big_enough_and_parses():
    data = blind().questions
    questions = data["questions"]
    assert len(parse_cases(data)) == len(questions) >= AT_LEAST
    assert len([c for c in questions if has_cjk(c["q"])]) >= CHINESE
    assert len([c for c in questions if "metrics" not in c["expect"]]) >= REFUSALS
    assert len({c["q"] for c in questions}) == len(questions), "a question is repeated"
    cats = Counter(c["cat"] for c in questions)
    assert set(cats) == CATEGORIES and min(cats.values()) >= 5, cats


def test_today_is_the_friday_after_the_warehouse_ends_and_the_named_periods_hold():
    data = blind().questions
    today, ranges = data["today"], data["ranges"]
    assert today == dt.date(2026, 11, 27) and today.isoweekday() == 5
    assert ranges["yesterday"] == [today - dt.timedelta(days=1)] * 2
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_week"] == [today - dt.timedelta(days=today.isoweekday() - 1), today]
    assert ranges["this_month"] == [today.replace(day=1), today]
    for n in (7, 30, 90):
        assert ranges[f"last_{n}_days"] == [today - dt.timedelta(days=n), today - dt.timedelta(days=1)]
    for start, end in ranges.values():
        assert start <= end <= today


def test_refusals_name_known_kinds():
    for case in (q for q in blind().questions["questions"] if "metrics" not in q["expect"]):
        kinds = case["expect"]["kind"]
        assert set(kinds if isinstance(kinds, list) else [kinds]) <= {"clarify", "no_match", "unsupported"}, case


def test_every_answerable_question_has_one_gold_entry():
    assert [g["q"] for g in blind().gold] == [q["q"] for q in blind().answerable]


@pytest.mark.parametrize("case", ANSWERABLE, ids=[q["q"] for q in ANSWERABLE])
def test_every_question_names_what_the_catalog_has(case):
    names_what_the_catalog_has(blind(), case)


def test_the_catalog_is_english_only_untuned_and_has_every_metric_type():
    english_only_with_every_metric_type(blind())


def test_the_catalog_has_flags_filtered_metrics_and_named_entities():
    models = [m for doc in blind().catalog for m in doc.get("semantic_models", [])]
    dimensions = {d["name"] for m in models for d in m.get("dimensions", [])}
    assert {"is_chain", "is_private_label", "is_promo", "is_overdue", "is_on_time"} <= dimensions
    assert {"customer_name", "rep_name", "product_name", "supplier_name", "route_name", "truck_code"} <= dimensions
    assert len([m for m in blind().metrics() if "filter" in m]) >= 4


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = blind().dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in blind().answerable:
            for dimension, _, values in case["expect"].get("where") or []:
                table, column = columns[dimension]
                known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
                assert set(values if isinstance(values, list) else [values]) <= known, (case["q"], known)


@pytest.mark.parametrize("gold", GOLD, ids=[g["q"] for g in GOLD])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert got and len(got) == len(want), (got, want)
    assert all(same_row(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(blind(), warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(warehouse, tmp_path):
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    sql = ("SELECT count(*), sum(net_sales), sum(cases_shipped), max(order_date) FROM fct_order_lines")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        first, second = a.execute(sql).fetchone(), b.execute(sql).fetchone()
        assert first == second
        assert first[3] == blind().questions["today"] - dt.timedelta(days=1)
        for table in ("fct_orders", "fct_invoices", "fct_credit_memos", "fct_deliveries", "dim_customers"):
            assert a.execute(f"SELECT count(*) FROM {table}").fetchone() == b.execute(
                f"SELECT count(*) FROM {table}").fetchone(), table
