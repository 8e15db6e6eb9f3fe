"""The audit trail: who asked what (as typed), how it was read, what SQL ran, how many rows, how long, and how
it ended (answered, denied, …); every button click, modal submission and adjustment.

Nothing here can fail an answer. `AuditTrail.record` only builds a small record and puts it on a queue — no
I/O on the caller's thread (a store commit with synchronous=FULL costs milliseconds; a warm answer ~15 ms);
one writer thread per store appends what is queued in batches. A failing store is logged and the batch
dropped; building a record from a strange answer is guarded the same way. `flush()` waits for the queue
(tests, shutdown).

Export: `export_rows` (one flat dict per entry, for JSON) and `export_csv`, behind `metricloop audit`.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import logging
import queue
import threading
import time
from collections.abc import Iterable
from typing import IO, Any, Protocol

from metricloop.adapters.store_governance import AuditRecord
from metricloop.core.answer import Answer

log = logging.getLogger(__name__)
BATCH = 200
IDLE_S = 5.0  # an idle writer thread ends; the next entry starts another
LINGER_S = 0.25  # how long the writer collects entries before one commit
MAX_TEXT = 10_000  # a question is stored as typed, up to this many characters (the service refuses longer)
COLUMNS = ("id", "at", "user", "kind", "channel", "status", "text", "interpretation", "sql", "rows",
           "latency_ms", "metrics", "definitions", "source", "detail")


class AuditStore(Protocol):
    """What the writer needs (``SQLiteStore`` has it)."""

    def write_audit(self, records: list[AuditRecord]) -> int: ...


def _now(seconds_ago: float = 0.0) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds_ago)).isoformat(timespec="microseconds")


def question_detail(text: str, answer: Answer, *, latency_ms: float, via: str = "question",
                    private: bool = False) -> dict[str, Any]:
    """What an audit entry keeps of a question and its answer (no result values: the rows are counted)."""
    return {"text": text[:MAX_TEXT], "via": via, "status": answer.status, "interpretation": answer.interpretation,
            "query": answer.query.model_dump(mode="json", exclude_defaults=True) if answer.query else None,
            "sql": answer.sql, "rows": len(answer.rows), "latency_ms": round(latency_ms, 1),
            "answer_ms": round(answer.elapsed_ms, 1),
            "metrics": list(answer.metrics), "definitions": dict(answer.definitions),
            "message": answer.message if answer.status != "answered" else None, "private": private}


class AuditTrail:
    """Queues audit records and writes them from one background thread (see the module's docstring)."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store
        self._queue: queue.Queue[AuditRecord | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.dropped = 0  # records lost to a failing store (also logged)

    def record(self, who: str, what: str, detail: dict[str, Any] | None = None, *, channel: str | None = None,
               source: str | None = None, seconds_ago: float = 0.0) -> None:
        """Queue one entry, dated now or `seconds_ago` (a question: when it was asked); never raises."""
        try:
            self._queue.put(AuditRecord(who=who or "", what=what, detail=detail or {}, at=_now(seconds_ago),
                                        channel=channel, source=source))
            self._ensure_writer()
        except Exception:  # noqa: BLE001 - an audit entry must never cost anyone their answer
            log.warning("could not queue an audit entry (%s by %s)", what, who, exc_info=True)

    def question(self, *, user: str, channel: str | None, text: str, answer: Answer, latency_ms: float,
                 via: str = "question", private: bool = False, source: str | None = None) -> None:
        """Queue a question and how it was answered; never raises."""
        try:
            detail = question_detail(text, answer, latency_ms=latency_ms, via=via, private=private)
        except Exception:  # noqa: BLE001 - a strange answer still leaves a trace of the question
            log.warning("could not describe an answer for the audit trail", exc_info=True)
            detail = {"text": str(text)[:MAX_TEXT], "via": via, "status": getattr(answer, "status", None)}
        # dated when it was asked, not when its answer went out: a click on the answer is always after it
        self.record(user, "question", detail, channel=channel, source=source, seconds_ago=max(0.0, latency_ms) / 1000)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is written (or dropped); False on timeout."""
        done = threading.Event()
        waiter = threading.Thread(target=lambda: (self._queue.join(), done.set()), daemon=True)
        waiter.start()
        return done.wait(timeout)

    def _ensure_writer(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_forever, name="audit-writer", daemon=True)
                self._thread.start()

    def _write_forever(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_S)
            except queue.Empty:
                with self._lock:  # idle: the thread ends (a store that is gone is not kept alive by it)
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            # linger a moment: entries arriving together share one commit, and the writer wakes (and takes the
            # GIL from an answer in progress) a few times a second at most, not once per entry
            deadline = time.monotonic() + LINGER_S
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            try:
                self.store.write_audit([r for r in batch if r is not None])
            except Exception:  # logged and dropped: the trail must not take the bot down with it
                self.dropped += len(batch)
                log.exception("could not write %d audit entries", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()


_TRAILS_LOCK = threading.Lock()


def trail_for(store: Any) -> AuditTrail:
    """The one trail writing to `store` (every listener of an app shares it, so entries keep their order);
    kept on the store itself, so it lives as long as the store does."""
    with _TRAILS_LOCK:
        trail = getattr(store, "_audit_trail", None)
        if trail is None:
            trail = AuditTrail(store)
            # a store that takes no attributes gets a trail per call (tests' doubles)
            with contextlib.suppress(AttributeError):
                store._audit_trail = trail
        return trail


# -- export -----------------------------------------------------------------------------------------------
def export_rows(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """One flat dict per audit entry: the question's fields as columns, anything else under `detail`."""
    rows = []
    for e in entries:
        detail = dict(e.detail)
        row = {"id": e.id, "at": e.created_at, "user": e.who, "kind": e.what, "channel": e.channel,
               "source": e.source}
        for key in ("status", "text", "interpretation", "sql", "rows", "latency_ms", "metrics", "definitions"):
            row[key] = detail.pop(key, None)
        row["detail"] = detail
        rows.append({k: row[k] for k in COLUMNS})
    return rows


def export_csv(entries: Iterable[Any], out: IO[str]) -> None:
    """The audit trail as CSV (header first); lists and objects as JSON text in their cell."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in export_rows(entries):
        writer.writerow({k: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else v
                         for k, v in row.items()})
