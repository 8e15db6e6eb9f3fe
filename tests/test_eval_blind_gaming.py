"""The blind gaming question set (a free-to-play mobile game studio) is a sound fixture: its warehouse builds, every
gold SQL runs and returns the rows recorded in gold.yaml, the English-only catalog passes `metricloop catalog check`
against its warehouse, and every question names metrics, dimensions and filter values its catalog and data have.

Only the fixture is checked here, never the interpreter's accuracy on it.
"""
from __future__ import annotations

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
from test_generality import build_warehouse

FOLDER = "blind_gaming"
# at least this many questions, Chinese questions, refusals
AT_LEAST, CHINESE, REFUSALS = 105, 38, 16
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
    assert str(data["today"]) == "2026-11-27"
    assert len(parse_cases(data)) == len(questions) >= AT_LEAST
    assert len([c for c in questions if has_cjk(c["q"])]) >= CHINESE
    assert len([c for c in questions if "metrics" not in c["expect"]]) >= REFUSALS
    assert len({c["q"] for c in questions}) == len(questions), "a question is repeated"
    cats = Counter(c["cat"] for c in questions)
    assert set(cats) == CATEGORIES and min(cats.values()) >= 5, cats


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


def test_the_catalog_has_filtered_metrics_and_flag_dimensions():
    metrics = BLIND.metrics()
    assert sum("{{ Dimension(" in m.get("filter", "") for m in metrics) >= 2
    flags = [d for doc in BLIND.catalog for model in doc.get("semantic_models", []) for d in model.get("dimensions", [])
             if d["name"].startswith(("is_", "retained_"))]
    assert len(flags) >= 2


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = BLIND.dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in ANSWERABLE:
            for dimension, _, values in case["expect"].get("where") or []:
                table, column = columns[dimension]
                known = {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
                assert set(values if isinstance(values, list) else [values]) <= known, (case["q"], known)


def test_the_warehouse_ends_the_day_before_today(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        last = con.execute("SELECT max(activity_date) FROM fct_player_daily_activity").fetchone()[0]
    assert last.isoformat() == "2026-11-26"


@pytest.mark.parametrize("gold", BLIND.gold, ids=[g["q"] for g in BLIND.gold])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert got and len(got) == len(want), (got, want)
    assert all(same_row(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output
