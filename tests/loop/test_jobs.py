"""The loop's scheduler: cron fires from loop.yml, coalescing of missed fires, misfire grace, one leader."""
from __future__ import annotations

import datetime as dt

import pytest

from metricloop.adapters.store import SQLiteStore
from metricloop.clock import FixedClock
from metricloop.loop.jobs import LEASE_TTL, JobRunner, jobs_from_loop

LOOP = {"timezone": "Asia/Shanghai", "digest": {"schedule": "0 8 * * *"},
        "anomaly_scan": {"schedule": "30 6 * * *"}}
MON = dt.date(2026, 3, 9)


def at(day: dt.date, hhmm: str, days: int = 0) -> FixedClock:
    h, m = map(int, hhmm.split(":"))
    return FixedClock(day + dt.timedelta(days=days), timezone="Asia/Shanghai", at=dt.time(h, m))


class Calls:
    """Stands in for the digest and scan: records each fire time it was run for."""

    def __init__(self) -> None:
        self.fires: dict[str, list[dt.datetime]] = {"digest": [], "anomaly_scan": [], "review": []}

    def runs(self) -> dict:
        return {name: (lambda fire, name=name: self.fires[name].append(fire)) for name in self.fires}


def runner(store, calls: Calls, clock: FixedClock, holder: str = "a") -> JobRunner:
    return JobRunner(store, jobs_from_loop(LOOP, calls.runs()), clock, holder=holder)


def test_jobs_come_from_loop_yml():
    jobs = {j.id: j for j in jobs_from_loop(LOOP, Calls().runs())}
    assert sorted(jobs) == ["anomaly_scan", "digest", "review"]  # the review defaults to daily at 09:00
    fire = jobs["digest"].trigger.get_next_fire_time(None, at(MON, "07:00").now())
    assert fire == at(MON, "08:00").now()  # 08:00 in loop.yml's timezone
    assert jobs_from_loop({"timezone": "UTC"}, Calls().runs())[0].id == "review"  # nothing else scheduled


@pytest.mark.parametrize(("ticks", "digests"), [
    # (day offset, time) of each tick -> the fires the digest ran for (day offset, time)
    ([(0, "07:59"), (0, "08:00"), (0, "08:01")], [(0, "08:00")]),         # once, on time
    ([(0, "08:05")], [(0, "08:00")]),                                      # first start just after: owed
    ([(0, "13:59")], [(0, "08:00")]),                                      # within the 6 h grace
    ([(0, "14:01")], []),                                                  # too late: missed, not sent
    ([(0, "08:00"), (3, "09:00")], [(0, "08:00"), (3, "08:00")]),         # down three mornings: ONE digest
    ([(0, "08:00"), (3, "09:00"), (3, "09:30")], [(0, "08:00"), (3, "08:00")]),
])
def test_coalescing_and_misfire_grace(store, ticks, digests):
    calls = Calls()
    for days, hhmm in ticks:
        r = runner(store, calls, at(MON, hhmm, days))
        r.tick()
    assert calls.fires["digest"] == [at(MON, hhmm, days).now() for days, hhmm in digests]


def test_three_missed_runs_are_recorded_as_one_coalesced_run(store):
    calls = Calls()
    runner(store, calls, at(MON, "08:00")).tick()
    outcomes = runner(store, calls, at(MON, "10:00", 3)).tick()  # back after three 08:00s (and three 06:30s)
    digest = next(o for o in outcomes if o.job == "digest")
    assert (digest.status, digest.coalesced) == ("done", 3)
    assert [r.status for r in store.job_runs("digest")] == ["done", "done"]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(store):
    def boom(fire):
        raise RuntimeError("warehouse down")

    calls = Calls()
    runs = {**calls.runs(), "anomaly_scan": boom}
    r = JobRunner(store, jobs_from_loop(LOOP, runs), at(MON, "08:00"), holder="a")
    outcomes = {o.job: o.status for o in r.tick()}
    # yesterday's 09:00 review is past its grace on a first start: recorded as missed, not run
    assert outcomes == {"anomaly_scan": "failed", "digest": "done", "review": "missed"}
    assert "error_id" in store.job_runs("anomaly_scan")[0].detail


def test_two_processes_one_leader_and_takeover_after_the_lease_expires(tmp_path):
    path = tmp_path / "store.sqlite"
    store_a, store_b = SQLiteStore(path), SQLiteStore(path)
    calls_a, calls_b = Calls(), Calls()
    a = runner(store_a, calls_a, at(MON, "07:59"), holder="a")
    b = runner(store_b, calls_b, at(MON, "07:59"), holder="b")
    a.tick()
    b.tick()  # b starts second: a leads
    a.clock = b.clock = at(MON, "08:00")
    a.tick()
    b.tick()
    assert len(calls_a.fires["digest"]) == 1 and calls_b.fires["digest"] == []
    # a dies right after 08:00; b keeps ticking and takes over once the lease has expired
    b.clock = FixedClock(MON, "Asia/Shanghai", at=(dt.datetime.combine(MON, dt.time(8)) + LEASE_TTL / 2).time())
    b.tick()
    assert store_b.lease("scheduler").holder == "a"
    b.clock = at(MON, "08:02", 1)  # the next morning's digest is b's
    b.tick()
    assert store_b.lease("scheduler").holder == "b"
    assert [f.date() for f in calls_b.fires["digest"]] == [MON + dt.timedelta(days=1)]
    assert len(calls_a.fires["digest"]) == 1  # nothing ran twice
    store_a.close()
    store_b.close()


def test_a_fire_claimed_by_another_process_is_not_run_again(tmp_path):
    path = tmp_path / "store.sqlite"
    store_a, store_b = SQLiteStore(path), SQLiteStore(path)
    calls = Calls()
    runner(store_a, calls, at(MON, "08:00"), holder="a").tick()
    store_b.release_lease("scheduler", "a")  # a handover right after a ran the fire
    runner(store_b, calls, at(MON, "08:00"), holder="b").tick()
    assert len(calls.fires["digest"]) == 1
    store_a.close()
    store_b.close()
