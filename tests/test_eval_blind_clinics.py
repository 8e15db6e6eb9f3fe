"""The blind clinics question set (tests/fixtures/blind_clinics): its own check beside the shared ones of
tests/test_blind_soundness.py — a follow-up comes after the question it follows."""
from __future__ import annotations

from blind_fixture import BlindSet

QUESTIONS = BlindSet("blind_clinics").questions


def test_a_follow_up_comes_after_the_question_it_follows():
    seen: set[str] = set()
    for case in QUESTIONS["questions"]:
        if "after" in case:
            assert case["after"] in seen, case["q"]
        seen.add(case["q"])
