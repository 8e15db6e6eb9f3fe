"""The blind e-learning question set (tests/fixtures/blind_elearning): its own check beside the shared ones of
tests/test_blind_soundness.py — every period is one of the set's named ranges."""
from __future__ import annotations

from blind_fixture import BlindSet

BLIND = BlindSet("blind_elearning")
QUESTIONS, ANSWERABLE = BLIND.questions, BLIND.answerable


def test_periods_are_the_sets_named_ranges():
    """Today is the Friday after the warehouse's last day, and every period is one of the set's named ranges."""
    assert str(QUESTIONS["today"]) == "2026-11-27"
    ranges = [list(r) for r in QUESTIONS["ranges"].values()]
    for case in ANSWERABLE:
        period = case["expect"].get("time")
        assert period is None or list(period) in ranges, case["q"]
