"""Copy the tables of a DuckDB warehouse into PostgreSQL or Spark, so every engine answers over the same rows.

DuckDB first exports each table as Parquet (`export_parquet`). PostgreSQL: an in-memory DuckDB turns the
Parquet into CSV that psycopg streams through `COPY … FROM STDIN` (about a million rows every few seconds);
column types map one to one (DECIMAL(p,s) stays NUMERIC(p,s), TIMESTAMP stays TIMESTAMP). Spark registers
each Parquet file as a view of the table's name.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import duckdb
import psycopg

__all__ = ["copy_to_postgres", "copy_to_spark", "export_parquet", "postgres_type"]

_PG_TYPES = {"VARCHAR": "TEXT", "DOUBLE": "DOUBLE PRECISION", "FLOAT": "REAL", "HUGEINT": "NUMERIC(38, 0)",
             "UBIGINT": "NUMERIC(20, 0)", "UINTEGER": "BIGINT", "USMALLINT": "INTEGER", "UTINYINT": "SMALLINT",
             "TINYINT": "SMALLINT", "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}


def export_parquet(con: duckdb.DuckDBPyConnection, directory: Path, only: list[str] | None = None) -> list[str]:
    """Write each base table of the connection's main schema as `<directory>/<table>.parquet`; the names.

    Done once, while the DuckDB file is open read-write: a hardened read-only connection in the same process
    (DuckDBWarehouse turns external access off for the whole database) could no longer write files.
    """
    directory.mkdir(parents=True, exist_ok=True)
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
    names = [n for n in names if only is None or n in only]
    for name in names:
        con.execute(f"COPY {_ident(name)} TO '{directory / (name + '.parquet')}' (FORMAT parquet)")
    return names


def postgres_type(duck_type: str) -> str:
    """A DuckDB column type as the PostgreSQL type that holds the same values."""
    t = duck_type.upper()
    if re.fullmatch(r"DECIMAL\(\d+,\s*\d+\)", t):
        return t.replace("DECIMAL", "NUMERIC")
    return _PG_TYPES.get(t, t)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(directory: Path) -> list[tuple[str, Path]]:
    return [(p.stem, p) for p in sorted(directory.glob("*.parquet"))]


def copy_to_postgres(directory: Path, url: str, *, schema: str | None = None) -> dict[str, int]:
    """Create each exported table in PostgreSQL (replacing it) and copy its rows; rows copied per table."""
    counts = {}
    duck = duckdb.connect()  # in memory: its own DuckDB instance, free to read and write files
    with tempfile.TemporaryDirectory(prefix="metricloop-copy-") as tmp, psycopg.connect(url, autocommit=True) as pg:
        if schema:
            pg.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)}")
        for name, parquet in _tables(directory):
            target = f"{_ident(schema)}.{_ident(name)}" if schema else _ident(name)
            source = f"read_parquet('{parquet}')"
            columns = duck.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
            ddl = ", ".join(f"{_ident(c[0])} {postgres_type(c[1])}" for c in columns)
            pg.execute(f"DROP TABLE IF EXISTS {target}")
            pg.execute(f"CREATE TABLE {target} ({ddl})")
            csv = Path(tmp) / f"{name}.csv"
            duck.execute(f"COPY (SELECT * FROM {source}) TO '{csv}' (FORMAT csv, HEADER false)")
            with pg.cursor() as cur, cur.copy(f"COPY {target} FROM STDIN (FORMAT csv)") as copy, open(csv, "rb") as f:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
            csv.unlink()
            pg.execute(f"ANALYZE {target}")  # planner statistics, as a real warehouse would have
            counts[name] = pg.execute(f"SELECT count(*) FROM {target}").fetchone()[0]
    duck.close()
    return counts


def copy_to_spark(directory: Path, spark) -> dict[str, int]:
    """Register each exported table in Spark as a view of its Parquet file; rows per table."""
    counts = {}
    for name, parquet in _tables(directory):
        frame = spark.read.parquet(str(parquet))
        frame.createOrReplaceTempView(name)
        counts[name] = frame.count()
    return counts
