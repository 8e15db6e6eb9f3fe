"""PostgreSQL as the warehouse (psycopg 3): governed SQL in the postgres dialect, read-only, time-limited, capped.

The guarantees DuckDB gives hold here too:
- read-only: every connection opens with `default_transaction_read_only=on` and runs each query inside a
  READ ONLY transaction, so even SQL that slipped past the catalog checks cannot write;
- the time limit: `statement_timeout`, set for the query's own transaction, so the server stops the work;
- the row cap: a server-side cursor fetches at most `max_rows + 1` rows, so a huge result never crosses the wire;
- errors name PostgreSQL and say what to do; a password in the URL never appears in a message.
"""
from __future__ import annotations

import itertools
import time

import psycopg
from psycopg import errors as pg_errors

from metricloop.adapters.warehouse_engine import (
    EngineWarehouse,
    IdleConnections,
    redact_url,
    result_table,
    timeout_message,
)
from metricloop.core.answer import ResultTable
from metricloop.errors import QueryTimeout, UserError

__all__ = ["PostgresWarehouse"]

_CURSORS = itertools.count()


class PostgresWarehouse(EngineWarehouse):
    """A PostgreSQL database reached by a `postgresql://user[:password]@host[:port]/db` URL.

    Connections are opened on demand and kept for reuse (at most `pool_size` idle), one per concurrent query.
    """

    engine = "PostgreSQL"
    dialect = "postgres"

    def __init__(self, url: str, *, timeout_s: float = 30.0, max_rows: int = 10_000, pool_size: int = 4,
                 connect_timeout_s: float = 10.0):
        self.url = url
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.connect_timeout_s = connect_timeout_s
        self._pool = IdleConnections(self._connect, pool_size, lambda c: not (c.closed or c.broken))
        self._pool.release(self._connect())  # a wrong URL or a server that is down fails now, with a clear message

    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self.url, connect_timeout=max(1, int(self.connect_timeout_s)),
                                   application_name="metricloop",
                                   options="-c default_transaction_read_only=on")
        except psycopg.Error as exc:
            raise UserError(
                f"Could not connect to PostgreSQL at {redact_url(self.url)}: {str(exc).strip()}. Check the URL "
                "in --warehouse / METRICLOOP_WAREHOUSE (postgresql://user:password@host:port/database) and "
                "that the server is running and accepts this user.") from None
        conn.read_only = True  # every transaction BEGINs READ ONLY, whatever the session default says
        return conn

    def close(self) -> None:
        """Close the idle connections (a query in flight closes its own when it ends)."""
        self._pool.close()

    def run_sql(self, sql: str, *, timeout_s: float | None = None, max_rows: int | None = None) -> ResultTable:
        """Run SQL in a READ ONLY transaction with `statement_timeout`, fetching at most `max_rows` (+1) rows."""
        limit_s = self.timeout_s if timeout_s is None else timeout_s
        cap = self.max_rows if max_rows is None else max_rows
        conn = self._pool.acquire()
        started = time.perf_counter()
        try:
            with conn.transaction():
                # both settings last only for this transaction; cursor_tuple_fraction = 1 keeps the plan a
                # plain SELECT would get (a cursor otherwise favours fast-start plans over fast totals)
                conn.execute("SELECT set_config('statement_timeout', %s, true), "
                             "set_config('cursor_tuple_fraction', '1', true)",
                             [f"{int(limit_s * 1000) if limit_s else 0}ms"])
                with conn.cursor(name=f"metricloop_{next(_CURSORS)}") as cur:
                    cur.execute(sql)
                    raw = cur.fetchmany(cap + 1)
                    columns = [(d.name, _type_name(conn, d.type_code)) for d in cur.description or []]
        except pg_errors.QueryCanceled:
            raise QueryTimeout(timeout_message(self.engine, limit_s), sql=sql) from None
        except pg_errors.ReadOnlySqlTransaction as exc:
            raise UserError(f"PostgreSQL refused to change data: metricloop only reads the warehouse ({exc}).",
                            sql=sql) from None
        except psycopg.OperationalError as exc:
            conn.close()
            raise UserError(f"Lost the connection to PostgreSQL at {redact_url(self.url)}: {str(exc).strip()}. "
                            "Ask again in a moment; if it persists, check the server.", sql=sql) from None
        except psycopg.Error as exc:
            raise UserError(f"PostgreSQL could not run the query: {str(exc).strip()}", sql=sql) from None
        finally:
            self._pool.release(conn)
        return result_table(columns, raw, cap, (time.perf_counter() - started) * 1000)

    def table_columns(self, table: str) -> dict[str, str]:
        """Column name -> type of a table or view ({} when it does not exist); no schema: the search path."""
        schema, _, name = table.rpartition(".")
        where = "lower(table_schema) = lower(%s)" if schema else "table_schema = ANY(current_schemas(false))"
        params = [name, schema] if schema else [name]
        sql = ("SELECT column_name, data_type FROM information_schema.columns "
               f"WHERE lower(table_name) = lower(%s) AND {where} ORDER BY ordinal_position")
        conn = self._pool.acquire()
        try:
            with conn.transaction():
                rows = conn.execute(sql, params).fetchall()
        except psycopg.Error as exc:
            raise UserError(f"PostgreSQL could not list the columns of {table}: {str(exc).strip()}") from None
        finally:
            self._pool.release(conn)
        return {r[0]: r[1] for r in rows}


def _type_name(conn: psycopg.Connection, oid: int) -> str:
    info = conn.adapters.types.get(oid)
    return info.name if info is not None else "text"
