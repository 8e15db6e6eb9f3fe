"""A thread pool that answers people fairly: one queue per user, served round-robin.

Bolt submits every lazy listener (the slow half: interpreting, querying, rendering) to the app's
`listener_executor`. A plain ThreadPoolExecutor is first come, first served: two slow questions from one
person occupy both workers and everyone else waits. Here work is queued under the user of the delivery
being dispatched (slack/deliveries.py), workers take the next user in turn, and one user never holds more
than `workers - 1` workers at a time — so another person's question starts at once, even when it arrives
after a burst (a little throughput for one person is traded for everyone's latency).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from metricloop.slack import deliveries


class FairExecutor(Executor):
    """Round-robin over per-user queues, `workers` daemon threads, per-user cap of `workers - 1`."""

    def __init__(self, workers: int = 2, name: str = "metricloop-answer") -> None:
        self.workers = max(1, workers)
        self.per_user = max(1, self.workers - 1)
        self._queues: OrderedDict[str, deque] = OrderedDict()  # user -> queued tasks, in turn order
        self._running: dict[str, int] = {}
        self._cond = threading.Condition()
        self._closed = False
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True)
                         for i in range(self.workers)]
        for thread in self._threads:
            thread.start()

    # -- Executor ---------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Queue `fn` under the user of the delivery being dispatched on this thread."""
        delivery = deliveries.current()
        user = delivery.user if delivery is not None else ""
        future: Future = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot schedule new work after shutdown")
            if delivery is not None:
                delivery.task_started()
            self._queues.setdefault(user, deque()).append((future, fn, args, kwargs, delivery))
            self._cond.notify()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Accept nothing more; with `wait`, return once every queued task has run (or was cancelled)."""
        with self._cond:
            self._closed = True
            if cancel_futures:
                for queue in self._queues.values():
                    for future, *_ in queue:
                        future.cancel()
                self._queues.clear()
            self._cond.notify_all()
        if wait:
            for thread in self._threads:
                thread.join()

    def drain(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for queued and running work to finish; return how much is left."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.pending() and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)
            return self.pending()

    def pending(self) -> int:
        """Tasks queued or running."""
        with self._cond:
            return sum(len(q) for q in self._queues.values()) + sum(self._running.values())

    # -- workers ----------------------------------------------------------------------------------
    def _next(self) -> tuple[str, tuple] | None:
        """The next task in turn from a user under the cap (None: nothing may start now)."""
        for user in list(self._queues):
            if self._running.get(user, 0) >= self.per_user:
                continue  # the rest of the pool stays free for whoever asks next
            queue = self._queues.pop(user)  # re-inserted at the end: the next user goes first next time
            task = queue.popleft()
            if queue:
                self._queues[user] = queue
            return user, task
        return None

    def _work(self) -> None:
        while True:
            with self._cond:
                picked = self._next()
                while picked is None:
                    if self._closed and not self._queues:
                        self._cond.notify_all()
                        return
                    self._cond.wait()
                    picked = self._next()
                user, (future, fn, args, kwargs, delivery) = picked
                self._running[user] = self._running.get(user, 0) + 1
            self._run(future, fn, args, kwargs, delivery)
            with self._cond:
                self._running[user] -= 1
                if not self._running[user]:
                    del self._running[user]
                self._cond.notify_all()

    @staticmethod
    def _run(future: Future, fn: Callable[..., Any], args: tuple, kwargs: dict, delivery: Any) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            with deliveries.bound(delivery):
                result = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the future, like ThreadPoolExecutor does
            future.set_exception(exc)
        else:
            future.set_result(result)
        finally:
            if delivery is not None:
                delivery.task_finished()
