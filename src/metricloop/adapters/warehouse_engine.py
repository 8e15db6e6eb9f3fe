"""What every warehouse adapter shares: typed result tables, the row cap, timeout and error wording.

DuckDB, PostgreSQL, Spark and the DB-API engines all hand back a `ResultTable` built the same way, so a
number is the same Python value whichever engine computed it (decimals as floats, dates as ISO strings),
and every message names the engine and says what to do.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from metricloop.adapters.warehouse import to_python, with_compiled_columns
from metricloop.core.answer import Column, CompiledQuery, ResultTable
from metricloop.errors import UserError

__all__ = ["EngineWarehouse", "IdleConnections", "kind_of", "only_a_query", "redact_url", "result_table",
           "timeout_message"]

_NUMBER = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "INT", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT",
           "UINTEGER", "NUMERIC", "NUMBER", "LONG", "SHORT", "BYTE", "FLOAT4", "FLOAT8", "INT2", "INT4", "INT8")


def kind_of(type_name: str) -> str:
    """An engine's column type name -> the answer's column kind: date, boolean, number or string."""
    t = type_name.upper()
    if t.startswith(("DATE", "TIMESTAMP")):
        return "date"
    if t in ("BOOLEAN", "BOOL"):
        return "boolean"
    if t.startswith(_NUMBER):
        return "number"
    return "string"


def result_table(columns: Sequence[tuple[str, str]], raw: Sequence[Sequence[Any]], cap: int,
                 elapsed_ms: float) -> ResultTable:
    """Rows fetched with one extra row beyond `cap` (so truncation is detected) -> a ResultTable."""
    cols = tuple(Column(name=name, label=name, role="metric", type=kind_of(type_name)) for name, type_name in columns)
    rows = tuple(tuple(to_python(v) for v in row) for row in raw[:cap])
    return ResultTable(columns=cols, rows=rows, truncated=len(raw) > cap, elapsed_ms=elapsed_ms)


def timeout_message(engine: str, limit_s: float) -> str:
    """The same advice DuckDB gives, naming the engine that stopped the query."""
    return (f"{engine} took longer than {limit_s:g} s and the query was stopped. Try a shorter time range, "
            "fewer breakdowns or a coarser grain.")


def redact_url(url: str) -> str:
    """A connection URL fit for a message or a log: the password replaced by ***."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def only_a_query(sql: str, dialect: str, engine: str) -> None:
    """Refuse anything but one read-only query, for engines with no read-only session of their own (Spark,
    the DB-API engines): a statement that writes or changes settings never reaches them."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except ParseError as exc:
        raise UserError(f"{engine}: the SQL could not be read ({exc}).", sql=sql) from None
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise UserError(f"{engine}: metricloop only runs a single read-only query (SELECT), never statements "
                        "that change data or settings.", sql=sql)


class IdleConnections:
    """Connections kept for reuse, one per concurrent query (at most `size` idle); `usable` drops dead ones."""

    def __init__(self, connect: Callable[[], Any], size: int = 4, usable: Callable[[Any], bool] = lambda _: True):
        self._connect, self._size, self._usable = connect, size, usable
        self._idle: list[Any] = []
        self._lock = threading.Lock()

    def acquire(self) -> Any:
        """An idle usable connection, else a new one."""
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if self._usable(conn):
                    return conn
        return self._connect()

    def release(self, conn: Any) -> None:
        """Keep the connection for the next query (closed when the pool is full or it is no longer usable)."""
        if not self._usable(conn):
            return
        with self._lock:
            if len(self._idle) < self._size:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Close the idle connections (a query in flight keeps its own until it ends)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class EngineWarehouse:
    """Base of the remote engines: `run` is `run_sql` with the compiler's column names, labels and roles."""

    engine = "warehouse"
    dialect = "duckdb"

    def run_sql(self, sql: str, *, timeout_s: float | None = None,
                max_rows: int | None = None) -> ResultTable:  # pragma: no cover - every engine overrides it
        raise NotImplementedError

    def run(self, compiled: CompiledQuery, *, timeout_s: float | None = None,
            max_rows: int | None = None) -> ResultTable:
        """Run a compiled query; its columns keep the compiler's names, labels and roles."""
        return with_compiled_columns(self.run_sql(compiled.sql, timeout_s=timeout_s, max_rows=max_rows), compiled)
