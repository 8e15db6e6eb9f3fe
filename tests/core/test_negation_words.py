"""The words that negate a value are that filter's operator (core/understand/negation.negation_words): they are taken
out of the words the metric is chosen from, in both languages, before and after the value; a value nothing negates
gives none."""
from __future__ import annotations

import pytest

from metricloop.core.understand.negation import negation_words, stray_exclusion

CASES = [  # question (lower-cased), the value in it, the negation words expected
    ("上个月不算自提，出货多少吨", "自提", ["不算"]),
    ("除了苹果以外 上个月设备卖了多少台", "苹果", ["除了", "以外"]),
    ("上周非vip票卖了多少张", "vip", ["非"]),
    ("不含佛州，这个月装了多少户", "佛州", ["不含"]),
    ("incidents this year not caused by weather", "weather", ["not caused by "]),
    ("orders last week excluding the app", "app", ["excluding the "]),
    # (session 19) "not about": it had been read as tickets ABOUT payout delays, the governed Payout delay tickets
    ("support tickets last month that were not about payout delays", "payout delays", ["not about "]),
    ("complaints not regarding billing", "billing", ["not regarding "]),
    # (session 24) "did not" as "didn't": the verb and its preposition reach the value
    ("paid transfers that did not go through an agent", "agent", ["did not go through an "]),
    # (session 41) a gloss with digits between the negation and the value restated in parentheses
    ("上个季度的验光次数,不算18岁以下(under 18)", "under 18", ["不算"]),
    # (session 42) 不走 (not shipped by) before a value restated in parentheses: it had been answered "=", a negation
    # flipped; 非 before the word the value explains
    ("上个月不走自家货车(northbeam van)的准时发货率", "northbeam van", ["不走"]),
    ("上个月非加急(rush)单的准时率", "rush", ["非"]),
    ("上个月不走ups的订单", "ups", ["不走"]),
    ("revenue from east last month", "east", []),
    ("华东的收入", "华东", []),
]


@pytest.mark.parametrize(("text", "value", "expected"), CASES, ids=[c[0] for c in CASES])
def test_negation_words_around_a_value(text, value, expected):
    start = text.index(value)
    spans = negation_words(text, start, start + len(value))
    assert [text[s:e] for s, e in spans] == expected


STRAY = [  # question (lower-cased), the value read as kept, the words asked about (None: nothing stray)
    # (session 42) the exclusion is of something the value may be: it had been answered with the value kept
    ("saes last month excluding the ones the sponsor already closed out", "closed", "excluding the ones the sponsor "
                                                                                    "already"),
    ("上个月的工单，去掉那些已经关了的", "关", "去掉那些已经"),
    # the exclusion ends its clause, or negates the value itself
    ("revenue excluding refunds, in east last month", "east", None),
    ("revenue last month excluding east", "east", None),
    ("revenue in east last month", "east", None),
]


@pytest.mark.parametrize(("text", "value", "expected"), STRAY, ids=[c[0] for c in STRAY])
def test_an_exclusion_that_negates_nothing_placed_before_a_kept_value_is_asked_about(text, value, expected):
    start = text.index(value)
    negated = negation_words(text, start, start + len(value))
    kept = [] if negated else [(start, start + len(value))]
    assert stray_exclusion(text, kept, negated) == expected
