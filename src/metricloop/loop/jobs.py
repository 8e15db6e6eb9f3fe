"""The loop's scheduled jobs (scan, digest, review) from loop.yml, run by one leader with persistent runs.

APScheduler's cron triggers say when each job fires (in loop.yml's `timezone`); the metricloop store says
what has run. On every tick (every 15 s on an APScheduler interval job in `serve`):

1. the process renews, or tries to take, the scheduler's leader lease; only the holder goes on, so several
   bot processes run each job once. A leader that dies stops renewing and another takes over when the lease
   expires;
2. per job, the fires since the last claimed fire are computed. They are coalesced: only the latest runs, so a
   bot that was down for three 08:00 digests sends one when it comes back. A fire older than the job's misfire
   grace is recorded as missed and not run (yesterday's digest is not sent at 23:00);
3. the fire is claimed in the store before it runs (one claim per job and fire time), so a fire never runs
   twice, even across a lease handover. The job itself is idempotent too (digests are claimed per target and
   day, reviews per action).

On the very first start a job owes at most its latest fire within the grace (a bot deployed at 08:05 sends
today's 08:00 digest); older history is not replayed.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from metricloop.errors import log_internal_error
from metricloop.ports import Clock

log = logging.getLogger(__name__)

LEASE = "scheduler"
# A dead leader's lease expires after LEASE_TTL and the next tick takes it: a takeover within a minute. On
# PostgreSQL the lease's holder is also seen dead at once (adapters/store_postgres), so within one tick.
LEASE_TTL = dt.timedelta(seconds=45)
TICK_SECONDS = 15
FIRST_START_LOOKBACK = dt.timedelta(days=8)  # a weekly job's latest fire is within the last 8 days
# defaults when loop.yml does not say: the review runs after the digest; a digest later than 6 hours is stale
DEFAULT_REVIEW_SCHEDULE = "0 9 * * *"
DEFAULT_GRACE = {"anomaly_scan": dt.timedelta(hours=12), "digest": dt.timedelta(hours=6),
                 "review": dt.timedelta(hours=12)}
_TINY = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Job:
    """A cron-scheduled job: `run(fire_time)` is called with the (timezone-aware) moment it was due."""

    id: str
    trigger: CronTrigger
    run: Callable[[dt.datetime], Any]
    misfire_grace: dt.timedelta = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Outcome:
    """What one tick did with one job."""

    job: str
    fire_time: dt.datetime
    status: str  # done | failed | missed
    coalesced: int = 1  # fires folded into this one
    result: Any = None


def _section(loop: dict[str, Any], name: str) -> dict[str, Any]:
    value = loop.get(name)
    return value if isinstance(value, dict) else {}


def _grace(section: dict[str, Any], job: str) -> dt.timedelta:
    minutes = section.get("misfire_grace_minutes")
    return dt.timedelta(minutes=float(minutes)) if minutes is not None else DEFAULT_GRACE[job]


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")  # crontab: 0 and 7 are Sunday


def _crontab_days(field: str) -> str:
    """A crontab day-of-week field in APScheduler's terms. APScheduler 3 reads numbers as 0 = Monday, so
    crontab's "1-5" (Monday to Friday) would fire Tuesday to Saturday; names mean the same to both."""
    parts = []
    for part in field.split(","):
        spec, slash, step = part.partition("/")
        lo, dash, hi = spec.partition("-")
        if not (lo.isdigit() and (not dash or hi.isdigit())):
            parts.append(part)  # *, names, or anything else APScheduler reads as crontab does
            continue
        first, last = int(lo), int(hi) if dash else None
        if dash and first == 0 and last is not None and last >= 1:  # 0-N: Sunday, then Monday..N
            parts += [f"sun{slash}{step}" if slash else "sun", f"mon-{_DAY_NAMES[last]}{slash}{step}"]
            continue
        name = _DAY_NAMES[first] + (f"-{_DAY_NAMES[last]}" if last is not None else "")
        parts.append(name + (slash + step if slash else ""))
    return ",".join(parts)


def crontab_trigger(expression: str, tz: ZoneInfo) -> CronTrigger:
    """A CronTrigger for a standard 5-field crontab string (day of week: 0 or 7 = Sunday, 1 = Monday)."""
    fields = expression.split()
    if len(fields) != 5:
        return CronTrigger.from_crontab(expression, timezone=tz)  # APScheduler says what is wrong with it
    minute, hour, day, month, day_of_week = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=_crontab_days(day_of_week),
                       timezone=tz)


