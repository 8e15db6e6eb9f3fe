"""The durable store on PostgreSQL, shared by several `metricloop serve` processes (METRICLOOP_STORE_URL).

``PostgresStore`` is ``SQLiteStore`` with another connection: every store method (adapters/store*.py) runs as
written, through the dialect layer (adapters/store_dialect.py). What differs is the plumbing:

- migrations: ``POSTGRES_MIGRATIONS`` (adapters/store_schema_postgres.py, one per SQLite migration), the
  version kept in ``schema_migrations``; a session advisory lock lets one process migrate while a second one
  starting at the same moment waits;
- write transactions: each takes a transaction advisory lock first, so writes are serialised across
  processes exactly as SQLite's ``BEGIN IMMEDIATE`` serialises them. The store's read-check-write methods
  (the inbox's receive, the lease, notice claims) are therefore as atomic here as on SQLite, without
  retry loops; reads are not blocked. The store carries a few writes per Slack delivery: one writer at a
  time is far from a limit;
- liveness: a process holding the scheduler lease also holds a session advisory lock named after itself.
  PostgreSQL drops it the moment that session ends (the process died), so another process takes an
  unexpired lease at once instead of waiting for it to expire (``_peer_alive``);
- a dropped connection (a database restart) is reopened on the next call outside a transaction.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import psycopg

from metricloop.adapters.store import SQLiteStore, _utcnow
from metricloop.adapters.store_dialect import PgConnection, pg_row_factory
from metricloop.adapters.store_schema_postgres import POSTGRES_MIGRATIONS

_WRITE_LOCK = 0x6D6C5354  # "mlST": one writer at a time, as SQLite
_MIGRATE_LOCK = 0x6D6C4D47  # "mlMG": one migrator at a time


class _ReconnectingConnection(PgConnection):
    """PgConnection that reopens a broken connection before a statement run outside a transaction."""

    def __init__(self, connect: Callable[[], Any], on_connect: Callable[[], None]) -> None:
        super().__init__(connect())
        self._connect, self._on_connect = connect, on_connect
        self.in_transaction = False

    def ensure_open(self) -> None:
        """Reopen the connection if the server dropped it (never inside a transaction: that one failed)."""
        if (self.raw.closed or self.raw.broken) and not self.in_transaction:
            self.raw = self._connect()
            self._on_connect()

    def execute(self, sql: str, params: Any = ()) -> Any:
        """Run a statement; outside a transaction a dropped connection is reopened and the read retried once."""
        self.ensure_open()
        try:
            return super().execute(sql, params)
        except psycopg.OperationalError:
            if self.in_transaction or not self.raw.broken:
                raise
            self.ensure_open()
            return super().execute(sql, params)


class PostgresStore(SQLiteStore):
    """``Store`` on a PostgreSQL database named by a ``postgresql://`` URL (see the module docstring)."""

    def __init__(self, url: str, *, event_retention_days: int = 7,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.path = self.url = url
        self._clock = clock
        self._retention = timedelta(days=event_retention_days)
        self._lock = threading.RLock()
        self._last_prune: datetime | None = None
        self._alive_names: set[str] = set()
        self._conn = _ReconnectingConnection(self._open, self._reclaim_alive)
        self._migrate()

    def _open(self) -> Any:
        # autocommit: transactions are explicit (`_tx`), so "returned" means "committed", as on SQLite;
        # ClientCursor binds parameters in the client, as sqlite3 does (see store_dialect)
        return psycopg.connect(self.url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                               row_factory=pg_row_factory, connect_timeout=10)

    # -- plumbing -------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            raw = self._conn.raw
            raw.execute("SELECT pg_advisory_lock(%s)", (_MIGRATE_LOCK,))
            try:
                raw.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                            "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
                version = self._version()
                for number, script in enumerate(POSTGRES_MIGRATIONS[version:], start=version + 1):
                    with raw.transaction():  # one script per transaction: a failure leaves the old version
                        raw.execute(script)
                        raw.execute("INSERT INTO schema_migrations(version, applied_at) VALUES (%s, %s)",
                                    (number, self._now()))
            finally:
                raw.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATE_LOCK,))

    def _version(self) -> int:
        row = self._conn.raw.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        return int(row[0])

    @property
    def schema_version(self) -> int:
        """The last migration applied (the same numbering as the SQLite store's user_version)."""
        with self._lock:
            self._conn.ensure_open()
            return self._version()

    @contextmanager
    def _tx(self) -> Iterator[PgConnection]:
        with self._lock:
            self._conn.ensure_open()
            raw = self._conn.raw
            self._conn.in_transaction = True
            try:
                with raw.transaction():
                    raw.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                    yield self._conn
            finally:
                self._conn.in_transaction = False

    def close(self) -> None:
        """Close the connection (the data is already committed; session locks are released; audit entries queued
        for it are written first)."""
        self._write_queued_audit()
        with self._lock:
            self._conn.raw.close()

    # -- liveness (the scheduler lease) ---------------------------------------------------------------
    def _claim_alive(self, name: str) -> None:
        """Hold a session advisory lock named `name` for as long as this store's session lives."""
        with self._lock:
            if name not in self._alive_names:
                self._alive_names.add(name)
                self._lock_alive(name)

    def _lock_alive(self, name: str) -> None:
        self._conn.raw.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (f"metricloop:{name}",))

    def _reclaim_alive(self) -> None:
        for name in self._alive_names:  # a new session holds none of the old one's locks
            self._lock_alive(name)

    def _peer_alive(self, conn: PgConnection, name: str) -> bool | None:
        """Whether the process that claimed `name` still has its session open (see ``_claim_alive``)."""
        if name in self._alive_names:
            return True
        key = f"metricloop:{name}"
        got = conn.raw.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()[0]
        if got:  # nobody holds it: its session is gone
            conn.raw.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
        return not got
