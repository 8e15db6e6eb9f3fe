"""Loop Block Kit: the notice says value vs range, deviation, contributors, drivers and offers three buttons;
modals validate their input; everything passes Slack's limits in both languages."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from fakes.block_limits import validate_blocks, validate_view
from metricloop.core.catalog.model import NumberFormat
from metricloop.slack import loop_blocks as lb

PAYLOAD = {"metric": "revenue", "slice": {}, "date": "2026-03-30", "value": 7000.0, "expected": 10000.0,
           "lower": 8500.0, "upper": 11500.0, "severity": -4.2, "direction": "down", "alert_id": 7,
           "contributors": [{"dimension": "order__region", "value": "East", "actual": 1000.0, "expected": 3160.0,
                             "change": -2160.0, "share": 0.72}],
           "drivers": ["orders"]}
FACTS = lb.notice_facts(PAYLOAD, label="Revenue", owner="<@U0ANA>", fmt=NumberFormat(kind="currency", decimals=0),
                        label_of=lambda name: name.capitalize())
TODAY = dt.date(2026, 3, 31)


def texts(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["Revenue dropped on 2026-03-30", "*$7,000* vs expected $10,000 (normal range $8,500 – $11,500), -30.0%",
            "72% of the drop comes from region = East", "Drivers that moved the same day: Orders", "Owner: <@U0ANA>"]),
    ("zh", ["Revenue 在 2026-03-30 异常下降", "偏离 -30.0%", "72% 的下降来自 region = East",
            "同日变动的驱动指标：Orders", "负责人：<@U0ANA>"]),
])
def test_notice_says_what_happened(lang, expected):
    blocks = lb.notice_blocks(FACTS, lang)
    assert validate_blocks(blocks) == []
    for phrase in expected:
        assert phrase in texts(blocks)
    actions = next(b for b in blocks if b["type"] == "actions")
    assert [e["action_id"] for e in actions["elements"]] == list(lb.NOTICE_BUTTONS)
    assert {e["value"] for e in actions["elements"]} == {"7"}


def test_button_labels():
    labels = [e["text"]["text"] for e in lb.notice_blocks(FACTS)[-1]["elements"]]
    assert labels == ["Acknowledge", "Open corrective action", "Mark as expected"]


def test_a_slice_is_named_and_a_rise_reads_as_a_rise():
    facts = lb.notice_facts({**PAYLOAD, "slice": {"order__channel": "mobile"}, "direction": "up", "value": 13000.0},
                            label="Revenue", owner="ana@example.com")
    text = texts(lb.notice_blocks(facts))
    assert "Revenue · channel = mobile jumped on 2026-03-30" in text and "of the rise" in text


def test_acknowledged_state_keeps_the_other_buttons():
    line = lb.acknowledged_line("U0BOB", "2026-03-31T10:32:00+00:00")
    blocks = lb.notice_blocks(FACTS, status_lines=(line,), buttons=lb.NOTICE_BUTTONS[1:])
    assert validate_blocks(blocks) == []
    assert "Acknowledged by <@U0BOB> at <!date^1774953120^" in texts(blocks) and "2026-03-31 10:32 UTC" in line
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [lb.OPEN_ACTION_ACTION, lb.EXPECTED_ACTION]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_modals_are_valid_views(lang):
    action = lb.action_modal(FACTS, channel="C1", ts="1.2", owner_user="U0ANA", today=TODAY, lang=lang)
    expected = lb.expected_modal(FACTS, channel="C1", ts="1.2", lang=lang)
    assert validate_view(action) == [] and validate_view(expected) == []
    owner = next(b for b in action["blocks"] if b.get("block_id") == lb.OWNER_INPUT)
    due = next(b for b in action["blocks"] if b.get("block_id") == lb.DUE_INPUT)
    assert owner["element"]["initial_user"] == "U0ANA" and due["element"]["initial_date"] == "2026-04-07"
    assert lb.read_metadata(action) == {"alert": 7, "channel": "C1", "ts": "1.2", "lang": lang}


def state(owner="U0ANA", due="2026-04-10", plan="Fix the East checkout", effect="") -> dict:
    values = {lb.OWNER_INPUT: {"type": "users_select", "selected_user": owner},
              lb.DUE_INPUT: {"type": "datepicker", "selected_date": due},
              lb.PLAN_INPUT: {"type": "plain_text_input", "value": plan},
              lb.EFFECT_INPUT: {"type": "plain_text_input", "value": effect}}
    return {"state": {"values": {k: {k: v} for k, v in values.items()}}}


@pytest.mark.parametrize(("changes", "errors"), [
    ({}, set()),
    ({"due": "2026-03-31"}, set()),  # today is fine
    ({"due": "2026-03-30"}, {lb.DUE_INPUT}),
    ({"due": None}, {lb.DUE_INPUT}),
    ({"plan": "   "}, {lb.PLAN_INPUT}),
    ({"owner": None, "plan": ""}, {lb.OWNER_INPUT, lb.PLAN_INPUT}),
])
def test_action_form_validation(changes, errors):
    form, found = lb.read_action_form(state(**changes), TODAY)
    assert set(found) == errors
    assert (form is None) == bool(errors)
    if form is not None:
        assert form.plan == "Fix the East checkout" and form.due >= TODAY


def test_expected_reason_is_required():
    empty = {"state": {"values": {lb.REASON_INPUT: {lb.REASON_INPUT: {"value": " "}}}}}
    assert lb.read_expected_reason(empty) == (None, {lb.REASON_INPUT: "Say why this was expected."})
    given = {"state": {"values": {lb.REASON_INPUT: {lb.REASON_INPUT: {"value": "promo"}}}}}
    assert lb.read_expected_reason(given) == ("promo", {})


@pytest.mark.parametrize(("latest", "phrase"), [("2026-03-28", "orders not loaded since 2026-03-28"),
                                                 (None, "orders has no data at all")])
def test_freshness_notice(latest, phrase):
    blocks = lb.freshness_blocks("orders", "2026-03-30", latest, ["Revenue", "Orders"], ["<@U0ANA>"])
    assert validate_blocks(blocks) == [] and phrase in texts(blocks) and "Revenue, Orders" in texts(blocks)
