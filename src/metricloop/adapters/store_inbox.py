"""The store's inbox: every Slack delivery recorded as received (with its payload) until it is answered.

A delivery is claimed by the worker (process) that received it. ``receive`` says what to do with a
delivery that arrives:

- ``new``: first time seen — recorded with its payload, the caller answers it;
- ``duplicate``: already answered, or being answered by a worker that is still running — acknowledge only;
- ``retaken``: seen before, never answered, and its worker is gone (killed, or stopped before it finished)
  — this worker takes it over and answers it, late.

``mark_answered`` is called once the answer is posted. At start-up ``orphans`` lists what gone workers left
unanswered, which the app re-dispatches (each then goes through ``receive`` again, so two processes
starting together take each delivery once). A worker is gone when it said so (``stop_worker``), when its
process no longer runs on this host (adapters/process_id), or when its heartbeat is older than the lease.
A delivery that was taken ``max_attempts`` times, or is older than ``max_age``, is given up (``expired``):
a question that kills every worker that touches it must not kill every restart too.

Mixed into ``SQLiteStore``; uses its ``_tx`` / ``_lock`` / ``_conn`` / ``_clock`` / ``_now`` plumbing.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from metricloop.adapters.process_id import worker_running

log = logging.getLogger(__name__)
Receipt = Literal["new", "duplicate", "retaken"]
INBOX_STATUSES = ("received", "answered", "expired")


@dataclass(frozen=True)
class InboxEntry:
    """A delivery as recorded: its payload, who holds it, how often it was taken."""

    key: str
    payload: Any
    user: str | None
    received_at: str
    worker: str
    attempts: int
    status: str
    answered_at: str | None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


class InboxStoreMixin:
    """Durable deliveries: received → answered, taken over from workers that are gone."""

    worker_lease = dt.timedelta(seconds=30)  # a heartbeat older than this means the worker is gone
    max_attempts = 3
    max_age = dt.timedelta(hours=24)
    # Whether a worker id names a process still running (None: cannot tell); replaced in tests.
    worker_probe: Callable[[str], bool | None] = staticmethod(worker_running)

    # -- workers ----------------------------------------------------------------------------------
    def register_worker(self, worker: str) -> None:
        """Start (or restart) a worker's heartbeat."""
        with self._tx() as conn:
            conn.execute("INSERT INTO workers(id, heartbeat_at, stopped_at) VALUES (?, ?, NULL) "
                         "ON CONFLICT(id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, stopped_at = NULL",
                         (worker, self._now()))

    heartbeat = register_worker  # a heartbeat is the same write

    def stop_worker(self, worker: str) -> None:
        """The worker stops: whatever it holds unanswered may be taken over at once."""
        with self._tx() as conn:
            conn.execute("UPDATE workers SET stopped_at = ? WHERE id = ?", (self._now(), worker))

    def _worker_gone(self, conn: Any, worker: str) -> bool:
        row = conn.execute("SELECT heartbeat_at, stopped_at FROM workers WHERE id = ?", (worker,)).fetchone()
        if row is None or row["stopped_at"] is not None:
            return True
        running = type(self).worker_probe(worker)
        if running is not None:
            return not running
        return row["heartbeat_at"] < _iso(self._clock() - self.worker_lease)

    # -- deliveries -------------------------------------------------------------------------------
    def receive(self, key: str, payload: Any, worker: str, *, user: str | None = None) -> Receipt:
        """Record a delivery as received by `worker`, or say it is a duplicate, or take it over (see module)."""
        with self._tx() as conn:
            row = conn.execute("SELECT status, worker, attempts, received_at FROM inbox WHERE key = ?",
                               (key,)).fetchone()
            if row is None:
                conn.execute("INSERT INTO inbox(key, payload, user, received_at, worker, attempts, status) "
                             "VALUES (?, ?, ?, ?, ?, 1, 'received')",
                             (key, json.dumps(payload, ensure_ascii=False), user, self._now(), worker))
                return "new"
            if row["status"] != "received" or row["worker"] == worker or not self._worker_gone(conn, row["worker"]):
                return "duplicate"
            if row["attempts"] >= self.max_attempts or row["received_at"] < _iso(self._clock() - self.max_age):
                conn.execute("UPDATE inbox SET status = 'expired' WHERE key = ?", (key,))
                log.warning("delivery %s given up after %d attempts (received %s)", key, row["attempts"],
                            row["received_at"])
                return "duplicate"
            conn.execute("UPDATE inbox SET worker = ?, attempts = attempts + 1 WHERE key = ?", (worker, key))
            return "retaken"

    def mark_answered(self, key: str) -> bool:
        """The answer to `key` is posted; False if it was not open (already answered, expired, unknown)."""
        with self._tx() as conn:
            cur = conn.execute("UPDATE inbox SET status = 'answered', answered_at = ? "
                               "WHERE key = ? AND status = 'received'", (self._now(), key))
        return cur.rowcount == 1

    def orphans(self, limit: int = 1000) -> list[InboxEntry]:
        """Received, never answered, held by workers that are gone: oldest first."""
        with self._lock:
            rows = self._conn.execute("SELECT * FROM inbox WHERE status = 'received' ORDER BY received_at, key "
                                      "LIMIT ?", (limit,)).fetchall()
            gone = {w: self._worker_gone(self._conn, w) for w in {r["worker"] for r in rows}}
        return [self._entry(r) for r in rows if gone[r["worker"]]]

    def inbox_entry(self, key: str) -> InboxEntry | None:
        """The recorded delivery, or None."""
        with self._lock:
            row = self._conn.execute("SELECT * FROM inbox WHERE key = ?", (key,)).fetchone()
        return None if row is None else self._entry(row)

    def prune_inbox(self, keep: dt.timedelta = dt.timedelta(days=7)) -> int:
        """Forget answered and expired deliveries older than `keep` (Slack retries within minutes)."""
        with self._tx() as conn:
            return conn.execute("DELETE FROM inbox WHERE status != 'received' AND received_at < ?",
                                (_iso(self._clock() - keep),)).rowcount

    @staticmethod
    def _entry(row: Any) -> InboxEntry:
        return InboxEntry(key=row["key"], payload=json.loads(row["payload"]), user=row["user"],
                          received_at=row["received_at"], worker=row["worker"], attempts=row["attempts"],
                          status=row["status"], answered_at=row["answered_at"])
