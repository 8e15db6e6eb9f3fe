"""Shared fixtures: a durable store on tmp_path, a signing secret, and the fake Slack Web API."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from metricloop.adapters.store import SQLiteStore


@pytest.fixture
def store(tmp_path) -> Iterator[SQLiteStore]:
    """A fresh SQLite store in the test's temporary directory."""
    s = SQLiteStore(tmp_path / "store.sqlite")
    yield s
    s.close()


@pytest.fixture
def signing_secret() -> str:
    """The Slack signing secret shared by the request builders and the app under test."""
    return "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def fake_slack():
    """A fake Slack Web API on 127.0.0.1 (random port); see fakes.fake_slack."""
    from fakes.fake_slack import FakeSlack

    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server per test process (tests/servers/postgres.py), started on first use."""
    from servers.postgres import start_postgres

    server = start_postgres()
    yield server
    server.stop()
