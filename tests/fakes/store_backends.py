"""Where a test's store lives: an SQLite file, or a fresh schema on a throwaway PostgreSQL server
(tests/servers/postgres.py) — for the store tests on both backends, the replica tests and the benchmark."""
from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg

from metricloop.adapters.store_open import open_store

BACKENDS = ("sqlite", "postgres")


class StoreBackend:
    """One place a store lives; `open()` opens another store object on it (another process, a reopen)."""

    def __init__(self, name: str, location: str | Path) -> None:
        self.name, self.location = name, location
        self.opened: list = []

    def open(self, **kwargs):
        """A new store object on this location (closed by `close_all`)."""
        store = open_store(self.location, **kwargs)
        self.opened.append(store)
        return store

    def close_all(self) -> None:
        for store in self.opened:
            store.close()


def postgres_schema_url(server_url: str) -> str:
    """A new, empty schema on the server, as a URL whose connections use it (libpq `options`: search_path)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    return f"{server_url}?options={quote(f'-csearch_path={schema}')}"
