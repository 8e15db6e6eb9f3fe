"""The blind residential-solar question set (issue 9) is a sound fixture: its warehouse builds deterministically,
every gold SQL runs and returns the rows recorded in gold.yaml, the English-only catalog passes `metricloop catalog
check` against its warehouse, and every question names metrics, dimensions and filter values its catalog and data
have.

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
from test_generality import build_warehouse, shared_warehouse

FOLDER = "blind_solar"
BLIND = BlindSet(FOLDER)
# at least this many questions, Chinese questions, refusals
AT_LEAST, CHINESE, REFUSALS = 124, 44, 18
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend", "to_date",
              "followup", "refuse"}
FIRST_DAY, LAST_DAY = dt.date(2024, 8, 1), dt.date(2026, 11, 26)
ANSWERABLE = BLIND.answerable


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return shared_warehouse(FOLDER, tmp_path_factory, tmp_path_factory.mktemp(FOLDER) / f"{FOLDER}.duckdb")


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


def test_today_is_the_day_after_the_data_and_every_period_is_inside_it():
    questions = BLIND.questions
    assert questions["today"] == LAST_DAY + dt.timedelta(days=1)
    for name, (start, end) in questions["ranges"].items():
        assert FIRST_DAY <= start <= end <= questions["today"], name
    for case in ANSWERABLE:
        if case["expect"].get("time"):
            start, end = case["expect"]["time"]
            assert FIRST_DAY <= start <= end <= questions["today"], case["q"]


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


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = BLIND.dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in ANSWERABLE:
            for dimension, _, values in case["expect"].get("where") or []:
                table, column = columns[dimension]
                known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
                assert set(values if isinstance(values, list) else [values]) <= known, (case["q"], known)


@pytest.mark.parametrize("gold", BLIND.gold, ids=[g["q"] for g in BLIND.gold])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert got and len(got) == len(want), (got, want)
    assert all(same_row(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output


def test_the_warehouse_is_deterministic(warehouse, tmp_path):
    """The same `end` gives the same rows: a second build matches the first, table by table (all exact types)."""
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        listing = "SELECT table_name FROM information_schema.tables ORDER BY 1"
        tables = [r[0] for r in a.execute(listing).fetchall()]
        assert tables == [r[0] for r in b.execute(listing).fetchall()]
        for table in tables:
            digest = f"SELECT count(*), sum(hash(t)) FROM {table} t"
            assert a.execute(digest).fetchone() == b.execute(digest).fetchone(), table


def test_the_daily_facts_run_exactly_to_the_day_before_today(warehouse):
    """Leads arrive every day of the history, and every funnel stage has rows up to the last loaded day."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT min(lead_date), max(lead_date) FROM fct_leads").fetchone() == (FIRST_DAY, LAST_DAY)
        for table, column in (("fct_site_surveys", "survey_date"), ("fct_contracts", "signed_date"),
                              ("fct_installations", "install_date")):
            assert con.execute(f"SELECT max({column}) FROM {table}").fetchone()[0] == LAST_DAY, table


def test_every_question_is_about_data_the_warehouse_has(gold_rows):
    """No gold answer is an empty or all-null result (a question about a period or slice with no rows)."""
    for question, got in gold_rows.items():
        assert got and all(v is not None for row in got for v in row), question
