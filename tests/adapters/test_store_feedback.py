"""Feedback on notices in the store: actions with their expected effect, adjustments and comments, each written
once per source (a retried delivery writes nothing twice), and notices found again by their message."""
from __future__ import annotations

import sqlite3

import pytest

from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.store_schema import MIGRATIONS


@pytest.fixture
def alert(store):
    alert = store.add_alert("revenue", "2026-03-30", "down", value=7000.0, expected=10000.0)
    return store.set_alert_message(alert.id, "C0METRICS", "1700000000.000100")


def test_alert_for_message(store, alert):
    assert store.alert_for_message("C0METRICS", "1700000000.000100").id == alert.id
    assert store.alert_for_message("C0METRICS", "1700000000.000999") is None


def test_action_with_effect_is_written_once_per_source(store, alert):
    first, created = store.open_action(alert.id, "U0ANA", "2026-04-07", "Fix checkout", expected_effect="back up",
                                       created_by="U0BOB", source="view:V1")
    again, created_again = store.open_action(alert.id, "U0ANA", "2026-04-07", "Fix checkout", source="view:V1")
    assert created and not created_again and again == first
    assert (first.expected_effect, first.created_by, first.status) == ("back up", "U0BOB", "open")
    assert store.action_from("view:V1") == first and store.action_from("view:V2") is None
    assert len(store.actions(alert_id=alert.id)) == 1
    # actions opened the old way still read (the new columns have defaults)
    plain = store.add_action(alert.id, "U0ANA", "2026-04-08", "Call the East team")
    assert plain.expected_effect == "" and plain.created_by is None


def test_adjustments_and_comments_once_per_metric_and_source(store, alert):
    adj, created = store.record_adjustment("revenue", "expected", {"day": "2026-03-30", "reason": "promo"}, "U0ANA",
                                           source="view:V9")
    _, created_again = store.record_adjustment("revenue", "expected", {"day": "2026-03-30"}, "U0ANA", source="view:V9")
    assert created and not created_again and store.adjustment_from("view:V9") == adj
    assert store.adjustments("revenue", "expected")[0].payload == {"day": "2026-03-30", "reason": "promo"}
    with pytest.raises(ValueError):
        store.record_adjustment("revenue", "mood", {}, "U0ANA")
    c1, _ = store.add_comment("revenue", "U0BOB", "East warehouse closed", alert_id=alert.id, channel="C0METRICS",
                              thread_ts=alert.ts, source="msg:C0METRICS:1.2")
    store.add_comment("orders", "U0BOB", "East warehouse closed", source="msg:C0METRICS:1.2")  # other metric: kept
    _, dup = store.add_comment("revenue", "U0BOB", "East warehouse closed", source="msg:C0METRICS:1.2")
    assert not dup and store.comments("revenue") == [c1] and len(store.comments()) == 2


def test_migration_from_version_3_keeps_actions(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:3], start=1):
        con.executescript(f"BEGIN; {script} PRAGMA user_version={number}; COMMIT;")
    con.execute("INSERT INTO alerts(metric, day, direction, created_at) VALUES ('revenue', '2026-03-30', 'down', 'x')")
    con.execute("INSERT INTO actions(alert_id, owner, due, plan, created_at, updated_at)"
                " VALUES (1, 'U0ANA', '2026-04-07', 'old plan', 'x', 'x')")
    con.commit()
    con.close()
    store = SQLiteStore(path)
    try:
        assert store.schema_version == len(MIGRATIONS)
        (action,) = store.actions()
        assert action.plan == "old plan" and action.expected_effect == ""
    finally:
        store.close()
