"""Which engine a `--warehouse` / METRICLOOP_WAREHOUSE value names, its SQL dialect, and opening it.

    var/demo.duckdb                          DuckDB file (the default)
    postgresql://user:pw@host:5432/db        PostgreSQL (psycopg 3)
    spark://local[*]  spark://host:7077      Spark local mode / a standalone cluster (extra: spark)
    sc://host:15002                          Spark Connect (extra: spark-connect)
    snowflake://user:pw@account/db/schema?warehouse=WH&role=R         (extra: snowflake)
    bigquery://project/dataset                                       (extra: bigquery)
    trino://user@host:8080/catalog/schema                            (extra: trino)
    databricks://token:TOKEN@host/catalog/schema?http_path=/sql/1.0/warehouses/ID  (extra: databricks)

The dialect follows the engine: the compiler emits the engine's SQL at the very end.
"""
from __future__ import annotations

import re
from pathlib import Path

from metricloop.errors import UserError
from metricloop.ports import Warehouse

__all__ = ["DIALECTS", "engine_dialect", "is_url", "normalise_location", "open_warehouse_at"]

# URL scheme -> sqlglot dialect
DIALECTS = {"postgresql": "postgres", "postgres": "postgres", "spark": "spark", "sc": "spark",
            "snowflake": "snowflake", "bigquery": "bigquery", "trino": "trino", "databricks": "databricks"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):/", re.I)


def normalise_location(value: str | Path) -> str:
    """The warehouse value as text; a URL whose '//' a Path collapsed ('postgresql:/u@h/db') is restored."""
    text = str(value)
    m = _SCHEME.match(text)
    if m and m.group(1).lower() in DIALECTS and not text[m.end():].startswith("/"):
        return f"{m.group(1)}://{text[m.end():]}"
    return text


def _scheme(location: str) -> str | None:
    m = _SCHEME.match(location)
    return m.group(1).lower() if m and m.group(1).lower() in DIALECTS else None


def is_url(location: str | Path) -> bool:
    """True for an engine URL, False for a DuckDB file path."""
    scheme = _scheme(normalise_location(location))
    return scheme is not None


def engine_dialect(location: str | Path) -> str:
    """The sqlglot dialect of the engine a warehouse value names (a file path: duckdb)."""
    scheme = _scheme(normalise_location(location))
    return DIALECTS[scheme] if scheme else "duckdb"


def open_warehouse_at(location: str | Path, *, timeout_s: float = 30.0, max_rows: int = 10_000) -> Warehouse:
    """Open the engine a warehouse value names, read-only, with this time limit and row cap."""
    location = normalise_location(location)
    scheme = _scheme(location)
    # each engine's module (and its driver: psycopg, pyspark, …) is imported only when that engine is asked for
    if scheme is None:
        from metricloop.adapters.warehouse import DuckDBWarehouse

        path = Path(location)
        if not path.exists():
            raise UserError(f"The warehouse {path} does not exist. Build the demo with `metricloop demo`, or point "
                            "--warehouse / METRICLOOP_WAREHOUSE at a DuckDB file or an engine URL "
                            "(postgresql://…, spark://local[*], sc://…).")
        return DuckDBWarehouse(path, read_only=True, timeout_s=timeout_s, max_rows=max_rows)
    if scheme in ("postgresql", "postgres"):
        from metricloop.adapters.warehouse_postgres import PostgresWarehouse

        return PostgresWarehouse(location, timeout_s=timeout_s, max_rows=max_rows)
    if scheme in ("spark", "sc"):
        from metricloop.adapters.warehouse_spark import SparkWarehouse

        return SparkWarehouse(location, timeout_s=timeout_s, max_rows=max_rows)
    from metricloop.adapters.warehouse_dbapi import open_dbapi_warehouse

    return open_dbapi_warehouse(location, timeout_s=timeout_s, max_rows=max_rows)
