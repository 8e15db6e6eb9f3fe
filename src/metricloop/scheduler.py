"""Background jobs on a real scheduler (APScheduler): for now, keeping the dimension-value index fresh.

New values appear in the warehouse (a new region, a new product category); the interpreter only
recognises values it has indexed, so the service re-reads them on a schedule. Jobs call the
service, never an adapter or the interpreter directly; each job logs its own failures and
leaves the bot running.
"""
from __future__ import annotations

import logging
from typing import Protocol

from apscheduler.schedulers.background import BackgroundScheduler

from metricloop.errors import log_internal_error

log = logging.getLogger(__name__)


class ValueRefresher(Protocol):
    """What the value-index job needs (MetricService is one)."""

    def refresh_values(self) -> int: ...


def refresh_values(service: ValueRefresher) -> int:
    """The value-index job: returns how many dimensions were indexed (0 on failure or without an index)."""
    try:
        count = service.refresh_values()
    except Exception as exc:  # noqa: BLE001 - a failed refresh keeps the previous index; the bot stays up
        log_internal_error(exc, "value index refresh")
        return 0
    if count:
        log.info("value index refreshed: %d dimensions", count)
    return count


def new_scheduler() -> BackgroundScheduler:
    """A background scheduler whose late or overlapping runs of a job collapse into one."""
    return BackgroundScheduler(daemon=True, job_defaults={"coalesce": True, "max_instances": 1})


def add_value_refresh(scheduler: BackgroundScheduler, service: ValueRefresher, *, minutes: float) -> bool:
    """Schedule the value-index refresh every `minutes` (not at all when minutes <= 0); True if added."""
    if minutes <= 0:
        return False
    scheduler.add_job(refresh_values, "interval", minutes=minutes, args=[service],
                      id="refresh-value-index", replace_existing=True)
    return True


def start_scheduler(service: ValueRefresher | None, *, value_refresh_minutes: float) -> BackgroundScheduler | None:
    """Start a scheduler with the value-index job (None when there is nothing to schedule)."""
    if service is None or value_refresh_minutes <= 0:
        return None
    scheduler = new_scheduler()
    add_value_refresh(scheduler, service, minutes=value_refresh_minutes)
    scheduler.start()
    return scheduler
