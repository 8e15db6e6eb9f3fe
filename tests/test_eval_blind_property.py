"""The blind property-management question set (issue 9, the held-out set: tests/fixtures/blind_property) is a sound
fixture: its warehouse builds, every gold SQL runs and returns the rows recorded in gold.yaml, the English-only
catalog passes `metricloop catalog check` against that warehouse, and every question names metrics and dimensions
the catalog has.

Only the fixture is checked here, never the interpreter's accuracy on it: the set stays blind (and held out: no fix
is tuned on it) until it is measured.
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

BLIND = BlindSet("blind_property")
QUESTIONS, GOLD, ANSWERABLE = BLIND.questions, BLIND.gold, BLIND.answerable
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend", "to_date",
              "followup", "refuse"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse("blind_property", tmp_path_factory.mktemp("blind_property") / "property.duckdb")


def test_the_set_is_big_enough_and_parses():
    questions = QUESTIONS["questions"]
    assert len(parse_cases(QUESTIONS)) == len(questions) >= 98
    assert len([c for c in questions if has_cjk(c["q"])]) >= 36
    assert len([c for c in questions if "metrics" not in c["expect"]]) >= 15
    assert len({c["q"] for c in questions}) == len(questions), "a question is repeated"
    cats = Counter(c["cat"] for c in questions)
    assert set(cats) == CATEGORIES and min(cats.values()) >= 5, cats


def test_no_period_runs_past_today():
    today = QUESTIONS["today"]
    for case in ANSWERABLE:
        if case["expect"].get("time"):
            start, end = case["expect"]["time"]
            assert start <= end <= today, case["q"]


def test_refusals_name_known_kinds():
    for case in (q for q in QUESTIONS["questions"] if "metrics" not in q["expect"]):
        kinds = case["expect"]["kind"]
        assert set(kinds if isinstance(kinds, list) else [kinds]) <= {"clarify", "no_match", "unsupported"}, case


def test_every_answerable_question_has_one_gold_entry():
    assert [g["q"] for g in GOLD] == [q["q"] for q in ANSWERABLE]


@pytest.mark.parametrize("case", ANSWERABLE, ids=[q["q"] for q in ANSWERABLE])
def test_every_question_names_what_the_catalog_has(case):
    names_what_the_catalog_has(BLIND, case)


def test_the_catalog_is_english_only_untuned_and_has_every_metric_type():
    english_only_with_every_metric_type(BLIND)


@pytest.fixture(scope="module")
def gold_rows(warehouse) -> dict[str, list[list]]:
    return BLIND.gold_rows(warehouse)


def _dimension_columns() -> dict[str, tuple[str, str]]:
    """`entity__dimension` -> (table, column) for every categorical dimension."""
    out = {}
    for model in (m for doc in BLIND.catalog for m in doc.get("semantic_models", [])):
        primary = [e["name"] for e in model["entities"] if e["type"] == "primary"][0]
        table = model["model"].split("'")[1]
        for d in model.get("dimensions", []):
            out[f"{primary}__{d['name']}"] = (table, d.get("expr", d["name"]))
    return out


def test_every_filter_value_is_spelled_as_in_the_data(warehouse):
    columns = _dimension_columns()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for case in ANSWERABLE:
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
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output
