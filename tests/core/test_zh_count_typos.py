"""Typos of the count and money words typed after a measure word (core/understand/zh_spelling._count_typo)."""
from __future__ import annotations

import pytest

from metricloop.core.understand.homophones import heard_table
from metricloop.core.understand.zh_spelling import _count_typo

CASES = [
    ("上周的缺货次树", "树", "数"),  # 次数 typed by its sound
    ("今年的新入透人树", "树", "数"),
    ("上周的小票树", "树", "数"),
    ("上个月的出货顿数", "顿", "吨"),  # 吨数
    # (收人 is no typo read: 接收人有多少 counts the people receiving, never 收入 — a wrong answer the held-out sets
    # showed by their totals when it was read)
    ("接收人有多少", "人", None),
    ("种了多少棵树", "树", None),  # a tree, after no measure word
    ("上周的缺货次数", "数", None),  # spelled right
    ("收人员多少", "人", None),  # (a word goes on after it)
]


@pytest.mark.parametrize("text,typed,meant", CASES)
def test_count_typo(text, typed, meant):
    assert _count_typo(text, text.rindex(typed), heard_table()) == meant

