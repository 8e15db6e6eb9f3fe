"""Everyday verbs and the nouns they stand for (src/metricloop/data/paraphrases.tsv): the shipped table parses,
each row's pattern compiles, and phrasings give the words a catalog names its metrics with — never words for a
phrasing that does not say them."""
from __future__ import annotations

import pytest

from metricloop.core.understand.paraphrase import _table, everyday_words, parse_table

CASES = [
    ("how many items did we move last month", {"unit", "sale"}, set()),
    ("how much money did we give back to customers", {"refund"}, {"revenue"}),
    ("how much money came in", {"collected", "cash"}, {"refund"}),
    ("how many people walked into our stores", {"footfall", "visitor"}, {"sale"}),
    ("are we running out of stock", {"stockout"}, set()),
    ("芝加哥的门店昨天卖了钱", {"sale"}, set()),
    ("上周进店的人", {"footfall"}, set()),
    ("revenue by region", set(), {"sale", "refund", "footfall", "visitor", "cost"}),
    ("how many orders did we ship", {"shipment"}, set()),
]


@pytest.mark.parametrize(("text", "has", "lacks"), CASES)
def test_everyday_phrasings_give_metric_words(text, has, lacks):
    words = everyday_words(text)
    assert has <= words, words
    assert not lacks & words, words


def test_the_shipped_table_parses_and_every_row_has_words():
    rows = _table()
    assert len(rows) >= 30
    assert all(words for _, words in rows)


def test_comments_and_blank_lines_are_skipped():
    assert [words for _, words in parse_table(["# x", "", r"\bsold\b	sales|units sold"])] == [("sale", "unit")]
