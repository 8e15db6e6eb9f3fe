"""The store's part of the LOOP path: anomalies recorded once by natural key, and the notices outbox.

A scan records each anomaly and its notice in ONE transaction; a notice is posted later by whoever drains
the outbox (`loop.outbox.post_pending`). So a crash between storing and posting loses nothing (the notice
stays pending and is posted after restart), and re-running a scan creates nothing twice (the alert's natural
key, metric + slice + day + direction, and the notice's key are both UNIQUE).

Mixed into ``SQLiteStore``; uses its ``_tx`` / ``_rows`` / ``_one`` / ``_now`` plumbing.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from metricloop.adapters.process_id import worker_running
from metricloop.adapters.store_schema import Alert

if TYPE_CHECKING:
    from metricloop.core.loop.anomaly import Anomaly, FreshnessProblem

NOTICE_KINDS = ("anomaly", "freshness", "review", "digest", "changelog")  # changelog: adapters/store_governance
# A post attempt whose worker cannot be seen (another host) is taken over after this long; a worker known dead
# on this host (adapters/process_id) at once. Posting one notice takes seconds, never minutes.
POSTING_LEASE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Notice:
    """One message waiting to be posted (``posted_at`` None) or already posted (channel and ts set)."""

    key: str
    kind: str
    payload: dict[str, Any]
    alert_id: int | None
    channel: str | None
    ts: str | None
    created_at: str
    posted_at: str | None
    attempts: int = 0  # post attempts started (claim_notice); > 0 while pending: it may already be in Slack


def _contribution(c: Any) -> dict[str, Any]:
    return {"dimension": c.dimension, "value": c.value, "actual": c.actual, "expected": c.expected,
            "change": c.change, "share": c.share}


class LoopStoreMixin:
    """``record_anomaly``, ``record_freshness``, ``pending_notices``, ``notices``, ``claim_notice``,
    ``mark_notice_posted``."""

    # provided by SQLiteStore
    _conn: sqlite3.Connection
    _lock: Any
    _tx: Any
    _one: Any
    _now: Any
    _clock: Any

    def record_anomaly(self, anomaly: Anomaly) -> tuple[Alert, bool]:
        """Store an anomaly as an alert plus its pending notice, atomically. Returns (alert, created):
        a second call with the same natural key returns the first alert and created=False, and queues
        no second notice."""
        slice_json = json.dumps(anomaly.slice_dict, sort_keys=True, ensure_ascii=False)
        contributors = [_contribution(c) for c in anomaly.contributors]
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO alerts(metric, slice, day, direction, value, expected, score, drivers,"
                " created_at, lower, upper, severity, contributors, definition)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (anomaly.metric, slice_json, anomaly.day.isoformat(), anomaly.direction, anomaly.value,
                 anomaly.expected, anomaly.severity, json.dumps(list(anomaly.drivers), ensure_ascii=False),
                 self._now(), anomaly.lower, anomaly.upper, anomaly.severity,
                 json.dumps(contributors, ensure_ascii=False), anomaly.definition),
            )
            created = cur.rowcount == 1
            if created:
                alert_id = cur.lastrowid
                payload = {**anomaly.to_json(), "alert_id": alert_id}
                self._queue(conn, anomaly.key(), "anomaly", payload, alert_id)
            else:
                alert_id = conn.execute(
                    "SELECT id FROM alerts WHERE metric=? AND slice=? AND day=? AND direction=?",
                    (anomaly.metric, slice_json, anomaly.day.isoformat(), anomaly.direction)).fetchone()[0]
        return self._one(Alert, "alerts", alert_id), created

    def record_freshness(self, problem: FreshnessProblem) -> bool:
        """Queue one data-freshness notice per model and expected day; False when it was already queued."""
        payload = {"model": problem.model, "expected_day": problem.expected_day.isoformat(),
                   "latest_day": problem.latest_day.isoformat() if problem.latest_day else None,
                   "metrics": list(problem.metrics)}
        with self._tx() as conn:
            return self._queue(conn, problem.key(), "freshness", payload, None)

    def queue_notice(self, key: str, kind: str, payload: dict[str, Any]) -> bool:
        """Queue any other notice (review verdicts, digests) under its own natural key."""
        with self._tx() as conn:
            return self._queue(conn, key, kind, payload, None)

    def _queue(self, conn: sqlite3.Connection, key: str, kind: str, payload: dict[str, Any],
               alert_id: int | None) -> bool:
        if kind not in NOTICE_KINDS:
            raise ValueError(f"notice kind must be one of {NOTICE_KINDS}, not {kind!r}")
        cur = conn.execute(
            "INSERT OR IGNORE INTO notices(key, kind, payload, alert_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (key, kind, json.dumps(payload, ensure_ascii=False, default=str), alert_id, self._now()))
        return cur.rowcount == 1

    def _notices(self, where: str, params: tuple = ()) -> list[Notice]:
        with self._lock:
            rows = self._conn.execute(f"SELECT * FROM notices {where} ORDER BY created_at, key", params).fetchall()
        return [Notice(key=r["key"], kind=r["kind"], payload=json.loads(r["payload"]), alert_id=r["alert_id"],
                       channel=r["channel"], ts=r["ts"], created_at=r["created_at"], posted_at=r["posted_at"],
                       attempts=r["attempts"])
                for r in rows]

    def pending_notices(self, kind: str | None = None) -> list[Notice]:
        """Notices stored but not yet posted, oldest first (optionally of one kind)."""
        if kind is None:
            return self._notices("WHERE posted_at IS NULL")
        return self._notices("WHERE posted_at IS NULL AND kind = ?", (kind,))

    def notices(self) -> list[Notice]:
        """Every notice, posted or not, oldest first."""
        return self._notices("")

    def claim_notice(self, key: str, worker: str) -> str | None:
        """Record that ``worker`` starts posting a notice, BEFORE it posts. Returns "first" (no attempt
        before: post it), "retry" (an earlier attempt may have reached Slack: look for it before posting) or
        None (already posted, or another worker that is still running is posting it now)."""
        with self._tx() as conn:
            row = conn.execute("SELECT posted_at, posting_by, posting_at, attempts FROM notices WHERE key = ?",
                               (key,)).fetchone()
            if row is None:
                raise KeyError(f"no notice with key {key!r}")
            if row["posted_at"] is not None:
                return None
            holder = row["posting_by"]
            if holder and holder != worker and not self._attempt_abandoned(holder, row["posting_at"]):
                return None
            conn.execute("UPDATE notices SET posting_by = ?, posting_at = ?, attempts = attempts + 1 WHERE key = ?",
                         (worker, self._now(), key))
        return "retry" if row["attempts"] else "first"

    def _attempt_abandoned(self, holder: str, since: str | None) -> bool:
        running = worker_running(holder)
        if running is not None:
            return not running
        cutoff = (self._clock() - POSTING_LEASE).astimezone(dt.UTC).isoformat(timespec="microseconds")
        return since is None or since < cutoff

    def mark_notice_posted(self, key: str, channel: str, ts: str) -> bool:
        """Record where a notice was posted; its alert (if any) remembers the message too, so buttons and
        ``chat.update`` find it. False when the notice was already marked (a second poster lost the race)."""
        with self._tx() as conn:
            row = conn.execute("SELECT alert_id, posted_at FROM notices WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise KeyError(f"no notice with key {key!r}")
            if row["posted_at"] is not None:
                return False
            conn.execute("UPDATE notices SET channel = ?, ts = ?, posted_at = ? WHERE key = ?",
                         (channel, ts, self._now(), key))
            if row["alert_id"] is not None:
                conn.execute("UPDATE alerts SET channel = ?, ts = ? WHERE id = ?", (channel, ts, row["alert_id"]))
        return True
