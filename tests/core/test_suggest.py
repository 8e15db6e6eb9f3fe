"""The one "did you mean" helper (core/text.suggest) and its cut-off policy."""
from __future__ import annotations

import pytest

from metricloop.core.text import SUGGEST_CUTOFF, suggest

NAMES = ["revenue", "refund_rate", "order_count", "orders_per_customer", "East", "North"]


@pytest.mark.parametrize(("word", "n", "expected"), [
    ("revenu", 3, ["revenue"]),              # a typo
    ("REVENUE", 3, ["revenue"]),             # case never hides a match, and the candidate's spelling comes back
    ("east", 3, ["East"]),
    ("refund_rat", 1, ["refund_rate"]),
    ("order_cnt", 3, ["order_count"]),
    ("orders", 3, []),                       # below the cut-off: no hint beats a wrong one
    ("xyz", 3, []),
    ("", 3, []),
])
def test_suggest(word, n, expected):
    assert suggest(word, NAMES, n=n) == expected


def test_best_first_and_at_most_n():
    candidates = ["customer__segment", "order__segment", "customer__region"]
    assert suggest("customer__segmnt", candidates, n=1) == ["customer__segment"]
    assert len(suggest("segment", ["segment1", "segment2", "segment3", "segment4"])) == 3
    assert 0.5 < SUGGEST_CUTOFF < 1
