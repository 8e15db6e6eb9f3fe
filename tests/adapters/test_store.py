"""The durable store: idempotency, durability across SIGKILL, concurrency, and the loop's records."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from metricloop.adapters.store_schema import MIGRATIONS
from metricloop.adapters.store_schema_postgres import POSTGRES_MIGRATIONS
from metricloop.audit import trail_for


def test_claim_event_is_true_only_the_first_time(store):
    assert store.claim_event("Ev01") is True
    assert store.claim_event("Ev01") is False
    assert store.claim_event("Ev02") is True


def test_old_event_keys_are_pruned_after_the_retention_window(store_backend):
    now = [datetime(2025, 6, 1, tzinfo=UTC)]
    store = store_backend.open(event_retention_days=7, clock=lambda: now[0])
    store.claim_event("old")
    now[0] += timedelta(days=8)
    assert store.prune_events() == 1
    assert store.claim_event("old") is True  # forgotten, so claimable again


def test_two_threads_claiming_the_same_event_exactly_one_wins(store_backend):
    # Two store objects on one file (one database) behave like two processes: the database decides.
    stores = [store_backend.open(), store_backend.open()]
    for round_ in range(20):
        barrier = threading.Barrier(4)
        results: list[bool] = []

        # bound now: the threads are joined before the next round, but say so rather than rely on it
        def claim(s, barrier=barrier, results=results, round_=round_) -> None:
            barrier.wait()
            results.append(s.claim_event(f"Ev{round_}"))

        threads = [threading.Thread(target=claim, args=(stores[i % 2],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [False, False, False, True], round_


DURABLE_WRITER = textwrap.dedent("""
    import os, signal, sys
    from metricloop.adapters.store_open import open_store
    s = open_store(sys.argv[1])
    s.claim_event("Ev-durable")
    s.save_thread("C1", "111.222", {"query": {"metrics": ["revenue"]}, "lang": "zh"})
    s.follow("U1", "revenue")
    a = s.add_alert("revenue", "2025-06-01", "down", value=10.0, expected=20.0, score=-4.2,
                    drivers=[{"region": "EU", "share": 0.8}])
    s.acknowledge(a.id, "U1", "looking")
    s.add_action(a.id, "U1", "2025-06-08", "fix the pipeline")
    s.audit("U1", "ack", {"alert": a.id})
    os.kill(os.getpid(), signal.SIGKILL)  # no close(), no atexit: only what was committed survives
""")


def test_writes_survive_sigkill_right_after_the_call_returns(store_backend):
    proc = subprocess.run([sys.executable, "-c", DURABLE_WRITER, str(store_backend.location)], capture_output=True,
                          timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    store = store_backend.open()
    assert store.claim_event("Ev-durable") is False
    assert store.load_thread("C1", "111.222") == {"query": {"metrics": ["revenue"]}, "lang": "zh"}
    assert store.follows("U1") == ["revenue"]
    [alert] = store.alerts(metric="revenue")
    assert (alert.status, alert.drivers) == ("acknowledged", [{"region": "EU", "share": 0.8}])
    assert [a.note for a in store.acknowledgements(alert.id)] == ["looking"]
    assert [a.plan for a in store.actions(alert_id=alert.id)] == ["fix the pipeline"]
    assert store.audit_log()[0].detail == {"alert": alert.id}


def test_schema_version_matches_migrations_and_reopening_is_idempotent(store_backend):
    store_backend.open().follow("U1", "orders")
    reopened = store_backend.open()
    assert reopened.schema_version == len(MIGRATIONS) == len(POSTGRES_MIGRATIONS)
    assert reopened.follows("U1") == ["orders"]


@pytest.mark.parametrize("attempt", range(10))
def test_processes_opening_a_fresh_store_at_once_all_succeed(tmp_path, attempt):
    """Every opener saw version 0 and ran migration 1 again ("table seen_events already exists"), or lost the
    switch to WAL ("database is locked"): a fresh clone's first parallel test run failed that way."""
    from metricloop.adapters.store import SQLiteStore

    path, errors, start = tmp_path / "fresh.sqlite", [], threading.Barrier(4)

    def open_once() -> None:
        start.wait()
        try:
            SQLiteStore(path).close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    openers = [threading.Thread(target=open_once) for _ in range(4)]  # one connection each, like processes
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join()
    assert errors == []
    assert SQLiteStore(path).schema_version == len(MIGRATIONS)


def test_thread_state_round_trips_unicode_and_is_replaced(store):
    assert store.load_thread("C1", "1.0") is None
    store.save_thread("C1", "1.0", {"question": "上个月的收入", "n": 1})
    store.save_thread("C1", "1.0", {"question": "按地区呢？", "n": 2})
    assert store.load_thread("C1", "1.0") == {"question": "按地区呢？", "n": 2}
    assert store.load_thread("C2", "1.0") is None


