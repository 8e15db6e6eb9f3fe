"""The store's part of governance: each metric's definition versions (the changelog) and the audit trail.

A definition version and the notices announcing it are written in ONE transaction (the outbox pattern of
adapters/store_loop.py), so a change is announced exactly once however the process dies; the version is
re-checked inside the transaction, so two processes loading the same catalog at once record it once.

Audit entries are written in batches (loop/audit_trail.py queues them off the answer's path); each carries
the time it happened and, for Slack, the delivery it came from (`source`, UNIQUE: a retry is audited once).

Mixed into ``SQLiteStore``; uses its ``_tx`` / ``_rows`` / ``_now`` plumbing and ``LoopStoreMixin._queue``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from metricloop.adapters.store_schema import AuditEntry

VERSION_KINDS = ("initial", "changed", "added", "removed")


@dataclass(frozen=True)
class DefinitionVersion:
    """One recorded version of a metric's definition; ``kind`` initial is the first one ever seen (no news)."""

    id: int
    metric: str
    hash: str | None  # None: the metric was removed from the catalog
    definition: dict[str, Any] | None
    kind: str
    previous: str | None
    changes: list[dict[str, Any]] = field(default_factory=list)  # [{field, old, new}]
    git_commit: str | None = None
    created_at: str = ""

    def to_json(self) -> dict[str, Any]:
        """The changelog entry as ``metricloop catalog changes --json`` prints it (no full definition)."""
        return {"id": self.id, "metric": self.metric, "kind": self.kind, "at": self.created_at,
                "hash": self.hash, "previous": self.previous, "changes": self.changes, "commit": self.git_commit}


@dataclass(frozen=True)
class AuditRecord:
    """An audit entry on its way to the store: who did what, where and when (ISO time it happened)."""

    who: str
    what: str
    detail: dict[str, Any]
    at: str
    channel: str | None = None
    source: str | None = None


def _version(row: Any) -> DefinitionVersion:
    return DefinitionVersion(id=row["id"], metric=row["metric"], hash=row["hash"],
                             definition=json.loads(row["definition"]) if row["definition"] else None,
                             kind=row["kind"], previous=row["previous"], changes=json.loads(row["changes"]),
                             git_commit=row["git_commit"], created_at=row["created_at"])


class GovernanceStoreMixin:
    """``latest_definitions``, ``record_definition``, ``definition_changes``, ``write_audit``, ``audit_entries``."""

    # provided by SQLiteStore / LoopStoreMixin
    _conn: Any
    _lock: Any
    _tx: Any
    _now: Any
    _queue: Any

    def _versions(self, where: str, params: tuple = ()) -> list[DefinitionVersion]:
        with self._lock:
            rows = self._conn.execute(f"SELECT * FROM definition_versions {where}", params).fetchall()
        return [_version(r) for r in rows]

    def latest_definitions(self) -> dict[str, DefinitionVersion]:
        """The latest recorded version of every metric ever seen (removed ones have hash None)."""
        found = self._versions("WHERE id IN (SELECT MAX(id) FROM definition_versions GROUP BY metric)")
        return {v.metric: v for v in found}

    def record_definition(self, metric: str, hash_: str | None, definition: str | None, *, kind: str,
                          previous: str | None, changes: list[dict[str, Any]], git_commit: str | None,
                          announce: list[tuple[str, dict[str, Any]]] = ()) -> DefinitionVersion | None:
        """Record a new version of `metric` (canonical JSON `definition`) and queue its announcements — one
        notice per (target, payload) — atomically. None when the latest version already has this hash (another
        process recorded it first)."""
        if kind not in VERSION_KINDS:
            raise ValueError(f"definition version kind must be one of {VERSION_KINDS}, not {kind!r}")
        with self._tx() as conn:
            last = conn.execute("SELECT hash FROM definition_versions WHERE metric = ? ORDER BY id DESC LIMIT 1",
                                (metric,)).fetchone()
            if last is not None and last["hash"] == hash_:
                return None
            version_id = conn.execute(
                "INSERT INTO definition_versions(metric, hash, definition, kind, previous, changes, git_commit,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (metric, hash_, definition, kind, previous, json.dumps(changes, ensure_ascii=False, default=str),
                 git_commit, self._now())).lastrowid
            for target, payload in announce:
                self._queue(conn, f"changelog:{version_id}:{target}", "changelog",
                            {**payload, "version_id": version_id, "target": target}, None)
        return self._versions("WHERE id = ?", (version_id,))[0]

    def definition_changes(self, metric: str | None = None) -> list[DefinitionVersion]:
        """The changelog: every version but the first one seen, oldest first (optionally of one metric)."""
        return self._versions("WHERE kind != 'initial' AND (?1 IS NULL OR metric = ?1) ORDER BY id", (metric,))

    def definition_version(self, version_id: int) -> DefinitionVersion | None:
        """One version by id."""
        found = self._versions("WHERE id = ?", (version_id,))
        return found[0] if found else None

    # -- audit ------------------------------------------------------------------------------------------
    def write_audit(self, records: list[AuditRecord]) -> int:
        """Append audit records in one transaction; a record whose source is already audited is skipped.
        Returns how many were written."""
        with self._tx() as conn:
            written = 0
            for r in records:
                written += conn.execute(
                    "INSERT OR IGNORE INTO audit_log(who, what, detail, created_at, channel, source)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (r.who, r.what, json.dumps(r.detail, ensure_ascii=False, default=str), r.at, r.channel,
                     r.source)).rowcount
        return written

    def audit_entries(self, *, since: str | None = None, user: str | None = None,
                      what: str | None = None) -> list[AuditEntry]:
        """Audit entries oldest first, from `since` (an ISO date or time, inclusive), by `user`, of kind `what`."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM audit_log WHERE (?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR who = ?2)"
                " AND (?3 IS NULL OR what = ?3) ORDER BY created_at, id", (since, user, what)).fetchall()
        return [AuditEntry(id=r["id"], who=r["who"], what=r["what"], detail=json.loads(r["detail"]),
                           created_at=r["created_at"], channel=r["channel"], source=r["source"]) for r in rows]
