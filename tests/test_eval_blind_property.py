"""The blind property-management question set (tests/fixtures/blind_property): its own check beside the shared
ones of tests/test_blind_soundness.py — no period runs past today."""
from __future__ import annotations

from blind_fixture import BlindSet

BLIND = BlindSet("blind_property")
QUESTIONS, ANSWERABLE = BLIND.questions, BLIND.answerable


def test_no_period_runs_past_today():
    today = QUESTIONS["today"]
    for case in ANSWERABLE:
        if case["expect"].get("time"):
            start, end = case["expect"]["time"]
            assert start <= end <= today, case["q"]
