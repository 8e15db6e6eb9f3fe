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
    # 2: an alert's natural key includes its slice (metric + slice + day + direction), alerts carry the band,
    # severity, contributors and definition, and a notices outbox holds every notice until it is posted.
    # SQLite cannot change a UNIQUE constraint in place: the table is rebuilt and its rows (and ids, which
    # acknowledgements and actions reference) carried over.
    """
    CREATE TABLE alerts_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric TEXT NOT NULL,
        slice TEXT NOT NULL DEFAULT '{}',
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
        lower REAL,
        upper REAL,
        severity REAL,
        contributors TEXT NOT NULL DEFAULT '[]',
        definition TEXT,
        UNIQUE (metric, slice, day, direction)
    );
    INSERT INTO alerts_v2(id, metric, day, direction, value, expected, score, drivers, status, channel, ts,
                          created_at, severity)
        SELECT id, metric, day, direction, value, expected, score, drivers, status, channel, ts, created_at, score
        FROM alerts;
    DROP TABLE alerts;
    ALTER TABLE alerts_v2 RENAME TO alerts;
    CREATE INDEX alerts_day ON alerts(day, metric);
    CREATE TABLE notices (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        alert_id INTEGER REFERENCES alerts(id),
        channel TEXT,
        ts TEXT,
        created_at TEXT NOT NULL,
        posted_at TEXT
    );
    CREATE INDEX notices_pending ON notices(posted_at, created_at);
    """,
    # 3: the scheduler's record: each job fire claimed once (the persistent "last run"), a leader lease so one
    # process runs the jobs, and each digest sent once per (target, day) (adapters/store_schedule.py).
    """
    CREATE TABLE job_runs (
        job TEXT NOT NULL,
        fire_time TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'missed')),
        holder TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        detail TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (job, fire_time)
    );
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        acquired_at TEXT NOT NULL
    );
    CREATE TABLE digests_sent (
        target TEXT NOT NULL,
        day TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'empty')),
        claimed_at TEXT NOT NULL,
        channel TEXT,
        ts TEXT,
        PRIMARY KEY (target, day)
    );
    """,
    # 4: people's feedback on notices (adapters/store_feedback.py): an action's expected effect and who opened
    # it, comments by people other than the owner, and a `source` on each write (the modal's view, the reply's
    # message) so a retried delivery writes nothing twice; notices are found again by their message.
    """
    ALTER TABLE actions ADD COLUMN expected_effect TEXT NOT NULL DEFAULT '';
    ALTER TABLE actions ADD COLUMN created_by TEXT;
    ALTER TABLE actions ADD COLUMN source TEXT;
    CREATE UNIQUE INDEX actions_source ON actions(source);
    ALTER TABLE adjustments ADD COLUMN source TEXT;
    CREATE UNIQUE INDEX adjustments_source ON adjustments(metric, source);
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        alert_id INTEGER REFERENCES alerts(id),
        channel TEXT,
        thread_ts TEXT,
        source TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX comments_metric ON comments(metric, created_at);
    CREATE UNIQUE INDEX comments_source ON comments(metric, source);
    CREATE INDEX alerts_message ON alerts(channel, ts);
    """,
    # 5: the inbox (adapters/store_inbox.py): every Slack delivery recorded as received with its payload and the
    # worker (process) answering it, marked answered once the answer is posted; a restart takes over what a
    # gone worker left unanswered. `workers` holds each process's heartbeat.
    """
    CREATE TABLE inbox (
        key TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        user TEXT,
        received_at TEXT NOT NULL,
        worker TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'answered', 'expired')),
        answered_at TEXT
    );
    CREATE INDEX inbox_open ON inbox(status, received_at);
    CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        heartbeat_at TEXT NOT NULL,
        stopped_at TEXT
    );
    """,
    # 6: a notice's post attempt (adapters/store_loop.py claim_notice): the worker that started posting it and
    # when. A notice with an attempt but no posted_at may already be in Slack (a crash after chat.postMessage):
    # the next poster looks for it (message metadata) before posting again, so each notice is posted once.
    """
    ALTER TABLE notices ADD COLUMN posting_by TEXT;
    ALTER TABLE notices ADD COLUMN posting_at TEXT;
    ALTER TABLE notices ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: definition history and the audit trail (adapters/store_governance.py). Each catalog load records every
    # metric's definition hash; a row per version (kind initial | changed | added | removed) with its canonical
    # JSON, the field diff from the version before and the catalog's git commit. Audit entries gain the
    # channel and a `source` (the Slack delivery) so a retried delivery is audited once.
    """
    CREATE TABLE definition_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric TEXT NOT NULL,
        hash TEXT,
        definition TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'changed', 'added', 'removed')),
        previous TEXT,
        changes TEXT NOT NULL DEFAULT '[]',
        git_commit TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX definition_versions_metric ON definition_versions(metric, id);
    ALTER TABLE audit_log ADD COLUMN channel TEXT;
    ALTER TABLE audit_log ADD COLUMN source TEXT;
    CREATE UNIQUE INDEX audit_log_source ON audit_log(source);
    CREATE INDEX audit_log_at ON audit_log(created_at);
    CREATE INDEX audit_log_who ON audit_log(who, created_at);
    """,
    # 8: words owners taught (adapters/store_taught.py): for a metric, or ('' metric) a dimension or a value of one.
    # `folded` is the phrase case-folded: one live word per phrase; a forgotten one keeps its row (who and when)
    # with `forgotten_at` set.
    """
    CREATE TABLE taught_words (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        phrase TEXT NOT NULL,
        folded TEXT NOT NULL,
        metric TEXT NOT NULL,
        dimension TEXT,
        value TEXT,
        taught_by TEXT NOT NULL,
        source TEXT,
        created_at TEXT NOT NULL,
        forgotten_by TEXT,
        forgotten_at TEXT
    );
    CREATE UNIQUE INDEX taught_words_source ON taught_words(source);
    CREATE INDEX taught_words_folded ON taught_words(folded, forgotten_at);
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
    slice: dict[str, str] = field(default_factory=dict)  # dimension → value; {} for the whole metric
    lower: float | None = None
    upper: float | None = None
    severity: float | None = None
    contributors: list[dict[str, Any]] = field(default_factory=list)
    definition: str | None = None  # hash of the metric definition that produced it


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
    expected_effect: str = ""  # what the metric should do if the plan works
    created_by: str | None = None  # who opened it (a Slack user id)


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
    channel: str | None = None  # where it happened (a Slack channel id), when it happened somewhere
    source: str | None = None  # the Slack delivery it came from: a retried delivery is audited once
