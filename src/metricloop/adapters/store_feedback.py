"""The store's part of people's feedback on notices: corrective actions opened from a modal, adjustments and
comments from threads, and finding the alert behind a Slack message.

Each write carries a ``source`` (the modal's view id, the reply's channel and ts) under a UNIQUE index, so a
retried delivery that slipped past event de-duplication still writes nothing twice, and the lazy half of a
listener can read back exactly what its acknowledging half stored.

Mixed into ``SQLiteStore``; uses its ``_tx`` / ``_rows`` / ``_one`` / ``_now`` plumbing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from metricloop.adapters.store_schema import ADJUSTMENT_KINDS, Adjustment, Alert, CorrectiveAction


@dataclass(frozen=True)
class Comment:
    """Someone other than the metric's owner said something in a notice's or digest's thread."""

    id: int
    metric: str
    author: str
    text: str
    alert_id: int | None
    channel: str | None
    thread_ts: str | None
    source: str | None
    created_at: str


class FeedbackStoreMixin:
    """``alert_for_message``, ``open_action``, ``action_from``, ``record_adjustment``, ``adjustment_from``,
    ``add_comment``, ``comments``."""

    # provided by SQLiteStore
    _tx: Any
    _rows: Any
    _one: Any
    _now: Any

    def alert_for_message(self, channel: str, ts: str) -> Alert | None:
        """The alert whose notice is the message ``ts`` in ``channel`` (a thread's parent), or None."""
        found = self._rows(Alert, "SELECT * FROM alerts WHERE channel = ? AND ts = ? ORDER BY id LIMIT 1",
                           (channel, ts))
        return found[0] if found else None

    def open_action(self, alert_id: int, owner: str, due: str | date, plan: str, *, expected_effect: str = "",
                    created_by: str | None = None, source: str | None = None) -> tuple[CorrectiveAction, bool]:
        """Open a corrective action; (action, created). The same ``source`` twice returns the first action."""
        now = self._now()
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO actions(alert_id, owner, due, plan, expected_effect, created_by, source,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (alert_id, owner, str(due), plan, expected_effect, created_by, source, now, now))
            created = cur.rowcount == 1
            action_id = cur.lastrowid if created else conn.execute(
                "SELECT id FROM actions WHERE source = ?", (source,)).fetchone()[0]
        return self._one(CorrectiveAction, "actions", action_id), created

    def action_from(self, source: str) -> CorrectiveAction | None:
        """The action written from ``source``, if any."""
        found = self._rows(CorrectiveAction, "SELECT * FROM actions WHERE source = ?", (source,))
        return found[0] if found else None

    def record_adjustment(self, metric: str, kind: str, payload: dict[str, Any], author: str, *,
                          source: str | None = None) -> tuple[Adjustment, bool]:
        """Log an adjustment; (adjustment, created). The same (metric, ``source``) twice returns the first."""
        if kind not in ADJUSTMENT_KINDS:
            raise ValueError(f"adjustment kind must be one of {ADJUSTMENT_KINDS}, not {kind!r}")
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO adjustments(metric, kind, payload, author, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (metric, kind, json.dumps(payload, ensure_ascii=False), author, source, self._now()))
            created = cur.rowcount == 1
            adj_id = cur.lastrowid if created else conn.execute(
                "SELECT id FROM adjustments WHERE metric = ? AND source = ?", (metric, source)).fetchone()[0]
        return self._one(Adjustment, "adjustments", adj_id), created

    def adjustment_from(self, source: str) -> Adjustment | None:
        """The (first) adjustment written from ``source``, if any."""
        found = self._rows(Adjustment, "SELECT * FROM adjustments WHERE source = ? ORDER BY id LIMIT 1", (source,))
        return found[0] if found else None

    def add_comment(self, metric: str, author: str, text: str, *, alert_id: int | None = None,
                    channel: str | None = None, thread_ts: str | None = None,
                    source: str | None = None) -> tuple[Comment, bool]:
        """Store a comment; (comment, created). The same (metric, ``source``) twice returns the first."""
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO comments(metric, author, text, alert_id, channel, thread_ts, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (metric, author, text, alert_id, channel, thread_ts, source, self._now()))
            created = cur.rowcount == 1
            comment_id = cur.lastrowid if created else conn.execute(
                "SELECT id FROM comments WHERE metric = ? AND source = ?", (metric, source)).fetchone()[0]
        return self._one(Comment, "comments", comment_id), created

    def comments(self, metric: str | None = None) -> list[Comment]:
        """Comments oldest first, optionally on one metric."""
        return self._rows(Comment, "SELECT * FROM comments WHERE (?1 IS NULL OR metric = ?1) ORDER BY id", (metric,))