def jobs_from_loop(loop: dict[str, Any], runs: dict[str, Callable[[dt.datetime], Any]]) -> list[Job]:
    """The jobs loop.yml schedules, for those named in `runs` (anomaly_scan, digest, review → callable).

    `anomaly_scan.schedule` and `digest.schedule` are crontab strings; a section without a schedule (or
    without a callable) schedules nothing. The review runs daily at `review.schedule` (default 09:00)."""
    tz = ZoneInfo(str(loop.get("timezone") or "UTC"))
    jobs = []
    for job_id, default in (("anomaly_scan", None), ("digest", None), ("review", DEFAULT_REVIEW_SCHEDULE)):
        section = _section(loop, job_id)
        schedule = section.get("schedule") or default
        if schedule and job_id in runs:
            jobs.append(Job(job_id, crontab_trigger(str(schedule), tz), runs[job_id],
                            _grace(section, job_id)))
    return jobs


def default_holder() -> str:
    """A name for this process in the lease: host, pid and a random part (pids repeat across containers)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class JobRunner:
    """Runs due jobs on `tick()` when this process holds the leader lease (see the module docstring)."""

    store: Any  # adapters.store_schedule.ScheduleStoreMixin
    jobs: list[Job]
    clock: Clock
    holder: str = field(default_factory=default_holder)
    lease_ttl: dt.timedelta = LEASE_TTL

    def is_leader(self, now: dt.datetime | None = None) -> bool:
        """Take or renew the lease; True when this process holds it."""
        return bool(self.store.acquire_lease(LEASE, self.holder, now or self.clock.now(), self.lease_ttl))

    def due(self, job: Job, now: dt.datetime) -> tuple[dt.datetime | None, int]:
        """The latest fire of `job` at or before `now` not yet claimed, and how many fires are owed."""
        last = self.store.last_fire(job.id)
        cursor = last + _TINY if last is not None else now - FIRST_START_LOOKBACK
        latest, count = None, 0
        while True:
            fire = job.trigger.get_next_fire_time(None, cursor)
            if fire is None or fire > now:
                break
            latest, count, cursor = fire, count + 1, fire + _TINY
        if last is None and latest is not None:
            count = 1  # a first start owes at most one fire
        return latest, count

    def tick(self) -> list[Outcome]:
        """Run what is due, once, if this process is the leader; returns what happened per job."""
        now = self.clock.now()
        if not self.is_leader(now):
            return []
        outcomes = []
        for job in self.jobs:
            fire, count = self.due(job, now)
            if fire is None:
                continue
            if now - fire > job.misfire_grace:
                if self.store.claim_run(job.id, fire, self.holder, status="missed"):
                    log.warning("job %s: fire at %s missed (%s late); not run", job.id, fire, now - fire)
                    outcomes.append(Outcome(job.id, fire, "missed", count))
                continue
            if not self.store.claim_run(job.id, fire, self.holder):
                continue  # another process ran it
            outcomes.append(self._run(job, fire, count))
            self.is_leader()  # renew between jobs: a long job must not let the lease lapse unnoticed
        return outcomes

    def _run(self, job: Job, fire: dt.datetime, count: int) -> Outcome:
        try:
            result = job.run(fire)
        except Exception as exc:  # noqa: BLE001 - a failing job is logged and recorded; the others still run
            error_id = log_internal_error(exc, f"scheduled job {job.id} at {fire}")
            self.store.finish_run(job.id, fire, "failed", {"error_id": error_id, "coalesced": count})
            return Outcome(job.id, fire, "failed", count)
        self.store.finish_run(job.id, fire, "done", {"coalesced": count, "result": result})
        if count > 1:
            log.info("job %s: %d missed fires coalesced into the one at %s", job.id, count, fire)
        return Outcome(job.id, fire, "done", count, result)

    def start(self, scheduler: BackgroundScheduler | None = None, seconds: float = TICK_SECONDS) -> BackgroundScheduler:
        """Tick every `seconds` on an APScheduler interval job (on `scheduler`, or a new background one)."""
        owned = scheduler is None
        scheduler = scheduler or BackgroundScheduler(daemon=True)
        scheduler.add_job(self._safe_tick, "interval", seconds=seconds, id="loop-jobs", replace_existing=True,
                          coalesce=True, max_instances=1, next_run_time=dt.datetime.now(dt.UTC))
        if owned:
            scheduler.start()
        return scheduler

    def stop(self) -> None:
        """Give the lease up so another process takes over at once (a clean shutdown)."""
        self.store.release_lease(LEASE, self.holder)

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception as exc:  # noqa: BLE001 - the store may be briefly locked; the next tick retries
            log_internal_error(exc, "scheduler tick")
