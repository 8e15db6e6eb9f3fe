"""Owners' thread replies parse to the adjustments in tests/fixtures/loop/adjust_replies.yml (EN and ZH)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.core.loop.adjust import parse_amount, parse_reply

CASES = YAML(typ="safe").load((Path(__file__).parents[2] / "fixtures" / "loop" / "adjust_replies.yml").read_text())
TODAY = dt.date.fromisoformat(str(CASES["today"]))


@pytest.mark.parametrize("case", CASES["replies"], ids=[c["text"] for c in CASES["replies"]])
def test_reply_parses_to_the_expected_adjustment(case):
    parsed = parse_reply(case["text"], today=TODAY)
    assert parsed.kind == case["kind"]
    assert parsed.form == case.get("form")
    assert parsed.understood == case.get("understood", True)
    # every structured field, and nothing is lost: the original text rides along
    assert parsed.payload == {**case["payload"], "text": case["text"]}


def test_every_structured_form_is_covered_in_both_languages():
    seen = {(c.get("form"), c.get("understood", True), any("\u4e00" <= ch <= "\u9fff" for ch in c["text"]))
            for c in CASES["replies"]}
    for form in ("target", "sensitivity", "snooze", "expected"):
        for chinese in (False, True):
            assert (form, True, chinese) in seen, (form, chinese)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("1.2M", 1_200_000.0, ""), ("$1,234.5", 1234.5, ""), ("120万", 1_200_000.0, ""), ("12.5%", 0.125, "%"),
    ("3亿元", 300_000_000.0, ""), ("2 billion", 2e9, ""),
])
def test_amounts(text, value, unit):
    got = parse_amount(text)
    assert got is not None and got[0] == pytest.approx(value) and got[1] == unit


def test_snooze_without_a_day_has_no_end_date():
    assert parse_reply("snooze 3 days").payload == {"snooze_days": 3, "text": "snooze 3 days"}
