"""Each engine's "no such column / table" error is recognised (the service then points to `catalog check`);
other errors are not. DuckDB and SQLite errors are produced live; the others are the engines' own wording."""
from __future__ import annotations

import sqlite3

import duckdb
import pytest

from metricloop.adapters.warehouse_missing import MissingObject, missing_object

LIVE = [  # (engine, setup, failing statement, expected)
    ("duckdb", "CREATE TABLE orders (order_id INT)", "SELECT region FROM orders", ("column", "region")),
    ("duckdb", "CREATE TABLE orders (order_id INT)", "SELECT SUM(t0.total) FROM orders AS t0", ("column", "total")),
    ("duckdb", "CREATE TABLE orders (order_id INT)", "SELECT 1 FROM orders_v2", ("table", "orders_v2")),
    ("duckdb", "CREATE TABLE orders (order_id INT)", "SELECT 1 FROM analytics.orders", ("table", "analytics.orders")),
    ("duckdb", "CREATE TABLE orders (order_id INT)", "SELECT nosuch_fn(1)", None),
    ("duckdb", "CREATE TABLE orders (order_id INT)", "SELECT 1 +", None),
    ("sqlite", "CREATE TABLE orders (order_id INT)", "SELECT region FROM orders", ("column", "region")),
    ("sqlite", "CREATE TABLE orders (order_id INT)", "SELECT 1 FROM orders_v2", ("table", "orders_v2")),
]

RECORDED = [  # messages as the PostgreSQL, Spark, Trino, Snowflake and BigQuery adapters pass them on
    ('PostgreSQL could not run the query: column t0.region does not exist\nLINE 1: SELECT t0.region FROM ...',
     ("column", "t0.region")),
    ('PostgreSQL could not run the query: column "region" does not exist', ("column", "region")),
    ('PostgreSQL could not run the query: relation "orders_v2" does not exist', ("table", "orders_v2")),
    ("Spark could not run the query: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter "
     "with name `region` cannot be resolved. Did you mean one of the following? [`t0`.`status`]",
     ("column", "region")),
    ("Spark could not run the query: [TABLE_OR_VIEW_NOT_FOUND] The table or view `orders_v2` cannot be found.",
     ("table", "orders_v2")),
    ("Trino: line 1:8: Column 'region' cannot be resolved", ("column", "region")),
    ("Trino: line 1:15: Table 'hive.default.orders_v2' does not exist", ("table", "hive.default.orders_v2")),
    ("Snowflake: SQL compilation error: error line 1 at position 7 invalid identifier 'REGION'", ("column", "REGION")),
    ("Snowflake: Object 'ORDERS_V2' does not exist or not authorized.", ("table", "ORDERS_V2")),
    ("BigQuery: Unrecognized name: region at [1:8]", ("column", "region")),
    ("BigQuery: Not found: Table proj:shop.orders_v2 was not found in location US", ("table", "proj:shop.orders_v2")),
    ("PostgreSQL took longer than 30 s and the query was stopped.", None),
    ('PostgreSQL could not run the query: function nosuch(integer) does not exist', None),
    ("Spark could not run the query: [DIVIDE_BY_ZERO] Division by zero.", None),
]


def _live_error(engine: str, setup: str, statement: str) -> str:
    con = duckdb.connect(":memory:") if engine == "duckdb" else sqlite3.connect(":memory:")
    con.execute(setup)
    try:
        con.execute(statement)
    except (duckdb.Error, sqlite3.Error) as exc:
        return f"The warehouse could not run the query: {exc}"
    finally:
        con.close()
    raise AssertionError(f"{statement!r} ran on {engine}")


@pytest.mark.parametrize(("engine", "setup", "statement", "expected"), LIVE)
def test_live_engine_errors(engine, setup, statement, expected):
    found = missing_object(_live_error(engine, setup, statement))
    assert found == (MissingObject(*expected) if expected else None)


@pytest.mark.parametrize(("message", "expected"), RECORDED)
def test_other_engines_wording(message, expected):
    assert missing_object(message) == (MissingObject(*expected) if expected else None)
