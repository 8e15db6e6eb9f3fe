"""A name dimension's long tail (more values than the interpreter reads in full, fewer than the value index's cap):
each name of two words or more is found as spelled, so "revenue from First Prairie Bank" filters on the customer
among 2,000; a typo of one, or one word of it alone, is not read as it (a single word is as likely a common one)."""
from __future__ import annotations

from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.text import normalise
from metricloop.core.understand.lexicon import build_lexicon, resolve_overlaps, spot
from metricloop.core.understand.spelling import MAX_VALUES_PER_DIMENSION

ROOT = Path(__file__).resolve().parents[2]
KEY = ("customers", "region")
# the read-in-full values first (as the index lists them, in order), then the tail
NAMES = [f"Region {n:04d}" for n in range(MAX_VALUES_PER_DIMENSION)] + ["First Prairie Bank", "Dunmore Tool & Die",
                                                                          "Wexford"]


@pytest.fixture(scope="module")
def lexicon():
    return build_lexicon(load_catalog(ROOT / "tests" / "fixtures" / "catalogs" / "shop"), {KEY: NAMES})


def _values(lexicon, question: str) -> list[str]:
    return [h.entry.target for h in resolve_overlaps(spot(lexicon, normalise(question))) if h.entry.kind == "value"]


@pytest.mark.parametrize(("question", "found"), [
    ("revenue from first prairie bank last month", ["First Prairie Bank"]),
    ("revenue excluding Dunmore Tool & Die", ["Dunmore Tool & Die"]),
    ("revenue from first prairee bank", []),   # a typo of a tail name: not read as it
    ("revenue from Wexford", []),              # one word: not indexed from the tail
    ("revenue from the first bank", []),       # a part of a tail name
])
def test_a_long_tail_name_is_found_whole_and_as_spelled(lexicon, question, found):
    assert _values(lexicon, question) == found
