"""The loop's world: the layered catalog and its warehouse (tests/fixtures/loop), a service on a fixed clock,
and a WebClient on the fake Slack."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from slack_sdk import WebClient

from fakes import workspace as ws
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.service import MetricService

LOOP_FIXTURES = Path(__file__).parents[1] / "fixtures" / "loop"
DIGEST_DAY = dt.date(2026, 3, 11)  # the warehouse's data ends on the 10th


@pytest.fixture(scope="session")
def loop_catalog():
    return load_catalog(LOOP_FIXTURES / "catalog")


@pytest.fixture(scope="session")
def loop_warehouse_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("loop") / "loop.duckdb"
    con = duckdb.connect(str(path))
    con.execute((LOOP_FIXTURES / "warehouse.sql").read_text())
    con.close()
    return path


@pytest.fixture
def loop_service(loop_catalog, loop_warehouse_path):
    warehouse = DuckDBWarehouse(str(loop_warehouse_path), read_only=True, timeout_s=20)
    yield MetricService(catalog=loop_catalog, warehouse=warehouse, clock=FixedClock(DIGEST_DAY))
    warehouse.close()


@pytest.fixture
def slack_client(fake_slack) -> WebClient:
    return WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)
