"""Each engine keeps DuckDB's promises: read-only, the time limit, the row cap, errors that name the engine
and say what to do; and the service, the value index and the anomaly scan run on it through the same
Warehouse interface, with DuckDB's results."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from test_same_numbers import assert_same_rows

from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse_postgres import PostgresWarehouse
from metricloop.core.query import MetricQuery
from metricloop.errors import QueryTimeout, UserError
from metricloop.loop.scanner import run_scan
from metricloop.runtime import build_service
from metricloop.settings import load_settings
from servers.params import DEMO_END, engine_params

# a query that runs for minutes on each engine unless stopped
SLOW = {"postgres": "SELECT pg_sleep(60)", "spark": "SELECT count(*) FROM range(0, 200000000000)"}
WRITES = {
    "postgres": ["CREATE TABLE intruder (a int)", "INSERT INTO orders (order_id) VALUES (-1)",
                 "SELECT set_config('default_transaction_read_only', 'off', false), 1 FROM orders LIMIT 1"],
    "spark": ["CREATE TABLE intruder (a int)", "INSERT INTO orders SELECT * FROM orders",
              "SELECT 1; DROP VIEW orders", "SET spark.sql.ansi.enabled = false"],
}
NAMES = {"postgres": "PostgreSQL", "spark": "Spark"}


@pytest.mark.parametrize("engine", engine_params())
def test_writes_are_refused_and_nothing_changes(engine, engine_worlds):
    warehouse = engine_worlds(engine)["compile"]
    before = warehouse.run_sql("SELECT count(*) FROM orders").rows
    for sql in WRITES[engine]:
        if sql.startswith("SELECT set_config"):  # a session that turns its default off is still read-only
            warehouse.run_sql(sql)
            sql = "CREATE TABLE intruder (a int)"
        with pytest.raises(UserError) as err:
            warehouse.run_sql(sql)
        assert NAMES[engine] in err.value.message and err.value.sql == sql
    assert warehouse.run_sql("SELECT count(*) FROM orders").rows == before
    assert warehouse.table_columns("intruder") == {}


@pytest.mark.parametrize("engine", engine_params())
def test_time_limit_stops_the_query_and_the_engine_stays_usable(engine, engine_worlds):
    warehouse = engine_worlds(engine)["compile"]
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as err:
        warehouse.run_sql(SLOW[engine], timeout_s=1.0)
    assert time.monotonic() - started < 60  # a loaded driver may take seconds to start the job it cancels
    assert NAMES[engine] in err.value.message and "1 s" in err.value.message and err.value.sql == SLOW[engine]
    if engine == "spark":  # the jobs were cancelled in Spark, not left running behind the answer
        tracker = warehouse.spark.sparkContext.statusTracker()
        deadline = time.monotonic() + 20
        while tracker.getActiveJobsIds() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert tracker.getActiveJobsIds() == []
    assert warehouse.run_sql("SELECT count(*) AS n FROM orders").rows == ((1200,),)


@pytest.mark.parametrize("engine", engine_params())
def test_row_cap_keeps_the_first_rows_and_says_truncated(engine, engine_worlds):
    warehouse = engine_worlds(engine)["compile"]
    table = warehouse.run_sql("SELECT order_id, status FROM orders ORDER BY order_id DESC", max_rows=7)
    assert [r[0] for r in table.rows] == list(range(1200, 1193, -1)) and table.truncated
    whole = warehouse.run_sql("SELECT order_id FROM orders WHERE order_id <= 7", max_rows=7)
    assert len(whole.rows) == 7 and not whole.truncated


@pytest.mark.parametrize("engine", engine_params())
def test_errors_name_the_engine_and_types_are_read(engine, engine_worlds):
    warehouse = engine_worlds(engine)["compile"]
    with pytest.raises(UserError) as err:
        warehouse.run_sql("SELECT no_such_column FROM orders")
    assert err.value.message.startswith(f"{NAMES[engine]} could not run the query")
    columns = warehouse.table_columns("orders")
    assert list(columns)[:3] == ["order_id", "customer_id", "ordered_at"]
    assert columns["ordered_at"].upper().startswith("TIMESTAMP")
    assert warehouse.table_columns("no_such_table") == {}
    table = warehouse.run_sql("SELECT CAST(ordered_at AS DATE) AS d, amount, status, is_first FROM orders "
                              "WHERE order_id = 1")
    assert [c.type for c in table.columns] == ["date", "number", "string", "boolean"]
    assert table.rows == (("2023-12-03", 34.03, "completed", True),)


def test_postgres_connection_failure_says_what_to_do_without_the_password():
    with pytest.raises(UserError) as err:
        PostgresWarehouse("postgresql://metric:s3cret@127.0.0.1:1/warehouse", connect_timeout_s=2)
    message = err.value.message
    assert "Could not connect to PostgreSQL" in message and "METRICLOOP_WAREHOUSE" in message
    assert "s3cret" not in message and "metric:***@127.0.0.1:1" in message


@pytest.mark.parametrize("engine", engine_params())
def test_value_index_reads_the_same_values(engine, engine_worlds, duckdb_worlds):
    world = duckdb_worlds["demo"]
    warehouse = engine_worlds(engine)["demo"]
    want = build_value_index(world.catalog, world.duckdb, dialect="duckdb").values()
    got = build_value_index(world.catalog, warehouse, dialect=warehouse.dialect).values()
    assert want and {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in want.items()}


@pytest.mark.parametrize("engine", engine_params("postgres"))
def test_service_and_scan_by_url_answer_like_duckdb(engine, engine_worlds, duckdb_worlds, tmp_path):
    """--warehouse postgresql://…: the service compiles for PostgreSQL, answers and scans like DuckDB."""
    world = duckdb_worlds["demo"]
    url = engine_worlds(engine)["demo"].url
    common = dict(cache_dir=tmp_path / "cache", timezone="UTC")
    on_pg = build_service(load_settings(warehouse=url, **common))
    on_duck = build_service(load_settings(warehouse=str(world.duck_path), **common))
    assert on_pg.dialect == "postgres" and on_duck.dialect == "duckdb"
    query = MetricQuery(metrics=("revenue", "aov"), group_by=("order__channel",), grain="month",
                        time_range={"start": "2026-06-01", "end": "2026-09-30"}, compare="year_over_year")
    got, want = on_pg.query(query, today=DEMO_END), on_duck.query(query, today=DEMO_END)
    assert got.status == want.status == "answered" and got.sql != want.sql
    assert_same_rows(got.rows, want.rows, ordered=True)
    scans = [run_scan(s, None, DEMO_END, start=DEMO_END - dt.timedelta(days=30), dry_run=True)
             for s in (on_pg, on_duck)]
    assert scans[1].anomalies, "the demo's planted incidents must show in the month scanned"
    assert_same_rows([_facts(a) for a in scans[0].anomalies], [_facts(a) for a in scans[1].anomalies], ordered=True)


def _facts(anomaly) -> tuple:
    contributors = " ".join(f"{c.dimension}={c.value}" for c in anomaly.contributors)
    return (anomaly.metric, anomaly.day.isoformat(), str(anomaly.slice), anomaly.direction, anomaly.value,
            anomaly.expected, anomaly.severity, contributors)
