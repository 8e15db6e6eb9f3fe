"""Build the demo warehouse: generate every table, write a DuckDB file atomically, describe it."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np

from metricloop.demo.activity import generate_batches, generate_sessions, generate_tickets
from metricloop.demo.calendar import make_days
from metricloop.demo.commerce import generate_commerce, trend
from metricloop.demo.incidents import Incident, plan_incidents
from metricloop.demo.raw import RawTable
from metricloop.errors import UserError
from metricloop.progress import Tick, no_progress
from metricloop.settings import DEFAULT_VAR

# Dates are columns, ids the keys: the order the tables are written in (and sorted by).
TABLE_ORDER = ("customers", "orders", "refunds", "sessions", "support_tickets", "production_batches")
STEPS = 4 + len(TABLE_ORDER) + 1  # generate (commerce, sessions, tickets, batches), write each table, extras


@dataclass(frozen=True)
class DemoInfo:
    """What was built: where, which tables with how many rows, which days, and the planted incidents."""

    path: Path
    start: date
    end: date
    scale: float
    seed: int
    tables: dict[str, int]
    incidents: list[Incident] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.tables.values())


def default_demo_path() -> Path:
    """Where `metricloop demo` puts the warehouse by default."""
    return DEFAULT_VAR / "demo.duckdb"


def generate(end: date, scale: float, seed: int, progress: Tick = no_progress) -> list[RawTable]:
    """All demo tables as numpy columns; each table draws from its own seeded stream."""
    if scale <= 0:
        raise UserError(f"The demo scale must be a positive number (1.0 is a few million rows), not {scale}.")
    days = make_days(end)
    incidents = plan_incidents(end)
    streams = [np.random.default_rng([seed, k]) for k in range(6)]
    base = trend(days, scale, streams[0])
    progress(0, what="generating orders")
    commerce = generate_commerce(days, base, incidents, streams[1])
    progress(what="generating sessions")
    sessions = generate_sessions(days, base, incidents, commerce.customer_day, streams[2])
    progress(what="generating support tickets")
    tickets = generate_tickets(days, base, incidents, commerce.customer_day, streams[3])
    progress(what="generating production batches")
    batches = generate_batches(days, incidents, streams[4])
    progress()
    return [commerce.customers, commerce.orders, commerce.refunds, sessions, tickets, batches]


def _write(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    con.register("src", table.columns)
    try:
        con.execute(f"CREATE TABLE {table.name} AS {table.select} ORDER BY 1")
    finally:
        con.unregister("src")


def _write_extras(con: duckdb.DuckDBPyConnection, start: date, end: date, incidents: list[Incident]) -> None:
    """The MetricFlow time spine, plus the incident list so it travels with the file."""
    con.execute(
        "CREATE TABLE metricflow_time_spine AS SELECT CAST(range AS DATE) AS date_day "
        "FROM range(?::DATE, ?::DATE, INTERVAL 1 DAY)",
        [start - timedelta(days=366), end + timedelta(days=366)],
    )
    con.execute("CREATE TABLE demo_incidents (kind VARCHAR, start_date DATE, end_date DATE, metric VARCHAR, "
                "slice VARCHAR, factor DOUBLE, description VARCHAR)")
    con.executemany(
        "INSERT INTO demo_incidents VALUES (?, ?, ?, ?, ?, ?, ?)",
        [[i.kind, i.start, i.end, i.metric, json.dumps(i.slice), i.factor, i.description] for i in incidents],
    )


def build_demo(path: Path, *, end: date | None = None, scale: float = 1.0, seed: int = 7,
               progress: Tick = no_progress) -> DemoInfo:
    """Build the demo warehouse at `path` (replacing it atomically) and describe what was built.

    Deterministic: the same end, scale and seed give the same rows. `end` defaults to yesterday. `progress`
    is told of each of the STEPS steps (generating, writing each table, the extras).
    """
    end = end or date.today() - timedelta(days=1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    progress(0, total=STEPS)
    tables = generate(end, scale, seed, progress)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            for table in tables:
                progress(0, what=f"writing {table.name}")
                _write(con, table)
                progress()
            progress(0, what="time spine and incidents")
            info = DemoInfo(
                path=path, start=make_days(end).start, end=end, scale=scale, seed=seed,
                tables={t.name: con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in tables},
                incidents=plan_incidents(end),
            )
            _write_extras(con, info.start, end, info.incidents)
            con.execute("CHECKPOINT")
            progress()
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return info


def demo_end(path: Path) -> date | None:
    """The last day of data in a demo warehouse (None when the file is not a readable demo)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT CAST(MAX(ordered_at) AS DATE) FROM orders").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def describe(info: DemoInfo) -> dict:
    """DemoInfo as plain JSON-ready data (for the CLI's --json and for logs)."""
    data = asdict(info)
    data["path"] = str(info.path)
    return json.loads(json.dumps(data, default=str))
