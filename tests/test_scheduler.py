"""The value index is rebuilt on a real APScheduler schedule, and a new warehouse value becomes askable."""
from __future__ import annotations

import datetime as dt
import time

from tests.slack.conftest import FIXTURES, build_shop_warehouse

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.llm import LLMInterpreter
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.understand.interpreter import Understander
from metricloop.scheduler import refresh_values, start_scheduler
from metricloop.service import MetricService

TODAY = dt.date(2026, 3, 31)


def _shop(tmp_path):
    """The shop catalog over a writable DuckDB copy, and an understander indexing its values."""
    path = build_shop_warehouse(tmp_path / "shop.duckdb")
    catalog = load_catalog(FIXTURES / "catalogs" / "shop")
    warehouse = DuckDBWarehouse(str(path), read_only=False)
    return catalog, warehouse, Understander(catalog, None, build_value_index(catalog, warehouse))


def _rename_a_region_to_atlantis(warehouse):
    region = warehouse.run_sql("SELECT region FROM customers LIMIT 1").rows[0][0]
    warehouse._con.execute("UPDATE customers SET region = 'Atlantis' WHERE region = ?", [region])


def test_a_new_value_becomes_askable_after_a_refresh(tmp_path):
    catalog, warehouse, understander = _shop(tmp_path)
    before = understander.interpret("revenue in Atlantis in March", today=TODAY)
    assert not (before.query and before.query.where)  # unknown value: no filter can be made from it
    _rename_a_region_to_atlantis(warehouse)
    assert refresh_values(MetricService(catalog, warehouse, understander=understander)) > 0
    after = understander.interpret("revenue in Atlantis in March", today=TODAY)
    assert after.kind == "query" and after.query.where[0].values == ("Atlantis",)


def test_the_refresh_reaches_the_values_behind_an_llm_interpreter(tmp_path):
    """The LLM interpreter wraps the deterministic one; the scheduled refresh must still reach its index."""
    catalog, warehouse, understander = _shop(tmp_path)
    # nothing listens on port 9: every model call fails fast and the deterministic reading is used
    llm = LLMInterpreter(understander, "http://127.0.0.1:9/v1", "fake-model", timeout_s=1)
    _rename_a_region_to_atlantis(warehouse)
    assert refresh_values(MetricService(catalog, warehouse, understander=llm)) > 0
    after = llm.interpret("revenue in Atlantis in March", today=TODAY)
    assert after.kind == "query" and after.query.where[0].values == ("Atlantis",)


def test_the_scheduler_runs_the_refresh_job(tmp_path):
    calls = []

    class Index:
        def refresh(self):
            calls.append(time.monotonic())
            return {("m", "d"): ["x"]}

    class Service:
        index = Index()

        def refresh_values(self):
            return len(self.index.refresh())

    scheduler = start_scheduler(Service(), value_refresh_minutes=0.01)  # every 0.6 s
    try:
        deadline = time.monotonic() + 10
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(calls) >= 2
        assert scheduler.get_job("refresh-value-index") is not None
    finally:
        scheduler.shutdown(wait=False)
    assert start_scheduler(Service(), value_refresh_minutes=0) is None
