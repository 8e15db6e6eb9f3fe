"""The durable store: seen event ids, thread context, follows and the loop's records.

SQLite in WAL mode with ``synchronous=FULL``: every public method commits before it
returns, so whatever a call reported as done survives a crash of the process right after.
One connection guarded by a lock serves all threads of a process (Bolt runs lazy
listeners on a thread pool); several processes may share the file, SQLite's own locks
(with a busy timeout) serialize them.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar

from metricloop.adapters.store_feedback import Comment, FeedbackStoreMixin
from metricloop.adapters.store_governance import GovernanceStoreMixin
from metricloop.adapters.store_inbox import InboxStoreMixin
from metricloop.adapters.store_loop import LoopStoreMixin, Notice
from metricloop.adapters.store_schedule import ScheduleStoreMixin
from metricloop.adapters.store_schema import (
    ACTION_STATUSES,
    ADJUSTMENT_KINDS,
    ALERT_STATUSES,
    MIGRATIONS,
    Acknowledgement,
    Adjustment,
    Alert,
    AuditEntry,
    CatalogVersion,
    CorrectiveAction,
)
from metricloop.adapters.store_taught import TaughtWordsStoreMixin
from metricloop.ports import AuditLog, FollowStore, LoopStore, ThreadStore

__all__ = [
    "Acknowledgement", "Adjustment", "Alert", "AuditEntry", "CatalogVersion", "Comment", "CorrectiveAction",
    "AuditLog", "FollowStore", "LoopStore", "Notice", "SQLiteStore", "Store", "ThreadStore", "memory_store",
]

Row = TypeVar("Row")
_BUSY_TIMEOUT_S = 10.0  # how long a writer waits for another process's write transaction
_JSON_COLUMNS = {"drivers", "payload", "detail", "slice", "contributors"}


class Store(ThreadStore, FollowStore, LoopStore, AuditLog, Protocol):
    """Everything ``SQLiteStore`` offers. Consumers depend on the small protocols in ``metricloop.ports``
    (threads & dedupe, follows, loop records, audit); this union is for code that wires all of them."""

    def record_catalog_version(self, digest: str, summary: str) -> CatalogVersion: ...
    def catalog_versions(self) -> list[CatalogVersion]: ...
    def close(self) -> None: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _statements(script: str) -> list[str]:
    """A migration script's statements, split where SQLite says a statement is complete (never inside a literal)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n\t;"):
        statements.append(pending.strip())
    return statements


