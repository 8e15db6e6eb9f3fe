"""The durable store's schema (migrations keyed by PRAGMA user_version) and its row types.

Rows are plain frozen dataclasses so that callers never see sqlite3.Row objects and so
that the in-memory and on-disk stores return identical values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Each entry moves the schema from version i to i+1. Never edit an entry that has shipped:
# append a new one, because existing databases only replay what they have not yet seen.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE seen_events (
        key TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL
    );
    CREATE INDEX seen_events_at ON seen_events(seen_at);
    CREATE TABLE threads (
        channel TEXT NOT NULL,
        thread_ts TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (channel, thread_ts)
    );
    CREATE TABLE follows (
        kind TEXT NOT NULL CHECK (kind IN ('user', 'channel')),
        subject TEXT NOT NULL,
        metric TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kind, subject, metric)
    );
    CREATE INDEX follows_metric ON follows(metric, kind);
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric TEXT NOT NULL,
        day TEXT NOT NULL,
        direction TEXT NOT NULL,
        value REAL,
        expected REAL,
        score REAL,
        drivers TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
        channel TEXT,
        ts TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (metric, day, direction)
    );
    CREATE TABLE acknowledgements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        user TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        owner TEXT NOT NULL,
        due TEXT NOT NULL,
        plan TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        review_result TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE adjustments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('annotation', 'target', 'threshold', 'expected')),
        payload TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX adjustments_metric ON adjustments(metric, created_at);
    CREATE TABLE catalog_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        digest TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        who TEXT NOT NULL,
        what TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    """,
)

ALERT_STATUSES = ("open", "acknowledged", "resolved")
ACTION_STATUSES = ("open", "done", "cancelled")
ADJUSTMENT_KINDS = ("annotation", "target", "threshold", "expected")


@dataclass(frozen=True)
class Alert:
    """A detected anomaly on one metric and day, and where its notice was posted."""

    id: int
    metric: str
    day: str  # ISO date of the scanned day
    direction: str  # "up" | "down"
    value: float | None
    expected: float | None
    score: float | None
    drivers: list[dict[str, Any]] = field(default_factory=list)
    status: str = "open"
    channel: str | None = None
    ts: str | None = None
    created_at: str = ""


@dataclass(frozen=True)
class Acknowledgement:
    """Someone saw an alert and said so, optionally with a note."""

    id: int
    alert_id: int
    user: str
    note: str
    created_at: str


@dataclass(frozen=True)
class CorrectiveAction:
    """A plan with an owner and a due date, later reviewed against the metric."""

    id: int
    alert_id: int
    owner: str
    due: str  # ISO date
    plan: str
    status: str
    review_result: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Adjustment:
    """An owner's change to how a metric is read: annotation, target, threshold or expected mark."""

    id: int
    metric: str
    kind: str
    payload: dict[str, Any]
    author: str
    created_at: str


@dataclass(frozen=True)
class CatalogVersion:
    """A loaded catalog, identified by the digest of its files."""

    id: int
    digest: str
    summary: str
    created_at: str


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when."""

    id: int
    who: str
    what: str
    detail: dict[str, Any]
    created_at: str
