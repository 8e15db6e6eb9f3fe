"""Background jobs on a real scheduler (APScheduler): for now, keeping the dimension-value index fresh.

New values appear in the warehouse (a new region, a new product category); the interpreter only
recognises values it has indexed, so the index is rebuilt on a schedule and the lexicon with it.
"""
from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from metricloop.errors import log_internal_error

log = logging.getLogger(__name__)


def refresh_values(understander: Any) -> int:
    """Rebuild the value index and the interpreter's lexicon; returns how many dimensions were indexed."""
    index = getattr(understander, "value_index", None)
    if index is None or not hasattr(index, "refresh"):
        return 0
    try:
        values = index.refresh()
        understander.refresh_values()
    except Exception as exc:  # noqa: BLE001 - a failed refresh keeps the previous index; the bot stays up
        log_internal_error(exc, "value index refresh")
        return 0
    log.info("value index refreshed: %d dimensions", len(values))
    return len(values)


def start_scheduler(understander: Any, *, value_refresh_minutes: float) -> BackgroundScheduler | None:
    """Start the background scheduler with the value-index job (None when refreshing is turned off)."""
    if understander is None or value_refresh_minutes <= 0:
        return None
    scheduler = BackgroundScheduler(daemon=True, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.add_job(refresh_values, "interval", minutes=value_refresh_minutes, args=[understander],
                      id="refresh-value-index", replace_existing=True)
    scheduler.start()
    return scheduler
