"""The engine: runs compiled SQL on a warehouse with a time limit and a row cap, returning typed rows.

`Warehouse` (metricloop.ports) is the Protocol the service depends on; `DuckDBWarehouse` is the real one and
`FakeWarehouse` an in-memory stand-in for tests.
"""
from __future__ import annotations

import datetime as dt
import decimal
import os
import threading
import time
from typing import Any

import duckdb

from metricloop.core.answer import Column, CompiledQuery, ResultTable
from metricloop.errors import QueryTimeout, UserError
from metricloop.ports import Warehouse

__all__ = ["DuckDBWarehouse", "FakeWarehouse", "Warehouse", "to_python", "with_compiled_columns"]


def to_python(value: Any) -> Any:
    """A value as JSON-friendly Python: dates as ISO strings, decimals and numpy scalars as numbers."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalar
        return to_python(value.item())
    return str(value) if not isinstance(value, (list, tuple, dict)) else value


def with_compiled_columns(table: ResultTable, compiled: CompiledQuery) -> ResultTable:
    """A result with the compiler's column names, labels and roles (when the shapes agree)."""
    if len(table.columns) == len(compiled.columns):
        return table.model_copy(update={"columns": compiled.columns})
    return table


def _kind(type_name: str) -> str:
    t = type_name.upper()
    if t.startswith(("DATE", "TIMESTAMP")):
        return "date"
    if t == "BOOLEAN":
        return "boolean"
    if t.startswith(("DECIMAL", "DOUBLE", "FLOAT", "REAL", "INT", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT",
                     "UBIGINT", "UINTEGER", "NUMERIC")):
        return "number"
    return "string"


# Read-only connections cannot reach files or the network (a hostile `expr` that slipped past the catalog
# checks still cannot read `/etc/passwd`) and stay within memory and thread bounds. Applied with SET after
# connecting, not as connect() config: DuckDB refuses a second connection to the same file with a different
# config, and once external access is off it cannot be switched back on.
_READ_ONLY_SETTINGS = ("SET enable_external_access = false", "SET memory_limit = '4GB'", "SET threads = 2")


