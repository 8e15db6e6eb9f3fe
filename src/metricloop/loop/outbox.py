"""Drain the notices outbox: post every pending notice through a ``Notifier`` and mark it posted.

The scan stores a notice in the same transaction as its alert; this is the only place that posts them. A
notice stays pending until ``mark_notice_posted`` records its channel and ts, so a crash or a Slack outage
between storing and posting loses nothing: the next ``post_pending`` (at start-up, or after the next scan)
posts it. A crash between posting and marking can post a notice twice; a notifier that must never do so
can look for its own earlier message (e.g. by the notice key in the message metadata) before posting.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from metricloop.adapters.store_loop import Notice

log = logging.getLogger(__name__)


class Notifier(Protocol):
    """Posts one notice and says where: (channel, ts). The Slack notifier lives with the Slack front end."""

    def post(self, notice: Notice) -> tuple[str, str]: ...


class OutboxStore(Protocol):
    """The store methods the outbox uses (``SQLiteStore`` has them)."""

    def pending_notices(self, kind: str | None = None) -> list[Notice]: ...
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


def post_pending(store: OutboxStore, notifier: Notifier) -> int:
    """Post every pending notice, oldest first; returns how many were posted. A notice whose post fails
    stays pending (logged) and the rest are still tried."""
    posted = 0
    for notice in store.pending_notices():
        try:
            channel, ts = notifier.post(notice)
        except Exception:  # one failed post must not hold back the others; it stays pending
            log.exception("posting notice %s failed; it stays in the outbox", notice.key)
            continue
        posted += store.mark_notice_posted(notice.key, channel, ts)
    return posted
