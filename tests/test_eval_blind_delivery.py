"""The blind food-delivery question set (issue 9, held out: tests/fixtures/blind_delivery) is a sound fixture: its
warehouse builds, every gold SQL runs and returns the rows recorded in gold.yaml, the English-only catalog passes
`metricloop catalog check` against that warehouse, and every question names metrics and dimensions the catalog has.

Only the fixture is checked here, never the interpreter's accuracy on it: the set stays blind (and held out: no fix
is tuned on it) until it is measured.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from blind_fixture import (
    BlindSet,
    catalog_check,
    english_only_with_every_metric_type,
    names_what_the_catalog_has,
    same_ranked_rows,
)
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import build_warehouse

BLIND = BlindSet("blind_delivery")
QUESTIONS, GOLD, ANSWERABLE = BLIND.questions, BLIND.gold, BLIND.answerable
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "negation", "topn", "compare", "trend",
              "to_date", "followup", "refuse"}


def _same_row(got: list, want: list) -> bool:
    """Equal rows; numbers close within a relative 1e-6 (or 1e-4 absolute), as this set's author recorded them."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want, strict=True):
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (g, w))
        if numbers and not math.isclose(g, w, rel_tol=1e-6, abs_tol=1e-4):
            return False
        if not numbers and g != w:
            return False
    return True


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse("blind_delivery", tmp_path_factory.mktemp("blind_delivery") / "delivery.duckdb")


def test_the_set_is_big_enough_and_parses():
    questions = QUESTIONS["questions"]
    assert len(parse_cases(QUESTIONS)) == len(questions) >= 70
    assert len([c for c in questions if has_cjk(c["q"])]) >= 25
    assert len([c for c in questions if "metrics" not in c["expect"]]) >= 12
    assert len({c["q"] for c in questions}) == len(questions), "a question is repeated"
    assert {c["cat"] for c in questions} == CATEGORIES


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


@pytest.mark.parametrize("gold", GOLD, ids=[g["q"] for g in GOLD])
def test_gold_sql_returns_the_recorded_rows(gold_rows, gold):
    got, want = gold_rows[gold["q"]], gold["result"]
    assert same_ranked_rows(got, want, _same_row), (got, want)


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    result = catalog_check(BLIND, warehouse, tmp_path, monkeypatch)
    assert result.exit_code == 0 and "catalog OK" in result.output, result.output
