"""No question lost: a Bolt app whose every delivery goes through the durable inbox.

- On arrival (after Bolt verified the signature) a delivery is recorded as *received* with its payload
  and this process's worker id; a retry of it is acknowledged and dropped while this worker (or another
  running one) has it, and taken over when the worker that had it is gone (adapters/store_inbox.py).
- It is marked *answered* once its answer is posted (`deliveries.answered()`), or when its lazy work ends,
  or right after the acknowledgement when there is no lazy work.
- `resume()` re-dispatches what gone workers left unanswered (at start-up); each reply says it is late.
- `drain(grace)` waits for queued and running answers before the process exits; `stop()` tells the
  store this worker is gone, so whatever it could not finish is taken over by the next start at once.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest

from metricloop import observe
from metricloop.adapters.process_id import current_worker
from metricloop.slack import deliveries
from metricloop.slack.fair_executor import FairExecutor
from metricloop.slack.payloads import dedupe_key

log = logging.getLogger(__name__)
HEARTBEAT_S = 5.0


class DurableApp(App):
    """Bolt's App with the inbox middleware, a fair answer queue, resume at start-up and drain at stop."""

    def __init__(self, *, store: Any, executor: FairExecutor, worker: str | None = None, **kwargs: Any) -> None:
        super().__init__(listener_executor=executor, **kwargs)
        self.inbox_store = store
        self.executor = executor
        self.worker = worker or str(current_worker())
        self._stopped = threading.Event()
        self._received: dict[str, tuple[float, str]] = {}  # key -> (monotonic receipt, kind), until answered
        observe.watch_queue(executor.pending)
        store.register_worker(self.worker)
        self.use(self._inbox_middleware())

    def _inbox_middleware(self) -> Any:
        store, worker = self.inbox_store, self.worker

        def inbox(body: dict, next: Any) -> BoltResponse | None:  # noqa: A002 - Bolt's name
            key = dedupe_key(body)
            if key is None:
                next()
                return None
            user = deliveries.user_of(body)
            receipt = store.receive(key, body, worker, user=user or None)
            observe.DELIVERIES.labels(observe.delivery_kind(body), receipt).inc()
            if receipt == "duplicate":
                log.info("duplicate delivery %s acknowledged", key)
                return BoltResponse(status=200, body="")
            if receipt == "retaken":
                if self.answer_in_thread(body, key):  # posted just before the worker died: answered already
                    store.mark_answered(key)
                    return BoltResponse(status=200, body="")
                log.warning("delivery %s taken over from a worker that is gone; answering late", key)
            self._received[key] = (time.monotonic(), observe.delivery_kind(body))
            while len(self._received) > 10_000:  # never answered (failed): forget the oldest, bound the memory
                self._received.pop(next(iter(self._received)))
            deliveries.bind(deliveries.Delivery(key, user, late=receipt == "retaken", on_answered=self._answered))
            next()
            return None

        return inbox

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Dispatch as Bolt does; a delivery with no lazy work is answered by its acknowledgement."""
        deliveries.bind(None)
        try:
            response = super().dispatch(req)
            delivery = deliveries.current()
        finally:
            deliveries.bind(None)
        if delivery is not None and delivery.tasks == 0 and response.status < 500:
            delivery.answer()
        return response

    def answer_in_thread(self, body: dict, key: str) -> bool:
        """Whether the question's thread already holds our answer to `key` (message metadata says which).

        Asked only for a delivery taken over from a gone worker: it may have died between posting the
        answer and recording it, and a second answer is what "exactly once" rules out.
        """
        event = body.get("event")
        if not isinstance(event, dict) or not event.get("channel") or not event.get("ts"):
            return False
        try:
            replies = self.client.conversations_replies(channel=event["channel"], ts=event.get("thread_ts") or
                                                        event["ts"], include_all_metadata=True, limit=200)
        except Exception:  # noqa: BLE001 - cannot tell: answer (late) rather than stay silent
            log.info("could not read the thread of %s", key, exc_info=True)
            return False
        return any(deliveries.answer_key(m.get("metadata")) == key for m in replies.get("messages") or [])

    def _answered(self, delivery: deliveries.Delivery) -> None:
        received = self._received.pop(delivery.key, None)
        if received is not None:  # /metrics: answers and their latency (observe)
            observe.QUESTIONS.labels(received[1]).inc()
            observe.ANSWER_SECONDS.observe(time.monotonic() - received[0])
        try:
            self.inbox_store.mark_answered(delivery.key)
        except Exception:  # noqa: BLE001 - the answer is out; at worst a restart answers it once more, late
            log.warning("could not mark %s answered", delivery.key, exc_info=True)

    # -- lifecycle ----------------------------------------------------------------------------------
    def resume(self) -> int:
        """Re-dispatch every delivery that gone workers left unanswered; return how many were taken."""
        taken = 0
        for entry in self.inbox_store.orphans():
            # Replayed as Socket Mode does (a parsed payload, no signature): it was verified on arrival.
            self.dispatch(BoltRequest(body=entry.payload, mode="socket_mode"))
            entry_now = self.inbox_store.inbox_entry(entry.key)
            taken += int(entry_now is not None and entry_now.worker == self.worker)
        if taken:
            log.warning("resumed %d unanswered deliveries left by a previous run", taken)
        return taken

    def start_background(self) -> None:
        """Heartbeat, and resume what a previous run left unanswered (in the background: serving starts now)."""
        threading.Thread(target=self._heartbeat, name="inbox-heartbeat", daemon=True).start()
        threading.Thread(target=self._resume_logged, name="inbox-resume", daemon=True).start()

    def _resume_logged(self) -> None:
        try:
            self.resume()
        except Exception:
            log.exception("resuming unanswered deliveries failed")

    def _heartbeat(self) -> None:
        while not self._stopped.wait(HEARTBEAT_S):
            try:
                self.inbox_store.heartbeat(self.worker)
            except Exception:  # noqa: BLE001 - a missed beat only makes a takeover possible sooner
                log.warning("inbox heartbeat failed", exc_info=True)

    def drain(self, grace_s: float) -> int:
        """Let queued and running answers finish for up to `grace_s` seconds; return how many are left."""
        left = self.executor.drain(grace_s)
        if left:
            log.warning("%d answers unfinished after %.0f s; the next start answers them", left, grace_s)
        return left

    def stop(self) -> None:
        """This worker is gone: stop the heartbeat and free what it holds for the next start."""
        self._stopped.set()
        try:
            self.inbox_store.stop_worker(self.worker)
        except Exception:  # noqa: BLE001 - the lease or the process check frees them anyway
            log.warning("could not record the worker's stop", exc_info=True)
