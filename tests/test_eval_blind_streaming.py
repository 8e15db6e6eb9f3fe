"""The blind streaming question set (video streaming subscriptions, issue 9) is a sound fixture: its warehouse builds
the same rows every time and ends the day before the questions' today, every gold SQL runs and returns the rows
recorded in gold.yaml, the English-only catalog passes `metricloop catalog check` against its warehouse, and every
question names metrics, dimensions and values its catalog and data have.

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
    same_row,
)
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import build_warehouse

FOLDER = "blind_streaming"
AT_LEAST, CHINESE, REFUSALS = 110, 40, 16
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


def test_today_and_the_periods_follow_the_readme():
    data = BLIND.questions
    assert data["today"] == dt.date(2026, 11, 27) and data["today"].isoweekday() == 5
    ranges = data["ranges"]
    assert ranges["last_week"] == [dt.date(2026, 11, 16), dt.date(2026, 11, 22)]
    assert ranges["this_month"] == [dt.date(2026, 11, 1), dt.date(2026, 11, 27)]
    assert ranges["last_7_days"] == [dt.date(2026, 11, 20), dt.date(2026, 11, 26)]
    assert ranges["last_30_days"][1] - ranges["last_30_days"][0] == dt.timedelta(days=29)
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
    texts = "\n".join(BLIND.catalog_texts())
    assert texts.count("name: is_") >= 2
    assert sum(1 for m in BLIND.metrics() if "filter" in m) >= 2
    assert any("non_additive_dimension" in t for t in BLIND.catalog_texts())


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


def test_the_warehouse_is_deterministic_and_ends_the_day_before_today(warehouse, tmp_path):
    again = build_warehouse(FOLDER, tmp_path / "again.duckdb")
    facts = {"fct_payments": "payment_date", "fct_viewing_sessions": "session_date", "fct_trials": "trial_start_date",
             "fct_cancellations": "cancel_date", "fct_subscriber_daily": "snapshot_date"}
    with duckdb.connect(str(warehouse), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
        for table, day in facts.items():
            sql = f"SELECT count(*), max({day}), sum(hash(COLUMNS(*))) FROM {table}"
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), table
            assert a.execute(f"SELECT max({day}) FROM {table}").fetchone()[0] <= dt.date(2026, 11, 26)
        assert a.execute("SELECT max(snapshot_date) FROM fct_subscriber_daily").fetchone()[0] == dt.date(2026, 11, 26)
