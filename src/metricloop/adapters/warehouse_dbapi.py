"""Snowflake, BigQuery, Trino and Databricks through their DB-API drivers (optional extras, not run in CI).

    snowflake://user:password@account/database/schema?warehouse=WH&role=ROLE     pip install 'metricloop[snowflake]'
    bigquery://project/dataset                   (application default credentials) 'metricloop[bigquery]'
    trino://user[:password]@host:port/catalog/schema  (https when the port is 443) 'metricloop[trino]'
    databricks://token:TOKEN@host/catalog/schema?http_path=/sql/1.0/warehouses/ID 'metricloop[databricks]'

The guarantees, as on the other engines: only a single query is accepted (give metricloop a read-only
role or service account as well); the time limit is the engine's own statement timeout where it has one
(Snowflake STATEMENT_TIMEOUT_IN_SECONDS, Trino query_max_execution_time, Databricks STATEMENT_TIMEOUT,
BigQuery's job timeout) and a timer that cancels the cursor besides; at most `max_rows + 1` rows are fetched.
"""
from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from metricloop.adapters.warehouse_engine import (
    EngineWarehouse,
    IdleConnections,
    only_a_query,
    redact_url,
    result_table,
    timeout_message,
)
from metricloop.core.answer import ResultTable
from metricloop.errors import QueryTimeout, UserError

__all__ = ["DbApiTarget", "DbApiWarehouse", "dbapi_target", "open_dbapi_warehouse"]


@dataclass(frozen=True)
class DbApiTarget:
    """How to reach one engine: its name, dialect, driver module, extra, and the connect() arguments."""

    engine: str
    dialect: str
    module: str
    extra: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def _path_parts(path: str) -> list[str]:
    return [unquote(p) for p in path.strip("/").split("/") if p]


