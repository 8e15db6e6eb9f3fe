"""Everyday verbs and the nouns they stand for (src/metricloop/data/paraphrases.tsv): the shipped table parses,
each row's pattern compiles, and phrasings give the words a catalog names its metrics with — never words for a
phrasing that does not say them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.core.understand.paraphrase import _table, everyday_spans, everyday_words, must_contain, parse_table

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
    # staff lost are people who left (exits), never customers churned (session 43)
    ("how many people did we lose last month", {"exit", "departure"}, {"churn"}),
    ("去年哪个站点走的人最多", {"exit", "departure"}, {"churn"}),
    ("how many customers did we lose", {"lost"}, {"exit", "departure"}),
    ("are customers happy with us this month?", {"satisfaction", "csat"}, set()),
    ("how many callers gave up before anyone picked up", {"abandoned", "abandonment"}, set()),
    ("we gave up on the project", set(), {"abandoned", "satisfaction"}),
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


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"\b(?:sell|sold|selling)\b", ("ell", "old")),  # (the parser factors the "s" out)
    (r"卖(?:了|出|掉)", ("卖",)),
    (r"\bhow\s+many\s+(?:\w+\s+)?did\s+we\s+(?:move|shift)\b", ("many",)),
    (r"(?:gave|give)?\s*back", ("back",)),  # an optional word is never required
    (r"(?i)sold", None),  # a case-blind pattern is always tried
    (r"\w+", None),
])
def test_what_every_match_of_a_pattern_contains(pattern, needs):
    assert must_contain(re.compile(pattern)) == needs


def _every_question() -> list[str]:
    root = Path(__file__).resolve().parents[1] / "fixtures"
    texts = []
    for path in sorted(root.glob("**/questions.yaml")) + sorted(root.glob("questions/*.yaml")):
        texts += re.findall(r"""\bq:\s*["']([^"']+)["']""", path.read_text(encoding="utf-8"))
    return texts


def test_every_match_of_every_pattern_holds_one_of_its_literals():
    """On every question of every set in the repository, each match of each pattern contains one of the literals
    the prefilter asks the text for — so skipping a pattern whose literals the text lacks never loses a match."""
    texts = [t.lower() for t in _every_question()]
    assert len(texts) > 2000
    joined = "\n".join(texts)
    matched = 0
    for pattern, _ in _table():
        needs = must_contain(pattern)
        for m in pattern.finditer(joined):
            matched += 1
            assert needs is None or any(literal in m.group(0) for literal in needs), (pattern.pattern, m.group(0))
    assert matched > 500


def test_the_prefilter_finds_the_spans_of_trying_every_pattern():
    for text in ("how much money did we give back to customers", "芝加哥的门店昨天卖了钱",
                 "上季度每个社区经理各办了多少场活动", "how many people walked out for good in october"):
        every = [(m.span(), words) for pattern, words in _table() for m in pattern.finditer(text)]
        assert everyday_spans(text) == every and every, text


@pytest.mark.parametrize("folder", ["blind_gyms", "blind_salon", "blind_optician", "generality"])
def test_the_literal_index_finds_the_spans_of_trying_every_pattern_on_whole_sets(folder):
    # (the rows a text opens are found through an index of their literals, by length)
    here = Path(__file__).resolve().parents[1] / "fixtures" / folder / "questions.yaml"
    for case in YAML(typ="safe").load(here.read_text(encoding="utf-8"))["questions"]:
        text = str(case["q"]).lower()
        assert everyday_spans(text) == [(m.span(), words) for pattern, words in _table()
                                        for m in pattern.finditer(text)], text
