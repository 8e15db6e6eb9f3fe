"""The scheduler's store records: job fires claimed once, a leader lease with expiry, digests sent once."""
from __future__ import annotations

import datetime as dt

import pytest

T0 = dt.datetime(2026, 3, 11, 8, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=90)


def test_a_fire_is_claimed_once_and_is_the_persistent_last_run(store):
    assert store.last_fire("digest") is None
    assert store.claim_run("digest", T0, "a") is True
    assert store.claim_run("digest", T0, "b") is False  # another process, or the same after a restart
    store.finish_run("digest", T0, "done", {"sent": 2})
    store.claim_run("digest", T0 - dt.timedelta(days=1), "a", status="missed")
    assert store.last_fire("digest") == T0
    runs = store.job_runs("digest")
    assert [(r.fire_time, r.status, r.detail) for r in runs] == [
        (T0, "done", {"sent": 2}), (T0 - dt.timedelta(days=1), "missed", {})]


@pytest.mark.parametrize(("steps", "holders"), [
    # (who, seconds after T0) -> whether they hold the lease afterwards
    ([("a", 0), ("b", 10)], [True, False]),                       # held: the other waits
    ([("a", 0), ("a", 60), ("b", 120)], [True, True, False]),     # renewed at 60 s: still held at 120 s
    ([("a", 0), ("b", 91)], [True, True]),                        # expired after 90 s: taken over
    ([("a", 0), ("b", 91), ("a", 100)], [True, True, False]),     # the old leader does not get it back
])
def test_leader_lease(store_backend, steps, holders):
    stores = {"a": store_backend.open(), "b": store_backend.open()}  # two processes, one store
    got = [stores[who].acquire_lease("scheduler", who, T0 + dt.timedelta(seconds=s), TTL) for who, s in steps]
    assert got == holders


def test_released_lease_is_free_at_once(store):
    assert store.acquire_lease("scheduler", "a", T0, TTL)
    assert store.release_lease("scheduler", "a")
    assert store.acquire_lease("scheduler", "b", T0, TTL)
    assert store.lease("scheduler").holder == "b"


def test_a_digest_is_claimed_once_per_target_and_day(store):
    assert store.claim_digest("#sales", "2026-03-11", T0)
    assert not store.claim_digest("#sales", "2026-03-11", T0)            # being sent
    assert store.claim_digest("#sales", "2026-03-12", T0)                # another day
    store.finish_digest("#sales", "2026-03-11", channel="C1", ts="1.2")
    assert not store.claim_digest("#sales", "2026-03-11", T0 + dt.timedelta(days=1))  # sent: never again
    # a sender that died mid-post leaves a stale claim, which may be taken again later
    assert store.claim_digest("#sales", "2026-03-12", T0 + dt.timedelta(hours=1))
    assert [(d["target"], d["day"], d["status"]) for d in store.digests_sent()] == [
        ("#sales", "2026-03-11", "sent"), ("#sales", "2026-03-12", "sending")]


def test_naive_times_are_refused(store):
    with pytest.raises(ValueError):
        store.claim_run("digest", dt.datetime(2026, 3, 11, 8), "a")
