"""The blind SaaS question set (issue 9: tests/fixtures/blind_saas) is a sound fixture: its warehouse builds, every
gold SQL runs and returns the rows recorded in gold.yaml, the English-only catalog passes `metricloop catalog check`
against that warehouse, and every question names metrics and dimensions the catalog has.

Only the fixture is checked here, never the interpreter's accuracy on it: the set stays blind until it is measured.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from blind_fixture import BlindSet, catalog_check, rows, same_row
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import build_warehouse

BLIND = BlindSet("blind_saas")
QUESTIONS, GOLD, ANSWERABLE = BLIND.questions, BLIND.gold, BLIND.answerable


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse("blind_saas", tmp_path_factory.mktemp("blind_saas") / "saas.duckdb")


def test_the_set_is_big_enough_and_parses():
    cases = parse_cases(QUESTIONS)
    chinese = [c for c in QUESTIONS["questions"] if has_cjk(c["q"])]
    unanswerable = [c for c in QUESTIONS["questions"] if "metrics" not in c["expect"]]
    assert len(cases) == len(QUESTIONS["questions"]) >= 70
    assert len(chinese) >= 25 and len(unanswerable) >= 10
    assert len({c["q"] for c in QUESTIONS["questions"]}) == len(QUESTIONS["questions"]), "a question is repeated"


def test_every_answerable_question_has_one_gold_entry():
    assert [g["q"] for g in GOLD] == [q["q"] for q in ANSWERABLE]


def test_every_question_names_what_the_catalog_has():
    metrics, dimensions = BLIND.metric_names(), BLIND.dimension_names()
    for case in ANSWERABLE:
        expect = case["expect"]
        assert set(expect["metrics"]) <= metrics, case["q"]
        named = list(expect.get("group_by") or []) + [w[0] for w in expect.get("where") or []]
        assert set(named) <= dimensions, case["q"]
        assert {field for field, _ in expect.get("order") or []} <= set(expect["metrics"]), case["q"]


def test_the_catalog_is_english_only_and_untuned():
    texts = BLIND.catalog_texts()
    assert len(texts) >= 4 and not any(has_cjk(t) for t in texts)
    assert sum(t.count("synonyms:") for t in texts) <= 2
    assert len(BLIND.metric_names()) >= 15


@pytest.mark.parametrize("gold", GOLD, ids=[g["q"] for g in GOLD])
def test_gold_sql_returns_the_recorded_rows(warehouse, gold):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        got = rows(con, gold["sql"])
    finally:
        con.close()
    assert got, gold["q"]
    assert len(got) == len(gold["result"]) and all(map(same_row, got, gold["result"])), (got, gold["result"])


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "catalog OK" in result.output
