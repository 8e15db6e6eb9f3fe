"""The store's part of the scheduler: job runs claimed once per fire time, a leader lease, digests sent once.

- ``claim_run(job, fire_time)`` inserts (job, fire time) under a primary key: whoever inserts first runs that
  fire; a second process, or the same one after a restart, gets False. The latest claimed fire per job is the
  scheduler's persistent "last run", from which missed fires are computed (loop/jobs.py).
- ``acquire_lease`` gives one holder at a time a named lease until it expires; the holder renews it, and any
  other process takes it over once it has expired (a crashed leader blocks nobody for long).
- ``claim_digest(target, day)`` makes sending a digest idempotent: a claim that never reached ``sent`` (the
  process died mid-post) may be taken again after ``stale_after``.

Times are passed in by the caller (its Clock), so a test's fixed clock drives leases and runs. They are stored
as UTC ISO strings of one fixed width, so comparing the text compares the moments.

Mixed into ``SQLiteStore``; uses its ``_tx`` / ``_lock`` / ``_conn`` / ``_now`` plumbing.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

JOB_STATUSES = ("running", "done", "failed", "missed")


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("scheduler times must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class JobRun:
    """One fire of a scheduled job: claimed (running), then done / failed, or missed (too late to run)."""

    job: str
    fire_time: dt.datetime
    status: str
    holder: str
    started_at: str
    finished_at: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    expires_at: dt.datetime


class ScheduleStoreMixin:
    """Job runs, the leader lease and sent digests (see the module docstring)."""

    # provided by SQLiteStore
    _conn: sqlite3.Connection
    _lock: Any
    _tx: Any
    _now: Any

    # -- job runs -----------------------------------------------------------------------------------------
    def claim_run(self, job: str, fire_time: dt.datetime, holder: str, *, status: str = "running") -> bool:
        """Record that `holder` handles `job`'s fire at `fire_time`; False when that fire was already claimed."""
        if status not in JOB_STATUSES:
            raise ValueError(f"job status must be one of {JOB_STATUSES}, not {status!r}")
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO job_runs(job, fire_time, status, holder, started_at) VALUES (?, ?, ?, ?, ?)",
                (job, _iso(fire_time), status, holder, self._now()))
        return cur.rowcount == 1

    def finish_run(self, job: str, fire_time: dt.datetime, status: str, detail: dict[str, Any] | None = None) -> None:
        """Close a claimed run as done or failed, with a small JSON detail (counts, error id)."""
        if status not in JOB_STATUSES:
            raise ValueError(f"job status must be one of {JOB_STATUSES}, not {status!r}")
        with self._tx() as conn:
            conn.execute("UPDATE job_runs SET status = ?, finished_at = ?, detail = ? WHERE job = ? AND fire_time = ?",
                         (status, self._now(), json.dumps(detail or {}, ensure_ascii=False, default=str),
                          job, _iso(fire_time)))

    def last_fire(self, job: str) -> dt.datetime | None:
        """The latest fire time of `job` that was claimed (run, failed or missed), or None."""
        with self._lock:
            row = self._conn.execute("SELECT MAX(fire_time) FROM job_runs WHERE job = ?", (job,)).fetchone()
        return _moment(row[0]) if row and row[0] else None

    def job_runs(self, job: str | None = None, limit: int = 100) -> list[JobRun]:
        """Runs, newest fire first, optionally of one job."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM job_runs WHERE (?1 IS NULL OR job = ?1) ORDER BY fire_time DESC, job LIMIT ?2",
                (job, limit)).fetchall()
        return [JobRun(r["job"], _moment(r["fire_time"]), r["status"], r["holder"], r["started_at"],
                       r["finished_at"], json.loads(r["detail"])) for r in rows]

    # -- leader lease -------------------------------------------------------------------------------------
    def _claim_alive(self, name: str) -> None:
        """Make `name` known as alive for as long as this process runs; a no-op where the store cannot tell
        (SQLite). PostgresStore holds a session advisory lock."""

    def _peer_alive(self, conn: Any, name: str) -> bool | None:  # noqa: ARG002 - the PostgreSQL store's hook
        """Whether the process that claimed `name` still runs: None when the store cannot tell (SQLite), and
        the lease waits for its expiry."""
        return None

    def acquire_lease(self, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """Take or renew lease `name` for `holder` until now + ttl. True when `holder` holds it afterwards:
        it was free, expired, already `holder`'s, or its holder is known to be dead (``_peer_alive``)."""
        self._claim_alive(holder)
        with self._tx() as conn:
            row = conn.execute("SELECT holder, expires_at FROM leases WHERE name = ?", (name,)).fetchone()
            if (row is not None and row["holder"] != holder and row["expires_at"] > _iso(now)
                    and self._peer_alive(conn, row["holder"]) is not False):
                return False
            conn.execute(
                "INSERT INTO leases(name, holder, expires_at, acquired_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET expires_at = excluded.expires_at, holder = excluded.holder, "
                "acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at "
                "ELSE excluded.acquired_at END",
                (name, holder, _iso(now + ttl), _iso(now)))
        return True

    def release_lease(self, name: str, holder: str) -> bool:
        """Give the lease up (a clean shutdown), so another process need not wait for it to expire."""
        with self._tx() as conn:
            return conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder)).rowcount == 1

    def lease(self, name: str) -> Lease | None:
        """Who holds lease `name` and until when (possibly expired), or None."""
        with self._lock:
            row = self._conn.execute("SELECT * FROM leases WHERE name = ?", (name,)).fetchone()
        return None if row is None else Lease(row["name"], row["holder"], _moment(row["expires_at"]))

    # -- digests sent ---------------------------------------------------------------------------------------
    def claim_digest(self, target: str, day: str | dt.date, now: dt.datetime,
                     stale_after: dt.timedelta = dt.timedelta(minutes=30)) -> bool:
        """True when the caller may send `target`'s digest for `day`: never claimed, or claimed by a sender
        that never finished and is older than `stale_after`. A sent (or empty) digest is never claimed again."""
        with self._tx() as conn:
            row = conn.execute("SELECT status, claimed_at FROM digests_sent WHERE target = ? AND day = ?",
                               (target, str(day))).fetchone()
            if row is not None and (row["status"] != "sending" or row["claimed_at"] > _iso(now - stale_after)):
                return False
            conn.execute("INSERT INTO digests_sent(target, day, status, claimed_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(target, day) DO UPDATE SET status = excluded.status, "
                         "claimed_at = excluded.claimed_at, channel = NULL, ts = NULL",  # a fresh claim, portably
                         (target, str(day), "sending", _iso(now)))
        return True

    def finish_digest(self, target: str, day: str | dt.date, *, channel: str | None = None, ts: str | None = None,
                      empty: bool = False) -> None:
        """Mark a claimed digest sent (where it was posted), or empty (nothing to say: never sent)."""
        with self._tx() as conn:
            conn.execute("UPDATE digests_sent SET status = ?, channel = ?, ts = ? WHERE target = ? AND day = ?",
                         ("empty" if empty else "sent", channel, ts, target, str(day)))

    def release_digest(self, target: str, day: str | dt.date) -> None:
        """Drop a claim that did not end in a post (the post failed), so a later run may send the digest."""
        with self._tx() as conn:
            conn.execute("DELETE FROM digests_sent WHERE target = ? AND day = ? AND status = 'sending'",
                         (target, str(day)))

    def digests_sent(self, day: str | dt.date | None = None) -> list[dict[str, Any]]:
        """Digest records (target, day, status, channel, ts), optionally for one day."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT target, day, status, channel, ts FROM digests_sent WHERE (?1 IS NULL OR day = ?1) "
                "ORDER BY day, target", (None if day is None else str(day),)).fetchall()
        return [dict(r) for r in rows]

    # -- action reviews -------------------------------------------------------------------------------------
    def extend_action(self, action_id: int, due: str | dt.date) -> None:
        """Move an action's due date and clear its verdict, so it is reviewed again on the new date."""
        with self._tx() as conn:
            cur = conn.execute("UPDATE actions SET due = ?, review_result = NULL, status = 'open', updated_at = ? "
                               "WHERE id = ?", (str(due), self._now(), action_id))
            if cur.rowcount != 1:
                raise KeyError(f"no actions row with id {action_id}")
