"""The delivery being handled on this thread: its inbox key, who sent it, whether it is late.

The inbox middleware (slack/durable.py) binds a `Delivery` while Bolt dispatches a request; the fair
executor (slack/fair_executor.py) picks it up when Bolt submits the request's lazy work, queues the work
under the delivery's user, and binds it again on the worker thread. So the slow half of a listener can
ask `current()` whether its answer is late, and say `answered()` the moment the answer is posted.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_local = threading.local()


@dataclass
class Delivery:
    """One Slack delivery on its way through the app; `on_answered` runs once, when it is answered."""

    key: str
    user: str = ""
    late: bool = False  # taken over from a worker that stopped or died before answering
    on_answered: Callable[[Delivery], None] | None = field(default=None, repr=False)
    tasks: int = 0  # lazy work queued or running for it
    done: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def task_started(self) -> None:
        """Bolt queued a piece of lazy work for this delivery."""
        with self._lock:
            self.tasks += 1

    def task_finished(self) -> None:
        """A piece of lazy work ended (however it ended); the last one answers the delivery."""
        with self._lock:
            self.tasks -= 1
            last = self.tasks <= 0
        if last:
            self.answer()

    def answer(self) -> None:
        """Mark the delivery answered (once; later calls do nothing)."""
        with self._lock:
            if self.done:
                return
            self.done = True
        if self.on_answered is not None:
            self.on_answered(self)


def current() -> Delivery | None:
    """The delivery bound on this thread, if any."""
    return getattr(_local, "delivery", None)


def answered() -> None:
    """The answer for the current delivery is posted: record it now, not when the rest (a chart) is done."""
    delivery = current()
    if delivery is not None:
        delivery.answer()


ANSWER_EVENT = "metricloop_answer"


def answer_metadata() -> dict | None:
    """Message metadata naming the delivery an answer is for (None outside a delivery): a restart that
    finds it in the thread knows the answer was posted (slack/durable.answer_in_thread)."""
    delivery = current()
    return None if delivery is None else {"event_type": ANSWER_EVENT, "event_payload": {"delivery": delivery.key}}


def answer_key(metadata: Any) -> str | None:
    """The delivery key in an answer's metadata, or None."""
    if isinstance(metadata, dict) and metadata.get("event_type") == ANSWER_EVENT:
        return (metadata.get("event_payload") or {}).get("delivery")
    return None


def is_late() -> bool:
    """True when the current delivery was taken over after a restart (its reply says so)."""
    delivery = current()
    return bool(delivery and delivery.late)


@contextmanager
def bound(delivery: Delivery | None) -> Iterator[None]:
    """Bind `delivery` on this thread for the duration of the block."""
    previous = current()
    _local.delivery = delivery
    try:
        yield
    finally:
        _local.delivery = previous


def bind(delivery: Delivery | None) -> None:
    """Bind `delivery` on this thread until the next bind (the dispatching thread clears it itself)."""
    _local.delivery = delivery


def user_of(body: Any) -> str:
    """Who sent a delivery (event, command or interaction): the fairness key of the answer queue."""
    if not isinstance(body, dict):
        return ""
    event = body.get("event")
    if isinstance(event, dict) and isinstance(event.get("user"), str):
        return event["user"]
    user = body.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        return user["id"]
    return body.get("user_id") if isinstance(body.get("user_id"), str) else ""
