"""The value index is rebuilt on a real APScheduler schedule, and a new warehouse value becomes askable."""
from __future__ import annotations

import datetime as dt
import time

import duckdb
from tests.slack.conftest import FIXTURES

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.understand.interpreter import Understander
from metricloop.scheduler import refresh_values, start_scheduler

TODAY = dt.date(2026, 3, 31)


def _warehouse(path):
    con = duckdb.connect(str(path))
    con.execute((FIXTURES / "slack" / "shop_warehouse.sql").read_text())
    con.close()


def test_a_new_value_becomes_askable_after_a_refresh(tmp_path):
    path = tmp_path / "shop.duckdb"
    _warehouse(path)
    catalog = load_catalog(FIXTURES / "catalogs" / "shop")
    warehouse = DuckDBWarehouse(str(path), read_only=False)
    understander = Understander(catalog, None, build_value_index(catalog, warehouse))
    before = understander.interpret("revenue in Atlantis in March", today=TODAY)
    assert not (before.query and before.query.where)  # unknown value: no filter can be made from it
    region = warehouse.run_sql("SELECT region FROM customers LIMIT 1").rows[0][0]
    warehouse._con.execute("UPDATE customers SET region = 'Atlantis' WHERE region = ?", [region])
    assert refresh_values(understander) > 0
    after = understander.interpret("revenue in Atlantis in March", today=TODAY)
    assert after.kind == "query" and after.query.where[0].values == ("Atlantis",)


def test_the_scheduler_runs_the_refresh_job(tmp_path):
    calls = []

    class Index:
        def refresh(self):
            calls.append(time.monotonic())
            return {("m", "d"): ["x"]}

    class Interpreter:
        value_index = Index()

        def refresh_values(self):
            pass

    scheduler = start_scheduler(Interpreter(), value_refresh_minutes=0.01)  # every 0.6 s
    try:
        deadline = time.monotonic() + 10
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(calls) >= 2
        assert scheduler.get_job("refresh-value-index") is not None
    finally:
        scheduler.shutdown(wait=False)
    assert start_scheduler(Interpreter(), value_refresh_minutes=0) is None
