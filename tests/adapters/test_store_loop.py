"""The store's loop records: migration from version 1 with old alerts, the slice in the natural key,
and the notices outbox (stored once, pending until posted, survives a reopen)."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.store_schema import MIGRATIONS
from metricloop.core.loop.anomaly import Anomaly, FreshnessProblem, make_slice
from metricloop.core.loop.contributors import Contribution

DAY = dt.date(2026, 3, 20)


def anomaly(slice_: dict | None = None, direction: str = "down", day: dt.date = DAY) -> Anomaly:
    return Anomaly(metric="orders", day=day, value=15.0, expected=190.0, lower=150.0, upper=230.0, severity=-11.0,
                   direction=direction, slice=make_slice(slice_),
                   contributors=(Contribution("order__region", "West", 20.0, 60.0, -40.0, 0.7),),
                   drivers=("sessions",), definition="abc123")


def version_1_store(path) -> None:
    """A store as version 1 left it: an alert with an acknowledgement and an action pointing at it."""
    con = sqlite3.connect(path, isolation_level=None)
    con.executescript(f"BEGIN; {MIGRATIONS[0]} PRAGMA user_version=1; COMMIT;")
    con.execute("INSERT INTO alerts(metric, day, direction, value, expected, score, drivers, status, channel, ts,"
                " created_at) VALUES ('orders', '2026-03-20', 'down', 15, 190, -9.5, '[{\"region\": \"West\"}]',"
                " 'acknowledged', 'C1', '111.1', '2026-03-21T06:30:00')")
    con.execute("INSERT INTO acknowledgements(alert_id, user, note, created_at) VALUES (1, 'U1', 'seen', 'x')")
    con.execute("INSERT INTO actions(alert_id, owner, due, plan, created_at, updated_at)"
                " VALUES (1, 'U1', '2026-03-27', 'fix checkout', 'x', 'x')")
    con.close()


def test_migration_from_version_1_keeps_old_alerts_and_what_points_at_them(tmp_path):
    path = tmp_path / "old.sqlite"
    version_1_store(path)
    store = SQLiteStore(path)
    assert store.schema_version == len(MIGRATIONS)
    [old] = store.alerts()
    assert (old.id, old.metric, old.day, old.direction, old.status, old.channel, old.ts, old.slice, old.score) == (
        1, "orders", "2026-03-20", "down", "acknowledged", "C1", "111.1", {}, -9.5)
    assert old.drivers == [{"region": "West"}]
    assert [a.note for a in store.acknowledgements(1)] == ["seen"]
    assert [a.plan for a in store.actions(alert_id=1)] == ["fix checkout"]
    # the old whole-metric alert and a new slice alert on the same day and direction are different keys
    alert, created = store.record_anomaly(anomaly({"order__region": "West"}))
    assert created and alert.id != 1
    # the whole-metric anomaly of that key already exists: no second alert, no notice
    again, created = store.record_anomaly(anomaly())
    assert (again.id, created) == (1, False)
    assert [n.key for n in store.pending_notices()] == [anomaly({"order__region": "West"}).key()]
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced again after the migration
        store._conn.execute("INSERT INTO acknowledgements(alert_id, user, note, created_at) VALUES (99, 'U', '', 'x')")


def test_an_anomaly_is_recorded_once_with_its_band_contributors_and_one_pending_notice(store):
    first, created = store.record_anomaly(anomaly())
    assert created
    assert (first.slice, first.lower, first.upper, first.severity, first.definition) == ({}, 150.0, 230.0, -11.0,
                                                                                         "abc123")
    assert first.drivers == ["sessions"]
    assert first.contributors[0]["value"] == "West" and first.contributors[0]["share"] == 0.7
    for variant in (anomaly(), anomaly()):
        assert store.record_anomaly(variant) == (first, False)
    assert store.record_anomaly(anomaly(direction="up"))[1] is True
    assert store.record_anomaly(anomaly(day=DAY + dt.timedelta(days=1)))[1] is True
    assert store.record_anomaly(anomaly({"order__region": "East"}))[1] is True
    pending = store.pending_notices()
    assert len(pending) == 4 == len(store.alerts())
    assert pending[0].kind == "anomaly" and pending[0].alert_id == first.id
    assert pending[0].payload["slice"] == {} and pending[0].payload["alert_id"] == first.id


def test_posted_notices_leave_the_outbox_and_the_alert_remembers_the_message(store_backend):
    store = store_backend.open()
    alert, _ = store.record_anomaly(anomaly())
    problem = FreshnessProblem(model="orders", expected_day=DAY, latest_day=DAY - dt.timedelta(days=1),
                               metrics=("orders", "revenue"))
    assert store.record_freshness(problem) is True
    assert store.record_freshness(problem) is False
    assert [n.kind for n in store.pending_notices()] == ["anomaly", "freshness"]
    assert store.mark_notice_posted(anomaly().key(), "C9", "123.4") is True
    assert store.mark_notice_posted(anomaly().key(), "C9", "999.9") is False  # a second poster loses
    reopened = store_backend.open()
    assert [n.kind for n in reopened.pending_notices()] == ["freshness"]
    assert reopened.pending_notices()[0].payload == {"model": "orders", "expected_day": "2026-03-20",
                                                     "latest_day": "2026-03-19", "metrics": ["orders", "revenue"]}
    posted = reopened.get_alert(alert.id)
    assert (posted.channel, posted.ts) == ("C9", "123.4")
    assert [n.posted_at is not None for n in reopened.notices()] == [True, False]
    with pytest.raises(KeyError):
        reopened.mark_notice_posted("no such key", "C9", "1.0")


def test_add_alert_still_keys_whole_metric_alerts_by_metric_day_direction(store):
    a = store.add_alert("refunds", "2025-06-02", "up", value=90.0)
    store.record_anomaly(Anomaly(metric="refunds", day=dt.date(2025, 6, 2), value=1, expected=0, lower=0, upper=0.5,
                                 severity=5, direction="up", slice=make_slice({"order__region": "East"})))
    assert store.add_alert("refunds", "2025-06-02", "up").id == a.id