def dbapi_target(url: str, timeout_s: float) -> DbApiTarget:
    """A Snowflake / BigQuery / Trino / Databricks URL -> what to import and how to connect (pure)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    path = _path_parts(parts.path)
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    seconds = max(1, int(timeout_s)) if timeout_s else 0
    if parts.scheme == "snowflake":
        kwargs = {"account": parts.hostname, "user": user, "password": password,
                  "database": path[0] if path else None, "schema": path[1] if len(path) > 1 else None,
                  "warehouse": query.get("warehouse"), "role": query.get("role"),
                  "session_parameters": {"STATEMENT_TIMEOUT_IN_SECONDS": seconds, "QUERY_TAG": "metricloop"}}
        return DbApiTarget("Snowflake", "snowflake", "snowflake.connector", "snowflake", _present(kwargs))
    if parts.scheme == "bigquery":
        kwargs = {"project": parts.hostname, "dataset": path[0] if path else None, "timeout_s": seconds}
        return DbApiTarget("BigQuery", "bigquery", "google.cloud.bigquery.dbapi", "bigquery", _present(kwargs))
    if parts.scheme == "trino":
        port = parts.port or 8080
        kwargs = {"host": parts.hostname, "port": port, "user": user or "metricloop",
                  "catalog": path[0] if path else None, "schema": path[1] if len(path) > 1 else None,
                  "http_scheme": "https" if port == 443 or password else "http", "password": password or None,
                  "session_properties": {"query_max_execution_time": f"{seconds}s"} if seconds else {}}
        return DbApiTarget("Trino", "trino", "trino.dbapi", "trino", _present(kwargs))
    if parts.scheme == "databricks":
        kwargs = {"server_hostname": parts.hostname, "http_path": query.get("http_path"),
                  "access_token": password, "catalog": path[0] if path else None,
                  "schema": path[1] if len(path) > 1 else None,
                  "session_configuration": {"STATEMENT_TIMEOUT": str(seconds)} if seconds else {}}
        return DbApiTarget("Databricks", "databricks", "databricks.sql", "databricks", _present(kwargs))
    raise UserError(f"Unknown warehouse URL scheme {parts.scheme!r} in {redact_url(url)}.")


def _present(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v not in (None, "")}


def _connector(target: DbApiTarget) -> Callable[[], Any]:
    """A connect() for the target, importing its driver (a clear message when the extra is missing)."""
    try:
        module = importlib.import_module(target.module)
    except ImportError:
        raise UserError(f"{target.engine} needs its driver: pip install 'metricloop[{target.extra}]'.") from None
    kwargs = dict(target.kwargs)
    if target.engine == "BigQuery":  # the DB-API wraps a client that carries the project, dataset and job timeout
        from google.cloud import bigquery  # local: part of the optional bigquery extra

        timeout_s = kwargs.pop("timeout_s", 0)
        dataset = kwargs.pop("dataset", None)
        config = bigquery.QueryJobConfig(default_dataset=f"{kwargs['project']}.{dataset}" if dataset else None,
                                         job_timeout_ms=timeout_s * 1000 or None)
        return lambda: module.connect(client=bigquery.Client(project=kwargs["project"],
                                                             default_query_job_config=config))
    return lambda: module.connect(**kwargs)


class DbApiWarehouse(EngineWarehouse):
    """Any PEP 249 driver behind the Warehouse protocol: one connection per concurrent query, reused."""

    def __init__(self, connect: Callable[[], Any], *, engine: str, dialect: str, timeout_s: float = 30.0,
                 max_rows: int = 10_000, pool_size: int = 4):
        self.engine, self.dialect = engine, dialect
        self.timeout_s, self.max_rows = timeout_s, max_rows
        self._connect = connect
        self._pool = IdleConnections(self._connect_now, pool_size)

    def _connect_now(self) -> Any:
        try:
            return self._connect()
        except Exception as exc:  # noqa: BLE001 - every driver has its own error classes
            raise UserError(f"Could not connect to {self.engine}: {str(exc).strip()}. Check the URL in --warehouse "
                            "/ METRICLOOP_WAREHOUSE and the credentials.") from None

    def close(self) -> None:
        """Close the idle connections."""
        self._pool.close()

    def run_sql(self, sql: str, *, timeout_s: float | None = None, max_rows: int | None = None) -> ResultTable:
        """Run one query; a timer cancels it at the time limit; at most `max_rows` (+1) rows are fetched."""
        only_a_query(sql, self.dialect, self.engine)
        limit_s = self.timeout_s if timeout_s is None else timeout_s
        cap = self.max_rows if max_rows is None else max_rows
        conn = self._pool.acquire()
        cur = conn.cursor()
        timed_out = threading.Event()

        def cancel() -> None:
            timed_out.set()
            stop = getattr(cur, "cancel", None) or getattr(conn, "interrupt", None)
            if stop is not None:
                stop()

        timer = threading.Timer(limit_s, cancel) if limit_s else None
        started = time.perf_counter()
        try:
            if timer:
                timer.start()
            cur.execute(sql)
            raw = cur.fetchmany(cap + 1)
            columns = [(d[0], _type_name(d[1])) for d in cur.description or []]
        except Exception as exc:  # noqa: BLE001 - every driver has its own error classes
            if timed_out.is_set() or "timeout" in str(exc).lower():
                raise QueryTimeout(timeout_message(self.engine, limit_s), sql=sql) from None
            raise UserError(f"{self.engine} could not run the query: {str(exc).strip()}", sql=sql) from None
        finally:
            if timer:
                timer.cancel()
            cur.close()
            self._pool.release(conn)
        return result_table(columns, raw, cap, (time.perf_counter() - started) * 1000)

    def table_columns(self, table: str) -> dict[str, str]:
        """Column name -> type, read from a zero-row query ({} when the table does not exist)."""
        try:
            table_sql = ".".join(f'"{p}"' if self.dialect != "bigquery" else f"`{p}`" for p in table.split("."))
            result = self.run_sql(f"SELECT * FROM {table_sql} WHERE 1 = 0", max_rows=1)
        except UserError:
            return {}
        return {c.name: c.type for c in result.columns}


def _type_name(type_code: Any) -> str:
    name = getattr(type_code, "__name__", None) or str(type_code or "")
    return {"str": "VARCHAR", "float": "DOUBLE", "int": "BIGINT", "Decimal": "DECIMAL", "bool": "BOOLEAN",
            "datetime": "TIMESTAMP", "date": "DATE"}.get(name, name)


def open_dbapi_warehouse(url: str, *, timeout_s: float = 30.0, max_rows: int = 10_000) -> DbApiWarehouse:
    """Open a Snowflake / BigQuery / Trino / Databricks warehouse from its URL (its extra installed)."""
    target = dbapi_target(url, timeout_s)
    return DbApiWarehouse(_connector(target), engine=target.engine, dialect=target.dialect,
                          timeout_s=timeout_s, max_rows=max_rows)
