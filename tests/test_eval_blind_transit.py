"""The blind transit question set (tests/fixtures/blind_transit) is a sound fixture: its warehouse builds the same
rows on every run and ends the day before the questions' today, every gold SQL returns the rows recorded in
gold.yaml, the English-only catalog passes `metricloop catalog check`, and every question names metrics,
dimensions and filter values its catalog and warehouse have. The same checks as tests/test_blind_soundness.py, for
this one folder, plus its own: today and the named periods, the flags and filtered metrics the questions rely on.

Only the fixture is checked here, never the interpreter's accuracy on it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import duckdb
import pytest

from blind_fixture import (
    BlindSet,
    catalog_check,
    english_only_with_every_metric_type,
    names_what_the_catalog_has,
    rows,
    same_row,
)
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import build_warehouse

FOLDER = "blind_transit"
AT_LEAST, CHINESE, REFUSALS = 105, 40, 18
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend", "to_date",
              "followup", "refuse"}
BLIND = BlindSet(FOLDER)
ANSWERABLE = BLIND.answerable


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_warehouse(FOLDER, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


@pytest.fixture(scope="module")
def gold_rows(warehouse):
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


def test_today_and_the_named_periods():
    data = BLIND.questions
    assert data["today"] == dt.date(2026, 11, 27) and data["today"].isoweekday() == 5
    ranges = {k: [dt.date.fromisoformat(str(d)) for d in v] for k, v in data["ranges"].items()}
    assert ranges["yesterday"] == [dt.date(2026, 11, 26)] * 2
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_month"] == [dt.date(2026, 11, 1), dt.date(2026, 11, 27)]
    assert ranges["last_30_days"] == [dt.date(2026, 10, 28), dt.date(2026, 11, 26)]
    for name in ("last_week", "week_before_last", "last_4_weeks", "last_8_weeks"):
        start, end = ranges[name]
        assert start.isoweekday() == 1 and end.isoweekday() == 7 and (end - start).days % 7 == 6, name
    for start, end in ranges.values():
        assert start <= end <= data["today"]


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


def test_the_catalog_has_flags_and_filtered_metrics():
    dims = [d for doc in BLIND.catalog for m in doc.get("semantic_models", []) for d in m.get("dimensions", [])]
    assert len([d for d in dims if d["name"].startswith("is_")]) >= 2
    assert len([m for m in BLIND.metrics() if "filter" in m]) >= 1
    assert any(isinstance(m["type_params"].get("numerator"), dict) for m in BLIND.metrics() if m["type"] == "ratio")


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = BLIND.dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in ANSWERABLE:
            for dimension, _, values in case["expect"].get("where") or []:
                table, column = columns[dimension]
                known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
                assert set(values if isinstance(values, list) else [values]) <= known, (case["q"], known)


def test_the_warehouse_ends_the_day_before_today_and_is_deterministic(warehouse, tmp_path):
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    check = ("SELECT max(service_date), count(*), sum(boardings), sum(fare_revenue) FROM fct_ridership_daily "
             "UNION ALL SELECT max(incident_date), count(*), sum(delay_minutes), 0 FROM fct_service_incidents "
             "UNION ALL SELECT max(received_date), count(*), sum(days_to_resolve), 0 FROM fct_customer_complaints")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        first = rows(a, check)
        assert first == rows(b, check)
    assert {r[0] for r in first} == {"2026-11-26"}


@pytest.mark.parametrize("gold", BLIND.gold, ids=[g["q"] for g in BLIND.gold])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert got and len(got) == len(want), (got, want)
    assert all(same_row(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output
