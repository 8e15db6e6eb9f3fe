"""A metric's records merge into one time-ordered history with kind, at, user, text and structured fields."""
from __future__ import annotations

from metricloop.core.catalog.model import NumberFormat
from metricloop.core.loop.history import kind_label, merge_history

T = "2026-03-31T{}:00.000000+00:00"
RECORDS = {
    "alerts": [{"id": 1, "metric": "revenue", "day": "2026-03-30", "slice": {"order__region": "East"},
                "direction": "down", "value": 7000.0, "expected": 10000.0, "status": "acknowledged",
                "created_at": T.format("06:30")}],
    "acknowledgements": [{"id": 1, "alert_id": 1, "user": "U0ANA", "note": "", "created_at": T.format("09:00")}],
    "actions": [{"id": 3, "alert_id": 1, "owner": "U0ANA", "due": "2026-04-07", "plan": "Fix checkout",
                 "expected_effect": "back to normal", "status": "open", "created_at": T.format("09:05")}],
    "reviews": [{"at": T.format("23:00"), "user": None, "text": "Recovered", "outcome": "recovered", "action_id": 3}],
    "adjustments": [{"id": 2, "metric": "revenue", "kind": "target", "author": "U0ANA", "created_at": T.format("09:05"),
                     "payload": {"value": 1200000.0, "period": "month", "text": "target 1.2M per month"}}],
    "comments": [{"id": 1, "metric": "revenue", "author": "U0BOB", "text": "East warehouse was closed",
                  "alert_id": 1, "created_at": T.format("08:00")}],
}


def test_history_is_in_time_order_with_structured_fields():
    entries = merge_history(**RECORDS, fmt=NumberFormat(kind="currency", decimals=0))
    assert [(e.kind, e.user) for e in entries] == [
        ("alert", None), ("comment", "U0BOB"), ("acknowledgement", "U0ANA"), ("action", "U0ANA"),
        ("adjustment", "U0ANA"), ("review", None)]
    alert, comment, _, action, adjustment, review = (e.to_json() for e in entries)
    assert alert["text"] == "2026-03-30 (region = East): $7,000 vs $10,000 expected (down)"
    assert alert["slice"] == {"order__region": "East"} and alert["status"] == "acknowledged"
    assert comment["text"] == "East warehouse was closed"
    assert action["expected_effect"] == "back to normal" and action["due"] == "2026-04-07"
    assert adjustment == {"kind": "adjustment", "at": T.format("09:05"), "user": "U0ANA",
                          "text": "target 1.2M per month", "id": 2, "adjustment": "target", "value": 1200000.0,
                          "period": "month"}
    assert review["outcome"] == "recovered"


def test_chinese_labels_and_empty_history():
    assert merge_history() == []
    entries = merge_history(alerts=RECORDS["alerts"], lang="zh")
    assert "预期" in entries[0].text and "下降" in entries[0].text
    assert kind_label("comment", "zh") == "评论" and kind_label("action") == "Corrective action"
