"""Strict mode (`confirm_unnamed_metrics`): a metric the question never names, chosen from its words with a score
below CONFIRM_BELOW, is offered with a button instead of answered; a named metric is answered as before, and the
default answers both. Real pieces: a blind set's catalog and warehouse, the bundled embedding model. The figures it
trades (fewer wrong numbers, more questions asked back) are measured by `metricloop eval` in the README."""
from __future__ import annotations

import datetime as dt

import pytest

from metricloop.core.text import use_segmenter
from metricloop.core.understand.interpreter import Interpretation, Understander
from metricloop.runtime import build_service
from metricloop.settings import Settings
from set_interpreters import SetInterpreter, set_interpreter
from test_generality import FIXTURES

TODAY = dt.date(2026, 11, 27)
SET = "blind_cleaning"


@pytest.fixture(scope="module")
def pieces(tmp_path_factory) -> SetInterpreter:
    return set_interpreter(SET, tmp_path_factory)  # the set's catalog, warehouse, values, model and segmenter


def _ask(pieces: SetInterpreter, question: str, strict: bool) -> Interpretation:
    understander = Understander(pieces.catalog, pieces.embedder, pieces.values, confirm_unnamed=strict)
    use_segmenter(*pieces.segmenter)  # Chinese is cut as the runtime cuts it (the slim jieba)
    try:
        return understander.interpret(question, today=TODAY)
    finally:
        use_segmenter(None)


@pytest.mark.parametrize(("question", "metric"), [("how much did we bill in October?", "billed_revenue")])
def test_an_unnamed_metric_is_offered_to_confirm_in_strict_mode_and_answered_by_default(pieces, question, metric):
    answered = _ask(pieces, question, strict=False)
    assert answered.kind == "query" and answered.query.metrics == (metric,)
    assert answered.confidence < 0.95 and not answered.named  # (strict mode's case: reached from words, below the bar)
    asked = _ask(pieces, question, strict=True)
    assert asked.kind == "clarify"
    assert asked.options[0].metric == metric  # the guess is the first button: one click to the same answer
    assert "Billed revenue" in asked.reason and "names no metric" in asked.reason


@pytest.mark.parametrize(("question", "metric"), [("billed revenue in October", "billed_revenue"),
                                                   ("上个月的开票收入", "billed_revenue")])
def test_a_named_metric_is_answered_in_strict_mode(pieces, question, metric):
    strict = _ask(pieces, question, strict=True)
    assert strict.kind == "query" and strict.query.metrics == (metric,) and strict.named


def test_the_setting_reaches_the_interpreter(pieces):
    for on in (False, True):
        settings = Settings(catalog_dir=str(FIXTURES / SET / "catalog"), warehouse=str(pieces.warehouse),
                            confirm_unnamed_metrics=on, embedding_model="none")
        assert build_service(settings, understanding=True).understander.confirm_unnamed is on
