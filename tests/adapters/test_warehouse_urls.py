"""Warehouse values: a file or an engine URL -> the engine, its dialect and how to reach it; the DB-API adapter
(Snowflake, BigQuery, Trino, Databricks) keeps the guarantees, shown with Python's own DB-API driver, sqlite3."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from metricloop.adapters.warehouse_dbapi import DbApiWarehouse, dbapi_target, open_dbapi_warehouse
from metricloop.adapters.warehouse_open import engine_dialect, is_url, normalise_location, open_warehouse_at
from metricloop.adapters.warehouse_spark import spark_builder_settings
from metricloop.errors import QueryTimeout, UserError
from metricloop.settings import load_settings

LOCATIONS = [  # value, dialect, is a URL
    ("var/demo.duckdb", "duckdb", False),
    ("/data/warehouse.duckdb", "duckdb", False),
    ("postgresql://metric@db.internal:5432/analytics", "postgres", True),
    ("postgres://metric@db/analytics", "postgres", True),
    ("spark://local[*]", "spark", True),
    ("sc://spark.internal:15002", "spark", True),
    ("snowflake://me:pw@acme-xy12345/ANALYTICS/PUBLIC?warehouse=WH", "snowflake", True),
    ("bigquery://acme-project/analytics", "bigquery", True),
    ("trino://me@trino.internal:8080/hive/analytics", "trino", True),
    ("databricks://token:dapi123@adb-1.azuredatabricks.net/main/analytics?http_path=/sql/1.0/warehouses/abc",
     "databricks", True),
]


@pytest.mark.parametrize(("value", "dialect", "url"), LOCATIONS, ids=[v[0].split(":")[0] for v in LOCATIONS])
def test_engine_and_dialect_follow_the_value(value, dialect, url):
    assert engine_dialect(value) == dialect and is_url(value) is url
    assert normalise_location(Path(value)) == (value if url else str(Path(value)))  # a CLI Path keeps its '//'
    settings = load_settings(warehouse=Path(value))
    assert settings.warehouse == normalise_location(value) and settings.dialect is None


def test_missing_duckdb_file_says_what_to_do(tmp_path):
    with pytest.raises(UserError) as err:
        open_warehouse_at(tmp_path / "nope.duckdb")
    assert "metricloop demo" in err.value.message and "postgresql://" in err.value.message


@pytest.mark.parametrize(("url", "want"), [
    ("spark://local[*]", ("master", "local[*]", "4")),
    ("spark://local[2]?spark.sql.shuffle.partitions=8&ignored=1", ("master", "local[2]", "8")),
    ("spark://master.internal:7077", ("master", "spark://master.internal:7077", "4")),
    ("sc://spark.internal:15002", ("remote", "sc://spark.internal:15002", None)),
])
def test_spark_urls(url, want):
    kind, address, settings = spark_builder_settings(url)
    assert (kind, address, settings.get("spark.sql.shuffle.partitions")) == want
    assert "ignored" not in settings
    if kind == "master":
        assert settings["spark.sql.session.timeZone"] == "UTC"


def test_bad_spark_url_is_a_user_error():
    with pytest.raises(UserError, match="spark://local"):
        spark_builder_settings("spark://")


def test_dbapi_urls_become_driver_arguments():
    snow = dbapi_target("snowflake://me:p%40ss@acme-xy12345/ANALYTICS/PUBLIC?warehouse=WH&role=READER", 30)
    assert (snow.module, snow.extra) == ("snowflake.connector", "snowflake")
    assert snow.kwargs == {"account": "acme-xy12345", "user": "me", "password": "p@ss", "database": "ANALYTICS",
                           "schema": "PUBLIC", "warehouse": "WH", "role": "READER",
                           "session_parameters": {"STATEMENT_TIMEOUT_IN_SECONDS": 30, "QUERY_TAG": "metricloop"}}
    trino = dbapi_target("trino://me@trino.internal:443/hive/analytics", 12.5)
    assert trino.kwargs == {"host": "trino.internal", "port": 443, "user": "me", "catalog": "hive",
                            "schema": "analytics", "http_scheme": "https",
                            "session_properties": {"query_max_execution_time": "12s"}}
    bq = dbapi_target("bigquery://acme-project/analytics", 30)
    assert bq.kwargs == {"project": "acme-project", "dataset": "analytics", "timeout_s": 30}
    bricks = dbapi_target("databricks://token:dapi1@adb-1.net/main/sales?http_path=/sql/1.0/warehouses/abc", 30)
    assert bricks.kwargs == {"server_hostname": "adb-1.net", "http_path": "/sql/1.0/warehouses/abc",
                             "access_token": "dapi1", "catalog": "main", "schema": "sales",
                             "session_configuration": {"STATEMENT_TIMEOUT": "30"}}


def test_missing_driver_names_the_extra():  # the drivers are optional extras, absent from the dev install
    with pytest.raises(UserError, match=r"pip install 'metricloop\[snowflake\]'"):
        open_dbapi_warehouse("snowflake://me:pw@acme/ANALYTICS")


@pytest.fixture
def sqlite_warehouse(tmp_path):
    path = tmp_path / "w.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE orders (order_id INTEGER, status TEXT, amount REAL)")
        con.executemany("INSERT INTO orders VALUES (?, ?, ?)", [(i, "completed", i * 1.5) for i in range(1, 51)])
    warehouse = DbApiWarehouse(lambda: sqlite3.connect(path, check_same_thread=False), engine="SQLite",
                               dialect="sqlite", timeout_s=5)
    yield warehouse
    warehouse.close()


def test_dbapi_warehouse_caps_rows_and_reads_columns(sqlite_warehouse):
    table = sqlite_warehouse.run_sql("SELECT order_id, amount FROM orders ORDER BY order_id DESC", max_rows=3)
    assert table.rows == ((50, 75.0), (49, 73.5), (48, 72.0)) and table.truncated
    assert list(sqlite_warehouse.table_columns("orders")) == ["order_id", "status", "amount"]
    assert sqlite_warehouse.table_columns("missing") == {}


def test_dbapi_warehouse_refuses_writes_and_names_the_engine(sqlite_warehouse):
    for sql in ("DELETE FROM orders", "SELECT 1; DROP TABLE orders", "CREATE TABLE x (a INT)"):
        with pytest.raises(UserError, match="^SQLite: metricloop only runs a single read-only query"):
            sqlite_warehouse.run_sql(sql)
    with pytest.raises(UserError, match="^SQLite could not run the query"):
        sqlite_warehouse.run_sql("SELECT nope FROM orders")
    assert sqlite_warehouse.run_sql("SELECT count(*) FROM orders").rows == ((50,),)


def test_dbapi_warehouse_cancels_at_the_time_limit(sqlite_warehouse):
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000000) "
            "SELECT count(*) FROM n")
    with pytest.raises(QueryTimeout, match="^SQLite took longer than 0.5 s"):
        sqlite_warehouse.run_sql(slow, timeout_s=0.5)
    assert sqlite_warehouse.run_sql("SELECT count(*) FROM orders").rows == ((50,),)
