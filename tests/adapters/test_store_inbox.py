"""The inbox: received → answered; duplicates while the receiving worker runs; taken over once it is gone."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from metricloop.adapters.process_id import WorkerId, _start_ticks, current_worker, worker_running


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def inbox(store_backend, clock, monkeypatch):
    alive: dict[str, bool | None] = {}
    store = store_backend.open(clock=clock)
    monkeypatch.setattr(type(store), "worker_probe", staticmethod(lambda w: alive.get(w)))
    store.alive = alive
    return store


# (what happens to worker A before B sees the delivery again, what B's receive says)
CASES = [
    ("A running", "duplicate"),
    ("A answered", "duplicate"),
    ("A process gone", "retaken"),
    ("A stopped", "retaken"),
    ("A silent past the lease", "retaken"),
    ("A silent within the lease", "duplicate"),
    ("A gone, taken 3 times already", "duplicate"),
    ("A gone, a day old", "duplicate"),
]


@pytest.mark.parametrize(("story", "expected"), CASES)
def test_a_second_delivery(inbox, clock, story, expected):
    inbox.register_worker("A")
    inbox.register_worker("B")
    inbox.alive.update({"A": True, "B": True})
    assert inbox.receive("event:Ev1", {"event": {"text": "orders"}}, "A", user="U1") == "new"
    if story == "A answered":
        assert inbox.mark_answered("event:Ev1")
    if "gone" in story:
        inbox.alive["A"] = False
    if story == "A stopped":
        inbox.stop_worker("A")
    if "silent" in story:
        inbox.alive["A"] = None  # another host: only the heartbeat tells
        clock.now += dt.timedelta(seconds=31 if "past" in story else 20)
        inbox.heartbeat("B")
    if "3 times" in story:
        inbox.max_attempts = 1
    if "day old" in story:
        clock.now += dt.timedelta(hours=25)
    assert inbox.receive("event:Ev1", {"event": {"text": "orders"}}, "B") == expected
    entry = inbox.inbox_entry("event:Ev1")
    assert entry.worker == ("B" if expected == "retaken" else "A")
    assert entry.status == ("answered" if story == "A answered" else
                            "expired" if ("3 times" in story or "day old" in story) else "received")


def test_orphans_are_what_gone_workers_left_unanswered(inbox):
    for worker in ("A", "B"):
        inbox.register_worker(worker)
    inbox.alive.update({"A": False, "B": True})
    inbox.receive("k1", {"n": 1}, "A")
    inbox.receive("k2", {"n": 2}, "A")
    inbox.receive("k3", {"n": 3}, "B")
    inbox.mark_answered("k2")
    assert [(e.key, e.payload) for e in inbox.orphans()] == [("k1", {"n": 1})]
    assert inbox.receive("k1", {"n": 1}, "B") == "retaken"
    assert inbox.orphans() == []
    assert inbox.mark_answered("k1") and not inbox.mark_answered("k1")


def test_a_killed_process_is_gone_at_once_and_a_running_one_is_not():
    me = current_worker()
    assert worker_running(str(me)) is True
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        other = WorkerId.parse(f"{me.host}/{child.pid}/{_start_ticks(child.pid)}")
        assert other.running() is True
        assert WorkerId(me.host, child.pid, "1").running() is False  # same pid, another start: a reused pid
    finally:
        child.kill()
        child.wait()
    assert other.running() is False
    assert WorkerId("another-host", 1, "1").running() is None
    assert WorkerId.parse("not an id") is None