class SQLiteStore(LoopStoreMixin, ScheduleStoreMixin, FeedbackStoreMixin, InboxStoreMixin, GovernanceStoreMixin,
                  TaughtWordsStoreMixin):
    """``Store`` on an SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str | Path, *, event_retention_days: int = 7,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._retention = timedelta(days=event_retention_days)
        self._lock = threading.RLock()
        self._last_prune: datetime | None = None
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so "returned" means "committed".
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                     timeout=_BUSY_TIMEOUT_S)
        self._conn.row_factory = sqlite3.Row
        self._use_wal()
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- plumbing -------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            if self._user_version() >= len(MIGRATIONS):
                return
            # Foreign keys off while migrating (SQLite's documented way to rebuild a referenced table, e.g.
            # alerts in migration 2); checked before each commit, and on again afterwards.
            self._conn.execute("PRAGMA foreign_keys=OFF")
            try:
                for number, script in enumerate(MIGRATIONS, start=1):
                    # One script per transaction: a crash mid-migration leaves the old version intact. The version
                    # is read again inside the write lock: two processes opening a fresh file at once both saw
                    # version 0, and the second ran migration 1 again ("table seen_events already exists").
                    self._conn.execute("BEGIN IMMEDIATE")
                    if self._user_version() >= number:
                        self._conn.execute("ROLLBACK")
                        continue
                    try:
                        for statement in _statements(script):
                            self._conn.execute(statement)
                        self._conn.execute(f"PRAGMA user_version={number}")
                        if self._conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                            raise RuntimeError(f"store migration {number} would break a foreign key")
                    except BaseException:
                        self._conn.execute("ROLLBACK")
                        raise
                    self._conn.execute("COMMIT")
            finally:
                self._conn.execute("PRAGMA foreign_keys=ON")

    def _use_wal(self) -> None:
        # Switching a fresh file to WAL needs it alone and SQLite's busy timeout does not cover that: two processes
        # opening the same new store at once saw "database is locked". Retry for as long as the busy timeout.
        deadline = time.monotonic() + _BUSY_TIMEOUT_S
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _user_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def schema_version(self) -> int:
        """The PRAGMA user_version the database is at."""
        with self._lock:
            return self._user_version()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _rows(self, cls: type[Row], sql: str, params: tuple = ()) -> list[Row]:
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
        return [cls(**{n: json.loads(r[n]) if n in _JSON_COLUMNS else r[n] for n in names}) for r in rows]

    def _one(self, cls: type[Row], table: str, row_id: int) -> Row:
        found = self._rows(cls, f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        if not found:
            raise KeyError(f"no {table} row with id {row_id}")
        return found[0]

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="microseconds")

    def close(self) -> None:
        """Close the connection (the data is already committed; audit entries queued for it are written first)."""
        self._write_queued_audit()
        with self._lock:
            self._conn.close()

    def _write_queued_audit(self) -> None:
        # audit.trail_for keeps this store's trail on it; entries still queued (its writer lingers to batch them)
        # would otherwise hit a closed connection and be dropped, whatever order a shutdown closes things in
        trail = getattr(self, "_audit_trail", None)
        if trail is not None:
            trail.flush()

    # -- idempotency ----------------------------------------------------------------------
    def claim_event(self, key: str) -> bool:
        """True only the first time ``key`` (a Slack event_id or interaction id) is seen."""
        now = self._clock()
        with self._tx() as conn:
            cur = conn.execute("INSERT OR IGNORE INTO seen_events(key, seen_at) VALUES (?, ?)", (key, self._now()))
        if self._last_prune is None or now - self._last_prune > timedelta(hours=1):
            self.prune_events()
        return cur.rowcount == 1

    def prune_events(self) -> int:
        """Forget keys older than the retention window (Slack retries within minutes)."""
        now = self._clock()
        cutoff = (now - self._retention).astimezone(UTC).isoformat(timespec="microseconds")
        with self._tx() as conn:
            removed = conn.execute("DELETE FROM seen_events WHERE seen_at < ?", (cutoff,)).rowcount
        self._last_prune = now
        return removed

    # -- thread context -------------------------------------------------------------------
    def save_thread(self, channel: str, thread_ts: str, state: dict[str, Any]) -> None:
        """Replace the stored context of a Slack thread (last MetricQuery, language, ...)."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO threads(channel, thread_ts, state, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(channel, thread_ts) DO UPDATE SET state = excluded.state, "
                "updated_at = excluded.updated_at",
                (channel, thread_ts, json.dumps(state, ensure_ascii=False), self._now()),
            )

    def load_thread(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        """The context saved for a thread, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT state FROM threads WHERE channel = ? AND thread_ts = ?", (channel, thread_ts)
            ).fetchone()
        return None if row is None else json.loads(row["state"])

    # -- follows --------------------------------------------------------------------------
    def _follow(self, kind: str, subject: str, metric: str) -> bool:
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO follows(kind, subject, metric, created_at) VALUES (?, ?, ?, ?)",
                (kind, subject, metric, self._now()),
            )
        return cur.rowcount == 1

    def _unfollow(self, kind: str, subject: str, metric: str) -> bool:
        with self._tx() as conn:
            cur = conn.execute(
                "DELETE FROM follows WHERE kind = ? AND subject = ? AND metric = ?", (kind, subject, metric)
            )
        return cur.rowcount == 1

    def _column(self, sql: str, params: tuple) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute(sql, params).fetchall()]

    def follow(self, user: str, metric: str) -> bool:
        """Subscribe a user to a metric's digest; False if already following."""
        return self._follow("user", user, metric)

    def unfollow(self, user: str, metric: str) -> bool:
        """Unsubscribe; False if the user was not following."""
        return self._unfollow("user", user, metric)

    def follows(self, user: str) -> list[str]:
        """Metrics a user follows, sorted."""
        return self._column("SELECT metric FROM follows WHERE kind='user' AND subject=? ORDER BY metric", (user,))

    def followers(self, metric: str) -> list[str]:
        """Users following a metric, sorted."""
        return self._column("SELECT subject FROM follows WHERE kind='user' AND metric=? ORDER BY subject", (metric,))

    def follow_channel(self, channel: str, metric: str) -> bool:
        """Subscribe a channel to a metric; False if already subscribed."""
        return self._follow("channel", channel, metric)

    def unfollow_channel(self, channel: str, metric: str) -> bool:
        """Unsubscribe a channel; False if it was not subscribed."""
        return self._unfollow("channel", channel, metric)

    def channel_follows(self, channel: str) -> list[str]:
        """Metrics a channel follows, sorted."""
        return self._column(
            "SELECT metric FROM follows WHERE kind='channel' AND subject=? ORDER BY metric", (channel,))

    def following_channels(self, metric: str) -> list[str]:
        """Channels following a metric, sorted."""
        return self._column(
            "SELECT subject FROM follows WHERE kind='channel' AND metric=? ORDER BY subject", (metric,))

    # -- alerts and acknowledgements --------------------------------------------------------
    def add_alert(self, metric: str, day: str | date, direction: str, *, value: float | None = None,
                  expected: float | None = None, score: float | None = None,
                  drivers: list[dict[str, Any]] | None = None, channel: str | None = None,
                  ts: str | None = None) -> Alert:
        """Record an alert; re-scanning the same (metric, day, direction) returns the existing one."""
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO alerts(metric, day, direction, value, expected, score, drivers, channel, ts,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (metric, str(day), direction, value, expected, score, json.dumps(drivers or [], ensure_ascii=False),
                 channel, ts, self._now()),
            )
            if cur.rowcount == 1:
                alert_id = cur.lastrowid
            else:
                alert_id = conn.execute("SELECT id FROM alerts WHERE metric=? AND slice='{}' AND day=? AND direction=?",
                                        (metric, str(day), direction)).fetchone()[0]
        return self._one(Alert, "alerts", alert_id)

    def get_alert(self, alert_id: int) -> Alert | None:
        """One alert by id, or None."""
        found = self._rows(Alert, "SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return found[0] if found else None

    def alerts(self, *, metric: str | None = None, status: str | None = None) -> list[Alert]:
        """Alerts, newest day first, optionally for one metric and/or status."""
        return self._rows(
            Alert,
            "SELECT * FROM alerts WHERE (?1 IS NULL OR metric = ?1) AND (?2 IS NULL OR status = ?2)"
            " ORDER BY day DESC, id DESC",
            (metric, status),
        )

    def _update(self, table: str, row_id: int, **values: Any) -> None:
        assignments = ", ".join(f"{k} = ?" for k in values)  # keys come from our own code, never from users
        with self._tx() as conn:
            if conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), row_id)).rowcount != 1:
                raise KeyError(f"no {table} row with id {row_id}")

    def set_alert_status(self, alert_id: int, status: str) -> Alert:
        """Move an alert to open / acknowledged / resolved."""
        if status not in ALERT_STATUSES:
            raise ValueError(f"alert status must be one of {ALERT_STATUSES}, not {status!r}")
        self._update("alerts", alert_id, status=status)
        return self._one(Alert, "alerts", alert_id)

    def set_alert_message(self, alert_id: int, channel: str, ts: str) -> Alert:
        """Remember where the alert's notice was posted (to update it in place later)."""
        self._update("alerts", alert_id, channel=channel, ts=ts)
        return self._one(Alert, "alerts", alert_id)

    def acknowledge(self, alert_id: int, user: str, note: str = "") -> Acknowledgement:
        """Record an acknowledgement and mark an open alert acknowledged, in one transaction.

        Idempotent per (alert, person): a click handled again after a crash (the inbox resumes what a dead
        process left unanswered, and Slack may deliver it once more) must not acknowledge twice."""
        with self._tx() as conn:
            if conn.execute("SELECT 1 FROM alerts WHERE id = ?", (alert_id,)).fetchone() is None:
                raise KeyError(f"no alerts row with id {alert_id}")
            seen = conn.execute("SELECT id FROM acknowledgements WHERE alert_id = ? AND user = ? ORDER BY id LIMIT 1",
                                (alert_id, user)).fetchone()
            if seen is not None:
                ack_id = seen[0]
            else:
                ack_id = conn.execute(
                    "INSERT INTO acknowledgements(alert_id, user, note, created_at) VALUES (?, ?, ?, ?)",
                    (alert_id, user, note, self._now()),
                ).lastrowid
            conn.execute("UPDATE alerts SET status = 'acknowledged' WHERE id = ? AND status = 'open'", (alert_id,))
        return self._one(Acknowledgement, "acknowledgements", ack_id)

    def acknowledgements(self, alert_id: int) -> list[Acknowledgement]:
        """Acknowledgements of one alert, oldest first."""
        return self._rows(Acknowledgement, "SELECT * FROM acknowledgements WHERE alert_id = ? ORDER BY id", (alert_id,))

    # -- corrective actions -----------------------------------------------------------------
    def add_action(self, alert_id: int, owner: str, due: str | date, plan: str) -> CorrectiveAction:
        """Open a corrective action on an alert."""
        now = self._now()
        with self._tx() as conn:
            action_id = conn.execute(
                "INSERT INTO actions(alert_id, owner, due, plan, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (alert_id, owner, str(due), plan, now, now),
            ).lastrowid
        return self._one(CorrectiveAction, "actions", action_id)

    def update_action(self, action_id: int, *, status: str | None = None,
                      review_result: str | None = None) -> CorrectiveAction:
        """Change an action's status and/or record the review's verdict."""
        if status is not None and status not in ACTION_STATUSES:
            raise ValueError(f"action status must be one of {ACTION_STATUSES}, not {status!r}")
        changes = {k: v for k, v in (("status", status), ("review_result", review_result)) if v is not None}
        self._update("actions", action_id, **changes, updated_at=self._now())
        return self._one(CorrectiveAction, "actions", action_id)

    def actions(self, *, alert_id: int | None = None, status: str | None = None,
                due_on_or_before: str | date | None = None) -> list[CorrectiveAction]:
        """Corrective actions by due date, filtered by alert, status and/or due date."""
        due = None if due_on_or_before is None else str(due_on_or_before)
        return self._rows(
            CorrectiveAction,
            "SELECT * FROM actions WHERE (?1 IS NULL OR alert_id = ?1) AND (?2 IS NULL OR status = ?2)"
            " AND (?3 IS NULL OR due <= ?3) ORDER BY due, id",
            (alert_id, status, due),
        )

    # -- adjustments, catalog versions, audit -------------------------------------------------
    def add_adjustment(self, metric: str, kind: str, payload: dict[str, Any], author: str) -> Adjustment:
        """Log an owner's adjustment (annotation / target / threshold / expected)."""
        if kind not in ADJUSTMENT_KINDS:
            raise ValueError(f"adjustment kind must be one of {ADJUSTMENT_KINDS}, not {kind!r}")
        with self._tx() as conn:
            adj_id = conn.execute(
                "INSERT INTO adjustments(metric, kind, payload, author, created_at) VALUES (?, ?, ?, ?, ?)",
                (metric, kind, json.dumps(payload, ensure_ascii=False), author, self._now()),
            ).lastrowid
        return self._one(Adjustment, "adjustments", adj_id)

    def adjustments(self, metric: str | None = None, kind: str | None = None) -> list[Adjustment]:
        """Adjustments oldest first (the history of a metric reads top-down)."""
        return self._rows(
            Adjustment,
            "SELECT * FROM adjustments WHERE (?1 IS NULL OR metric = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY id",
            (metric, kind),
        )

    def record_catalog_version(self, digest: str, summary: str) -> CatalogVersion:
        """Record a loaded catalog; loading the same digest again returns the latest record."""
        with self._tx() as conn:
            last = conn.execute("SELECT id, digest FROM catalog_versions ORDER BY id DESC LIMIT 1").fetchone()
            if last is not None and last["digest"] == digest:
                version_id = last["id"]
            else:
                version_id = conn.execute(
                    "INSERT INTO catalog_versions(digest, summary, created_at) VALUES (?, ?, ?)",
                    (digest, summary, self._now()),
                ).lastrowid
        return self._one(CatalogVersion, "catalog_versions", version_id)

    def catalog_versions(self) -> list[CatalogVersion]:
        """Catalog versions, oldest first."""
        return self._rows(CatalogVersion, "SELECT * FROM catalog_versions ORDER BY id")

    def audit(self, who: str, what: str, detail: dict[str, Any] | None = None) -> AuditEntry:
        """Append to the audit log."""
        with self._tx() as conn:
            entry_id = conn.execute(
                "INSERT INTO audit_log(who, what, detail, created_at) VALUES (?, ?, ?, ?)",
                (who, what, json.dumps(detail or {}, ensure_ascii=False), self._now()),
            ).lastrowid
        return self._one(AuditEntry, "audit_log", entry_id)

    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """The most recent audit entries, newest first."""
        return self._rows(AuditEntry, "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))


def memory_store(**kwargs: Any) -> SQLiteStore:
    """A throwaway store for tests: same code path as the file store, nothing on disk."""
    return SQLiteStore(":memory:", **kwargs)
