"""Every store test runs on both backends: the `store` fixture and `store_backend` are parametrised over
SQLite (a file in tmp_path) and PostgreSQL (a fresh schema on the session's throwaway server)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.store_backends import BACKENDS, StoreBackend, postgres_schema_url


@pytest.fixture(params=BACKENDS)
def store_backend(request, tmp_path) -> Iterator[StoreBackend]:
    if request.param == "sqlite":
        backend = StoreBackend("sqlite", tmp_path / "store.sqlite")
    else:
        backend = StoreBackend("postgres", postgres_schema_url(request.getfixturevalue("postgres_server").url))
    yield backend
    backend.close_all()


@pytest.fixture
def store(store_backend):
    """A fresh store on each backend."""
    return store_backend.open()
