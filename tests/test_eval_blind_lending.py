"""The blind lending question set (tests/fixtures/blind_lending): its own check beside the shared ones of
tests/test_blind_soundness.py — no period runs past the questions' today."""
from __future__ import annotations

from blind_fixture import BlindSet

BLIND = BlindSet("blind_lending")


def test_no_period_runs_past_today():
    today = BLIND.questions["today"]
    for case in BLIND.answerable:
        if case["expect"].get("time"):
            start, end = case["expect"]["time"]
            assert start <= end <= today, case["q"]
