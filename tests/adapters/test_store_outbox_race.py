"""Notices are posted once when two processes drain the outbox at the same moment, on either backend: each
notice is claimed by one of them (claim_notice) and the other leaves it alone."""
from __future__ import annotations

import threading

import pytest

from metricloop.loop.outbox import post_pending

N_NOTICES = 30


class RecordingNotifier:
    """Posts by appending to a shared list (what the fake Slack would count)."""

    def __init__(self, posted: list, lock: threading.Lock) -> None:
        self.posted, self.lock = posted, lock

    def post(self, notice):
        with self.lock:
            self.posted.append(notice.key)
            return "C0ALERTS", f"{len(self.posted)}.0"


@pytest.mark.parametrize("round_", range(3))
def test_two_drainers_post_each_notice_once(store_backend, round_):
    first, second = store_backend.open(), store_backend.open()  # two processes, one store
    for i in range(N_NOTICES):
        assert first.queue_notice(f"review:{round_}:{i}", "review", {"n": i})
    posted: list[str] = []
    lock, barrier = threading.Lock(), threading.Barrier(2)
    counts = {}

    def drain(store, worker: str) -> None:
        barrier.wait()
        counts[worker] = post_pending(store, RecordingNotifier(posted, lock), worker=worker)

    threads = [threading.Thread(target=drain, args=(s, w)) for s, w in ((first, "worker-A"), (second, "worker-B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(posted) == sorted(f"review:{round_}:{i}" for i in range(N_NOTICES))  # each once
    assert counts["worker-A"] + counts["worker-B"] == N_NOTICES
    assert first.pending_notices() == [] and second.pending_notices() == []


class SlowNotifier(RecordingNotifier):
    """Takes a moment per post, as chat.postMessage does: long enough for a second drain of the same process to
    reach the same notice."""

    def post(self, notice):
        import time
        time.sleep(0.01)
        return super().post(notice)


def test_two_drains_of_one_process_post_each_notice_once(store_backend):
    """The start-up drain and the scan job's drain run in two threads of one process, under one worker id: the
    claim cannot tell them apart, so the outbox drains one at a time per process (before, a notice was posted
    twice when the daily scan's catch-up ran beside the start-up drain)."""
    store = store_backend.open()
    for i in range(N_NOTICES):
        assert store.queue_notice(f"anomaly:{i}", "review", {"n": i})
    posted: list[str] = []
    lock, barrier = threading.Lock(), threading.Barrier(2)

    def drain() -> None:
        barrier.wait()
        post_pending(store, SlowNotifier(posted, lock), worker="worker-A")

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(posted) == sorted(f"anomaly:{i}" for i in range(N_NOTICES))  # each once
    assert store.pending_notices() == []
