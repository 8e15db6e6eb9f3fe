"""Open the durable store a location names: a ``postgresql://`` URL (shared by several bot processes) or an
SQLite file path (one host). The one place that chooses the store's backend."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.store_dialect import is_postgres_url
from metricloop.core.catalog.taught import TaughtWord

log = logging.getLogger(__name__)


def open_store(location: str | Path, **kwargs: Any) -> SQLiteStore:
    """The store at `location`; keyword arguments (clock, event_retention_days) go to the store."""
    if is_postgres_url(location):
        from metricloop.adapters.store_postgres import PostgresStore

        return PostgresStore(str(location), **kwargs)
    return SQLiteStore(location, **kwargs)


def store_location(settings: Any) -> str | Path:
    """METRICLOOP_STORE_URL when set, else the SQLite file METRICLOOP_STORE_PATH."""
    return getattr(settings, "store_url", None) or settings.store_path


def open_configured_store(settings: Any) -> SQLiteStore:
    """The store the settings name (``store_location``), for commands and the runtime."""
    return open_store(store_location(settings))


def configured_taught_words(settings: Any) -> list[TaughtWord]:
    """The words owners taught (adapters/store_taught), for a process that keeps no store open (`metricloop ask`,
    `eval`): none when there is no store yet (an SQLite file never created) or it cannot be read — a question is
    still answered, from the catalog's own words."""
    location = store_location(settings)
    if not is_postgres_url(location) and not Path(location).exists():
        return []
    try:
        store = open_store(location)
    except Exception:  # noqa: BLE001 - an unreachable store must not stop a question
        log.warning("could not read the taught words from the store", exc_info=True)
        return []
    try:
        return store.taught_words()
    finally:
        store.close()
