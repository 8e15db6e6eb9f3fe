"""A word that is another word and more is no shortening of it (core/understand/metrics._compound)."""
from __future__ import annotations

import pytest

from metricloop.core.understand.metrics import _compound


@pytest.mark.parametrize(("word", "start", "compound"), [
    ("callbacks", "call", True),      # call + backs: "calls" never reads as Callbacks
    ("payout", "pay", True),
    ("promotion", "promo", False),    # promo is short for promotion
    ("cancellations", "cancel", False),
    ("downtime", "down", False),      # the time it is down: "how many times did the machines go down"
])
def test_a_compound_is_not_a_shortening(word: str, start: str, compound: bool) -> None:
    assert _compound(word, start) is compound
