"""What every warehouse adapter shares: typed result tables, the row cap, timeout and error wording.

DuckDB, PostgreSQL, Spark and the DB-API engines all hand back a `ResultTable` built the same way, so a
number is the same Python value whichever engine computed it (decimals as floats, dates as ISO strings),
and every message names the engine and says what to do.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from metricloop.adapters.warehouse import to_python, with_compiled_columns
from metricloop.core.answer import Column, CompiledQuery, ResultTable

__all__ = ["EngineWarehouse", "kind_of", "redact_url", "result_table", "timeout_message"]

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