FOLLOW_STEPS = [
    # (operation, subject, metric, expected return)
    ("follow", "U1", "revenue", True),
    ("follow", "U1", "revenue", False),
    ("follow", "U1", "orders", True),
    ("follow", "U2", "revenue", True),
    ("unfollow", "U2", "revenue", True),
    ("unfollow", "U2", "revenue", False),
    ("follow_channel", "C1", "revenue", True),
    ("follow_channel", "C1", "revenue", False),
    ("follow_channel", "C2", "revenue", True),
    ("unfollow_channel", "C2", "revenue", True),
]


def test_follows_table(store):
    for op, subject, metric, expected in FOLLOW_STEPS:
        assert getattr(store, op)(subject, metric) is expected, (op, subject, metric)
    assert store.follows("U1") == ["orders", "revenue"]
    assert store.follows("U2") == []
    assert store.followers("revenue") == ["U1"]
    assert store.channel_follows("C1") == ["revenue"]
    assert store.following_channels("revenue") == ["C1"]
    assert store.follows("C1") == []  # channels and users are separate namespaces


def test_alert_lifecycle_ack_and_rescan_dedup(store):
    a = store.add_alert("refunds", date(2025, 6, 2), "up", value=90.0, expected=30.0, score=5.1)
    again = store.add_alert("refunds", "2025-06-02", "up", value=91.0)
    assert again.id == a.id and again.value == 90.0
    assert store.add_alert("refunds", "2025-06-02", "down").id != a.id
    store.set_alert_message(a.id, "C9", "123.456")
    first = store.acknowledge(a.id, "U7")
    store.acknowledge(a.id, "U8", "dup")  # another person's ack keeps status, adds a record
    # the same person's click handled again (a crash, a resumed delivery) is the same acknowledgement
    assert store.acknowledge(a.id, "U7").id == first.id
    got = store.get_alert(a.id)
    assert (got.channel, got.ts, got.status) == ("C9", "123.456", "acknowledged")
    assert [k.user for k in store.acknowledgements(a.id)] == ["U7", "U8"]
    store.set_alert_status(a.id, "resolved")
    assert [x.id for x in store.alerts(status="resolved")] == [a.id]
    assert len(store.alerts(metric="refunds")) == 2
    assert store.get_alert(999) is None


@pytest.mark.parametrize("call, error", [
    (lambda s: s.set_alert_status(s.add_alert("m", "2025-01-01", "up").id, "closed"), ValueError),
    (lambda s: s.set_alert_status(404, "resolved"), KeyError),
    (lambda s: s.acknowledge(404, "U1"), KeyError),
    (lambda s: s.add_action(404, "U1", "2025-01-01", "x"), Exception),  # foreign key
    (lambda s: s.update_action(404, status="done"), KeyError),
    (lambda s: s.update_action(1, status="finished"), ValueError),
    (lambda s: s.add_adjustment("m", "mood", {}, "U1"), ValueError),
])
def test_invalid_loop_changes_are_refused(store, call, error):
    with pytest.raises(error):
        call(store)


def test_corrective_actions_due_and_review(store):
    a = store.add_alert("orders", "2025-06-01", "down")
    early = store.add_action(a.id, "U1", date(2025, 6, 5), "restart promo")
    late = store.add_action(a.id, "U2", "2025-06-20", "fix checkout")
    assert [x.id for x in store.actions(due_on_or_before="2025-06-10")] == [early.id]
    done = store.update_action(early.id, status="done", review_result="recovered: +12% vs expected")
    assert (done.status, done.review_result) == ("done", "recovered: +12% vs expected")
    assert [x.id for x in store.actions(status="open")] == [late.id]


def test_adjustments_history_and_catalog_versions(store):
    store.add_adjustment("revenue", "target", {"value": 1_000_000, "period": "2025-Q3"}, "U1")
    store.add_adjustment("revenue", "expected", {"day": "2025-12-25", "reason": "holiday"}, "U2")
    store.add_adjustment("orders", "annotation", {"text": "price change"}, "U1")
    assert [a.kind for a in store.adjustments("revenue")] == ["target", "expected"]
    assert store.adjustments(kind="annotation")[0].payload == {"text": "price change"}
    v1 = store.record_catalog_version("abc", "3 metrics")
    assert store.record_catalog_version("abc", "3 metrics").id == v1.id
    v2 = store.record_catalog_version("def", "4 metrics")
    store.record_catalog_version("abc", "back to 3")
    assert [v.digest for v in store.catalog_versions()] == ["abc", "def", "abc"]
    assert v2.id > v1.id


def test_audit_log_newest_first_with_limit(store):
    for i in range(5):
        store.audit("U1", f"step {i}")
    assert [e.what for e in store.audit_log(limit=2)] == ["step 4", "step 3"]


def test_audit_entries_still_queued_when_the_store_closes_are_written_not_dropped(store_backend):
    # the trail's writer lingers to batch entries; closing the store right after queueing one used to drop it
    # (an ERROR from the writer thread, the entry lost) — now close() writes what is queued first
    store = store_backend.open()
    trail = trail_for(store)
    trail.record("U1", "question", {"text": "revenue last month"})
    store.close()
    assert trail.dropped == 0
    assert [(e.who, e.what) for e in store_backend.open().audit_entries()] == [("U1", "question")]