def _harden(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _READ_ONLY_SETTINGS:
        con.execute(statement)


def open_error(path: str, exc: Exception) -> UserError:
    """One clear line for a warehouse file DuckDB cannot open: which file, what is wrong, what to do."""
    text = str(exc)
    if "lock" in text.lower():
        why = ("is locked by another process writing to it (DuckDB allows one writer and no readers meanwhile); "
               "stop that writer, or write a new file and move it into place (as `metricloop demo` does)")
    elif not os.path.exists(path):
        why = "does not exist; build the demo with `metricloop demo` or point --warehouse at a DuckDB file"
    elif os.path.isdir(path):
        why = "is a directory; point --warehouse / METRICLOOP_WAREHOUSE at a DuckDB file"
    else:
        why = ("is not a DuckDB database (empty, text or another format); rebuild it with `metricloop demo` or "
               "point --warehouse / METRICLOOP_WAREHOUSE at a DuckDB file")
    return UserError(f"The warehouse {path} {why}.")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:  # replaced right now, or removed: keep reading the open file
        return None
    return st.st_ino, st.st_mtime_ns


class DuckDBWarehouse:
    """A DuckDB file (read-only by default). Each call gets its own cursor, so threads may share it.

    Read-only, the file is checked (inode and mtime) before each query: a file replaced atomically (a new file
    renamed over it, as `metricloop demo` does) is reopened, so a running bot answers from the new data. A
    writer that opens the same file in place while this process holds it gets DuckDB's lock error: write a new
    file and rename it into place instead.
    """

    engine = "DuckDB"
    dialect = "duckdb"

    def __init__(self, path: str, read_only: bool = True, timeout_s: float = 30.0, max_rows: int = 10_000):
        self.path = str(path)
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self._read_only = read_only and self.path != ":memory:"
        self._lock = threading.Condition()
        self._active = 0  # cursors in use: a replaced file is reopened only once they are done
        self._identity = _identity(self.path) if self._read_only else None
        self._con = self._connect()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        try:
            con = duckdb.connect(self.path, read_only=self._read_only)
            if self._read_only:
                _harden(con)
        except duckdb.Error as exc:
            raise open_error(self.path, exc) from None
        return con

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the current file, reopening it first when it was replaced since it was opened.

        DuckDB keeps one database per path while any connection or cursor on it is open, so the old one is
        closed (after the queries still running on it) before the new file is opened."""
        with self._lock:
            now = _identity(self.path) if self._read_only else None
            if now is not None and now != self._identity and self._lock.wait_for(
                    lambda: self._active == 0, timeout=self.timeout_s + 5):
                self._con.close()
                self._con = self._connect()
                self._identity = now
            self._active += 1
            return self._con.cursor()

    def _release(self, cur: duckdb.DuckDBPyConnection) -> None:
        cur.close()
        with self._lock:
            self._active -= 1
            self._lock.notify_all()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._con

    def close(self) -> None:
        self._con.close()

    def run(self, compiled: CompiledQuery, *, timeout_s: float | None = None,
            max_rows: int | None = None) -> ResultTable:
        """Run a compiled query; its columns keep the compiler's names, labels and roles."""
        return with_compiled_columns(self.run_sql(compiled.sql, timeout_s=timeout_s, max_rows=max_rows), compiled)

    def run_sql(self, sql: str, *, timeout_s: float | None = None, max_rows: int | None = None) -> ResultTable:
        """Run SQL with a time limit (interrupting DuckDB) and a row cap (one extra row detects truncation)."""
        limit_s = self.timeout_s if timeout_s is None else timeout_s
        cap = self.max_rows if max_rows is None else max_rows
        cur = self._cursor()
        timed_out = threading.Event()

        def interrupt() -> None:
            timed_out.set()
            cur.interrupt()

        timer = threading.Timer(limit_s, interrupt) if limit_s else None
        started = time.perf_counter()
        try:
            if timer:
                timer.start()
            result = cur.execute(sql)
            raw = result.fetchmany(cap + 1)
            description = result.description or []
        except duckdb.InterruptException:
            raise QueryTimeout(self._timeout_message(limit_s), sql=sql) from None
        except duckdb.Error as exc:
            if timed_out.is_set():
                raise QueryTimeout(self._timeout_message(limit_s), sql=sql) from None
            raise UserError(f"The warehouse could not run the query: {exc}", sql=sql) from exc
        finally:
            if timer:
                timer.cancel()
            self._release(cur)
        elapsed = (time.perf_counter() - started) * 1000
        columns = tuple(
            Column(name=d[0], label=d[0], role="metric", type=_kind(str(d[1]))) for d in description
        )
        rows = tuple(tuple(to_python(v) for v in row) for row in raw[:cap])
        return ResultTable(columns=columns, rows=rows, truncated=len(raw) > cap, elapsed_ms=elapsed)

    @staticmethod
    def _timeout_message(limit_s: float) -> str:
        return (
            f"The query took longer than {limit_s:g} s and was stopped. Try a shorter time range, "
            "fewer breakdowns or a coarser grain."
        )

    def table_columns(self, table: str) -> dict[str, str]:
        """Column name → type of a table or view ({} when it does not exist)."""
        schema, _, name = table.rpartition(".")
        cur = self._cursor()
        try:
            query = "SELECT column_name, data_type FROM information_schema.columns WHERE lower(table_name) = lower(?)"
            params: list[str] = [name]
            if schema:
                query += " AND lower(table_schema) = lower(?)"
                params.append(schema)
            rows = cur.execute(query + " ORDER BY ordinal_position", params).fetchall()
        finally:
            self._release(cur)
        return {r[0]: r[1] for r in rows}


class FakeWarehouse:
    """Canned results per SQL text (or one default), recording every call; for service tests."""

    def __init__(self, results: dict[str, ResultTable] | None = None, default: ResultTable | None = None,
                 columns: dict[str, dict[str, str]] | None = None, error: Exception | None = None):
        self.results = dict(results or {})
        self.default = default
        self.columns = dict(columns or {})
        self.error = error
        self.calls: list[str] = []

    def run(self, compiled: CompiledQuery, *, timeout_s: float | None = None,
            max_rows: int | None = None) -> ResultTable:
        return with_compiled_columns(self.run_sql(compiled.sql, timeout_s=timeout_s, max_rows=max_rows), compiled)

    def run_sql(self, sql: str, *, timeout_s: float | None = None,  # noqa: ARG002 - the protocol's signature
                max_rows: int | None = None) -> ResultTable:
        self.calls.append(sql)
        if self.error is not None:
            raise self.error
        table = self.results.get(sql, self.default)
        if table is None:
            raise UserError("FakeWarehouse has no result for this SQL.", sql=sql)
        if max_rows is not None and len(table.rows) > max_rows:
            return table.model_copy(update={"rows": table.rows[:max_rows], "truncated": True})
        return table

    def table_columns(self, table: str) -> dict[str, str]:
        return self.columns.get(table, {})
