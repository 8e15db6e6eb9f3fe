"""A word glossed by the catalog's spelling of a value in parentheses restates that value
(core/understand/glosses.glossed_spans): the parentheses and the word before them are placed once the value inside is;
parentheses holding anything else, or a value nothing placed, gloss nothing."""
from __future__ import annotations

import pytest

from metricloop.core.understand.glosses import glossed_spans

CASES = [  # normalised question, the placed value, what is glossed (the parentheses, then the word before them)
    ("担架(stretcher)行程的收入", "stretcher", ["(stretcher)", "担架"]),
    # what joins the word to the sentence is not part of it (走, 用, 在), nor a count before it (多少张)
    ("上个月走分期付款(financing)的助听器订单有多少", "financing", ["(financing)", "分期付款"]),
    ("用导管(central venous catheter)的病人上个季度kt/v达标率", "central venous catheter",
     ["(central venous catheter)", "导管"]),
    ("上个月新办了多少张家庭卡(family)", "family", ["(family)", "家庭卡"]),
    # the particle before the parenthesis is the gloss's own (损坏的 is Damaged)
    ("今年的退货册数,不算损坏的(damaged)", "damaged", ["(damaged)", "损坏的"]),
    # an abbreviation in a Chinese question
    ("今年esy(extended school year)的合同收入", "extended school year", ["(extended school year)", "esy"]),
    # no gloss in an English question
    ("revenue for the west (west) region", "west", ["(west)"]),
]


@pytest.mark.parametrize(("text", "value", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_word_before_a_value_in_parentheses_restates_it(text, value, expected):
    start = text.index(value, text.index("("))
    spans = glossed_spans(text, [(start, start + len(value))])
    assert [text[s:e] for s, e in spans] == expected


def test_a_gloss_stops_at_words_placed_otherwise():
    text = "上个季度担架(stretcher)行程的收入"  # 上个季度, the time, is placed: 担架 alone restates Stretcher
    start = text.index("stretcher")
    spans = glossed_spans(text, [(start, start + len("stretcher"))], [(0, 4)])
    assert [text[s:e] for s, e in spans] == ["(stretcher)", "担架"]


@pytest.mark.parametrize("text", ["上个月的收入(含税)", "订单数(q3)", "上个月华东的收入"])
def test_parentheses_that_hold_no_placed_value_gloss_nothing(text):
    # (a time in them is placed, but as a time: 订单数 is no gloss of Q3)
    taken = [(text.index("q3"), text.index("q3") + 2)] if "q3" in text else []
    assert glossed_spans(text, [], taken) == []
