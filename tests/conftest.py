"""Shared fixtures: a durable store on tmp_path, a signing secret, and the fake Slack Web API."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from metricloop.adapters.store import SQLiteStore

# The longest tests, started first: under `-n 2` a two-minute test picked up last keeps one worker busy after the
# other has finished everything else (the 180-day loop simulation alone takes about two minutes of one worker)
_LONGEST_FIRST = ("tests/loop/test_simulation.py", "tests/loop/test_kill.py", "tests/governance/test_fuzz_ask.py",
                  "tests/adapters/test_catalog_files.py::test_twenty_thousand_metrics_validate",
                  "tests/slack/test_replicas.py", "tests/slack/test_kill_restart.py", "tests/test_lazy_model.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest tests first (the rest keep their order): the same tests, a shorter wall time under xdist."""
    items.sort(key=lambda item: not item.nodeid.startswith(_LONGEST_FIRST))


@pytest.fixture(autouse=True)
def _private_default_store(tmp_path, monkeypatch) -> None:
    """Every test's default store is its own file, never the project's var/metricloop.sqlite that both xdist workers
    shared (on a clean clone both created it at once and a CLI test exited 1: the migration race fixed in
    adapters/store.py). Tests that name a store still win (they set the variable after this)."""
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "default-store.sqlite"))


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
