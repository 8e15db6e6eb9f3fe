"""Drain the notices outbox: post every pending notice through a ``Notifier`` and mark it posted.

The scan stores a notice in the same transaction as its alert; this is the only place that posts them. A
notice stays pending until ``mark_notice_posted`` records its channel and ts, so a crash or a Slack outage
between storing and posting loses nothing: the next ``post_pending`` (at start-up, or after the next scan)
posts it.

Exactly once: before posting, the attempt is recorded (``claim_notice``). A notice pending with an earlier
attempt may already be in Slack (a crash after chat.postMessage, or a timeout whose message went through):
the notifier's ``find_posted`` looks for it (the Slack notifier tags each message with the notice key in its
metadata) and only when it is not there is the notice posted again. A worker that is still running keeps its
claim, so two processes draining the outbox at once do not both post; within one process the drains take turns.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from metricloop.adapters.process_id import current_worker
from metricloop.adapters.store_loop import Notice
from metricloop.observe import ALERTS_POSTED

log = logging.getLogger(__name__)


class Notifier(Protocol):
    """Posts one notice and says where: (channel, ts). The Slack notifier lives with the Slack front end."""

    def post(self, notice: Notice) -> tuple[str, str]: ...


class FindingNotifier(Notifier, Protocol):
    """A notifier that can also tell whether a notice already reached its channel: (channel, ts) or None."""

    def find_posted(self, notice: Notice) -> tuple[str, str] | None: ...


class OutboxStore(Protocol):
    """The store methods the outbox uses (``SQLiteStore`` has them)."""

    def pending_notices(self, kind: str | None = None) -> list[Notice]: ...
    def claim_notice(self, key: str, worker: str) -> str | None: ...
    def mark_notice_posted(self, key: str, channel: str, ts: str) -> bool: ...


@dataclass
class PrintNotifier:
    """A stand-in notifier: writes one line per notice (``metricloop scan`` without Slack, tests)."""

    channel: str = "stdout"
    out: Any = None  # a file-like object; None prints to stdout
    posted: list[Notice] = field(default_factory=list)

    def post(self, notice: Notice) -> tuple[str, str]:
        """Print the notice; its ts is its position in this run."""
        self.posted.append(notice)
        print(f"notice [{notice.kind}] {notice.key}", file=self.out)
        return self.channel, str(len(self.posted))


def post_pending(store: OutboxStore, notifier: Notifier, *, worker: str | None = None) -> int:
    """Post every pending notice, oldest first; returns how many were marked posted (found in the channel
    after an interrupted attempt counts). A notice whose post fails stays pending (logged) and the rest are
    still tried; one another running process is posting is left to it."""
    worker = worker or str(current_worker())
    # one drain at a time per process: the start-up drain, the every-minute drain and the scan job's run in
    # threads of one process under one worker id, which the store's claim cannot tell apart
    with _DRAINING:
        return _post_pending(store, notifier, worker)


_DRAINING = threading.Lock()


def _post_pending(store: OutboxStore, notifier: Notifier, worker: str) -> int:
    posted = 0
    for notice in store.pending_notices():
        attempt = store.claim_notice(notice.key, worker)
        if attempt is None:
            continue
        try:
            where = _find(notifier, notice) if attempt == "retry" else None
            channel, ts = where or notifier.post(notice)
        except Exception:  # one failed post must not hold back the others; it stays pending
            log.exception("posting notice %s failed; it stays in the outbox", notice.key)
            continue
        if store.mark_notice_posted(notice.key, channel, ts):
            posted += 1
            ALERTS_POSTED.labels(notice.kind).inc()
    return posted


def _find(notifier: Notifier, notice: Notice) -> tuple[str, str] | None:
    finder = getattr(notifier, "find_posted", None)
    if finder is None:
        log.warning("notice %s had an interrupted post and %s cannot look for it: posting it again",
                    notice.key, type(notifier).__name__)
        return None
    return finder(notice)
