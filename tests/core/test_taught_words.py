"""Words owners teach (core/catalog/taught.py): which phrases may name a metric, the catalog with them laid over
its synonyms, and the interpreter answering with them — on the demo catalog."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import FakeEmbedder
from metricloop.adapters.value_index import StaticValueIndex
from metricloop.core.catalog.taught import (
    TaughtWord,
    clean_phrase,
    condition_problem,
    find_condition,
    teach_problem,
    with_taught_words,
)
from metricloop.core.understand.catalog_view import catalog_with_measure_metrics
from metricloop.core.understand.interpreter import Understander

ROOT = Path(__file__).resolve().parents[2]
DEMO = load_catalog(ROOT / "catalog")
TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize("typed,stored", [
    ("  落槌额 ", "落槌额"),
    ('"hammer   total"', "hammer total"),
    ("「跑工资」", "跑工资"),
])
def test_a_phrase_is_stored_without_quotes_or_extra_spaces(typed, stored):
    assert clean_phrase(typed) == stored


@pytest.mark.parametrize("phrase,metric,problem", [
    ("落槌额", "revenue", None),
    ("hammer total", "revenue", None),
    ("Revenue", "revenue", None),            # the metric's own name: nothing to do, no problem
    ("orders", "revenue", "teach_taken"),    # another metric's name
    ("Orders", "revenue", "teach_taken"),    # any case
    ("新客户", "revenue", "teach_taken"),     # another metric's synonym (new_customers in the YAML)
    ("2024", "revenue", "teach_no_words"),
    ("?!", "revenue", "teach_no_words"),
    ("看", "revenue", "teach_no_words"),      # one character would be found inside every other word
    ("x", "revenue", "teach_no_words"),
    ("and", "revenue", "teach_filler"),        # found in every other question
    ("只看", "revenue", "teach_filler"),
    ("一共多少", "revenue", "teach_filler"),
    ("and hammer", "revenue", None),
    ("x" * 41, "revenue", "teach_too_long"),
])
def test_which_phrases_may_name_a_metric(phrase, metric, problem):
    found = teach_problem(DEMO, phrase, DEMO.metric(metric))
    assert (found.key if found else None) == problem


def test_taught_words_join_their_metrics_synonyms_and_the_catalog_gets_a_new_digest():
    before = DEMO.digest
    taught = with_taught_words(DEMO, [TaughtWord("落槌额", "revenue"), TaughtWord("hammer total", "revenue"),
                                      TaughtWord("paddles", "orders")])
    assert taught.metric("revenue").meta.synonyms[-2:] == ("落槌额", "hammer total")
    assert taught.metric("orders").meta.synonyms[-1] == "paddles"
    assert taught.digest != before and DEMO.digest == before  # caches keyed on the digest never mix the two
    assert DEMO.metric("revenue").meta.synonyms == load_catalog(ROOT / "catalog").metric("revenue").meta.synonyms


def test_words_the_catalog_can_no_longer_take_are_left_out():
    words = [TaughtWord("x", "no_such_metric"), TaughtWord("orders", "revenue"), TaughtWord("revenue", "revenue")]
    assert with_taught_words(DEMO, words) is DEMO


def test_a_catalog_view_with_more_metrics_has_its_own_digest():
    """Bug: `model_copy` carried the cached digest over, so a view with the measures' metrics added and the
    catalog it came from shared every cache keyed on the digest (metric phrase tables, lexicons)."""
    catalog = load_catalog(ROOT / "tests" / "fixtures" / "catalogs" / "shop")
    original = catalog.digest
    view = catalog_with_measure_metrics(catalog, all_measures=True)
    assert len(view.metrics) > len(catalog.metrics)
    assert view.digest != original


@pytest.mark.parametrize("question,metric,group_by", [
    ("上个月的落槌额", "revenue", ()),
    ("上个月各地区的落槌额", "revenue", ("order__region",)),
    ("hammer total last month", "revenue", ()),
])
def test_a_taught_phrase_names_its_metric_where_before_it_was_asked_back_or_refused(question, metric, group_by):
    before = Understander(DEMO, FakeEmbedder(), StaticValueIndex({})).interpret(question, today=TODAY)
    assert before.kind != "query"
    taught = with_taught_words(DEMO, [TaughtWord("落槌额", "revenue"), TaughtWord("hammer total", "revenue")])
    after = Understander(taught, FakeEmbedder(), StaticValueIndex({})).interpret(question, today=TODAY)
    assert after.kind == "query"
    assert after.query.metrics == (metric,) and after.query.group_by == group_by


SHOP = load_catalog(ROOT / "tests" / "fixtures" / "catalogs" / "shop")
SHOP_VALUES = {("customers", "region"): ["East", "West"], ("orders", "status"): ["completed", "cancelled"]}
CONDITION_WORDS = [TaughtWord("sunrise zone", dimension="region", value="East"),
                   TaughtWord("territory", dimension="region"),
                   TaughtWord("日出片区", dimension="region", value="East")]


@pytest.mark.parametrize("question,group_by,where", [
    ("revenue in the sunrise zone last month", (), [("customer__region", "=", ("East",))]),
    ("上个月日出片区的收入", (), [("customer__region", "=", ("East",))]),
    ("revenue by territory last month", ("customer__region",), []),
])
def test_a_taught_dimension_or_value_word_is_read_as_the_breakdown_or_condition(question, group_by, where):
    before = Understander(SHOP, FakeEmbedder(), StaticValueIndex(SHOP_VALUES)).interpret(question, today=TODAY)
    assert before.kind == "clarify"  # "I could not place …": never answered without the words
    taught = with_taught_words(SHOP, CONDITION_WORDS)
    after = Understander(taught, FakeEmbedder(), StaticValueIndex(SHOP_VALUES)).interpret(question, today=TODAY)
    assert after.kind == "query" and after.query.metrics == ("revenue",) and after.query.group_by == group_by
    assert [(f.dimension, f.op, f.values) for f in after.query.where] == where


@pytest.mark.parametrize("text,found", [
    ("region", ("region", None)), ("Region", ("region", None)), ("East", ("region", "East")),
    ("region: west", ("region", "West")), ("status: East", None), ("cancelled", ("status", "cancelled")),
    ("Nowhere", None), ("ordered_at", None),  # a time dimension takes no words
])
def test_what_a_target_names_among_dimensions_and_values(text, found):
    assert find_condition(SHOP, text, SHOP_VALUES) == found


@pytest.mark.parametrize("phrase,dimension,value,problem", [
    ("territory", "region", None, None), ("sunrise zone", "region", "East", None),
    ("revenue", "region", None, "teach_taken"),   # a metric's name
    ("sales", "region", "East", "teach_taken"),   # a metric's synonym
    ("status", "region", None, "teach_taken"),    # another dimension's name
    ("区", "region", None, "teach_no_words"),
])
def test_which_phrases_may_name_a_dimension_or_value(phrase, dimension, value, problem):
    found = condition_problem(SHOP, phrase, dimension, value)
    assert (found.key if found else None) == problem
