"""The store's part of taught words (core/catalog/taught.py): phrases owners taught for their metrics.

A word is taught once per phrase (case aside): teaching a phrase another metric already has is refused here
too, inside the transaction, so two owners teaching at once cannot both win. Forgetting keeps the row (who,
when) for the history; only live words are laid over the catalog. Each write carries the Slack delivery it
came from (``source``, UNIQUE), so a retried command writes nothing twice.

Mixed into ``SQLiteStore``; uses its ``_tx`` / ``_lock`` / ``_conn`` / ``_now`` plumbing and ``LoopStoreMixin._queue``
(a taught or forgotten word is announced through the notices outbox, like a definition change).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from metricloop.core.catalog.taught import TaughtWord, clean_phrase


def _word(row: Any) -> TaughtWord:
    return TaughtWord(phrase=row["phrase"], metric=row["metric"], taught_by=row["taught_by"], at=row["created_at"],
                      dimension=row["dimension"], value=row["value"])


def _folded(phrase: str) -> str:
    return clean_phrase(phrase).casefold()


def _live(conn: Any, phrase: str) -> Any:
    """The row of the word taught for `phrase` and not forgotten (case and spacing aside), or None."""
    return conn.execute("SELECT * FROM taught_words WHERE folded = ? AND forgotten_at IS NULL",
                        (_folded(phrase),)).fetchone()


class TaughtWordsStoreMixin:
    """``teach_word``, ``taught_word``, ``forget_word``, ``taught_words``."""

    # provided by SQLiteStore / LoopStoreMixin
    _conn: Any
    _lock: Any
    _tx: Any
    _now: Any
    _queue: Any

    def teach_word(self, phrase: str, metric: str, taught_by: str, *, dimension: str | None = None,
                   value: str | None = None, source: str | None = None,
                   announce: Sequence[tuple[str, dict[str, Any]]] = ()) -> tuple[TaughtWord, str]:
        """Teach `phrase` for `metric` (or, with `metric` "", for `dimension`, or its `value`); (the live word for
        that phrase, outcome). Outcome ``taught`` (new), ``same`` (already taught for this, or this delivery was
        stored before) or ``taken`` (the phrase is taught for something else: that word is returned and nothing
        is written). A new word's announcements — a changelog notice per (target, payload) — are queued in the
        same transaction."""
        with self._tx() as conn:
            if source is not None:
                row = conn.execute("SELECT * FROM taught_words WHERE source = ?", (source,)).fetchone()
                if row is not None:
                    return _word(row), "same"
            row = _live(conn, phrase)
            if row is not None:
                same = (row["metric"], row["dimension"], row["value"]) == (metric, dimension, value)
                return _word(row), "same" if same else "taken"
            conn.execute(
                "INSERT INTO taught_words(phrase, folded, metric, dimension, value, taught_by, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (clean_phrase(phrase), _folded(phrase), metric, dimension, value, taught_by, source, self._now()))
            row = _live(conn, phrase)
            for target, payload in announce:
                self._queue(conn, f"taught:{row['id']}:{target}", "changelog", {**payload, "target": target}, None)
        return _word(row), "taught"

    def taught_word(self, phrase: str) -> TaughtWord | None:
        """The live word taught for `phrase` (case and spacing aside), or None."""
        with self._lock:
            row = _live(self._conn, phrase)
        return None if row is None else _word(row)

    def forget_word(self, phrase: str, forgotten_by: str, *,
                    announce: Sequence[tuple[str, dict[str, Any]]] = ()) -> TaughtWord | None:
        """Stop using a taught phrase (the row stays, marked forgotten); the word forgotten, or None. Its
        announcements are queued in the same transaction."""
        with self._tx() as conn:
            row = _live(conn, phrase)
            if row is None:
                return None
            conn.execute("UPDATE taught_words SET forgotten_by = ?, forgotten_at = ? WHERE id = ?",
                         (forgotten_by, self._now(), row["id"]))
            for target, payload in announce:
                self._queue(conn, f"forgotten:{row['id']}:{target}", "changelog", {**payload, "target": target},
                            None)
        return _word(row)

    def taught_words(self, metric: str | None = None) -> list[TaughtWord]:
        """The live taught words, oldest first (optionally of one metric)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM taught_words WHERE forgotten_at IS NULL AND (?1 IS NULL OR metric = ?1) ORDER BY id",
                (metric,)).fetchall()
        return [_word(r) for r in rows]
