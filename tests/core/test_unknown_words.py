"""Abbreviations and names nothing in the catalog holds (core/understand/unknown_words)."""
from __future__ import annotations

import pytest

from metricloop.core.understand.unknown_words import unknown_acronym

KNOWN = frozenset({"nps", "aov"})


@pytest.mark.parametrize(("text", "known", "expected"), [
    ("employee NPS last month", frozenset(), ("NPS", False)),
    ("headcount in the US", frozenset(), ("US", True)),
    # typed in lower case, a business abbreviation counts only where the caller knows it as one
    ("whats our nps last month", KNOWN, ("NPS", False)),
    ("whats our nps last month", frozenset(), None),
    ("revenue for the us", KNOWN, None),  # "us" is no abbreviation of KNOWN
])
def test_unknown_acronym(text, known, expected):
    assert unknown_acronym(text, [], known) == expected
