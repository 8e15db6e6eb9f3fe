"""Spark as the warehouse (pyspark): governed SQL in the spark dialect, read-only, time-limited, capped.

URLs: `spark://local[*]` (or `local[4]`) runs Spark in this process's JVM (local mode); `spark://host:7077`
joins a standalone cluster; `sc://host:15002` talks to a Spark Connect server (needs the `spark-connect`
extra). Query parameters that start with `spark.` become session settings, e.g.
`spark://local[*]?spark.sql.warehouse.dir=/data/warehouse&spark.sql.catalogImplementation=hive`.

DuckDB's guarantees, on Spark:
- read-only: Spark has no read-only session, so only a single query (SELECT / WITH / UNION) is accepted;
  anything else is refused before it reaches Spark;
- the time limit: each query runs in its own job group (Spark Connect: its own job tag), cancelled when the
  time is up (the jobs stop in the cluster, not merely abandoned);
- the row cap: `LIMIT max_rows + 1` on the query's DataFrame, so only that many rows reach the driver;
- errors name Spark and say what to do.
"""
from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from metricloop.adapters.warehouse_engine import EngineWarehouse, only_a_query, result_table, timeout_message
from metricloop.core.answer import ResultTable
from metricloop.errors import QueryTimeout, UserError

__all__ = ["SparkWarehouse", "spark_builder_settings"]

_GROUPS = itertools.count()
# Local mode answers metric questions over small results: a handful of shuffle partitions instead of 200,
# no web UI, and dates in UTC so a day is the same day on every engine.
_LOCAL_DEFAULTS = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4",
                   "spark.sql.session.timeZone": "UTC", "spark.ui.showConsoleProgress": "false"}


def spark_builder_settings(url: str) -> tuple[str, str, dict[str, str]]:
    """A Spark URL -> (kind, master or remote address, session settings). kind is 'master' or 'remote'."""
    # split by hand: urlsplit reads `local[*]` as an IPv6 literal and refuses it
    scheme, _, rest = url.partition("://")
    address, _, query = rest.partition("?")
    address = address.rstrip("/")
    settings = {k: v for k, v in parse_qsl(query) if k.startswith("spark.")}
    if scheme == "sc" and address:
        return "remote", url, settings
    if scheme != "spark" or not address:
        raise UserError(f"Cannot read the Spark URL {url!r}: use spark://local[*], spark://host:7077 or "
                        "sc://host:15002.")
    master = address if address.startswith("local") else f"spark://{address}"
    return "master", master, {**_LOCAL_DEFAULTS, **settings}


def _session(url: str) -> Any:
    try:
        from pyspark.sql import SparkSession  # local: pyspark is the optional `spark` extra (hundreds of MB)
    except ImportError:
        raise UserError("Spark needs pyspark: pip install 'metricloop[spark]' (Spark Connect: "
                        "'metricloop[spark-connect]'). Java 17 or newer must be on the PATH.") from None
    kind, address, settings = spark_builder_settings(url)
    builder = SparkSession.builder.appName("metricloop")
    builder = builder.remote(address) if kind == "remote" else builder.master(address)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - pyspark raises many kinds (no Java, no server, missing deps)
        raise UserError(f"Could not start Spark at {url}: {str(exc).strip().splitlines()[0]}. For local mode "
                        "Java 17+ must be installed; for sc:// the Spark Connect server must be running and "
                        "'metricloop[spark-connect]' installed.") from None


class SparkWarehouse(EngineWarehouse):
    """A Spark session from a URL (or one handed in, e.g. by tests); several threads may share it."""

    engine = "Spark"
    dialect = "spark"

    def __init__(self, url: str = "spark://local[*]", *, session: Any = None,
                 timeout_s: float = 30.0, max_rows: int = 10_000, stop_on_close: bool | None = None):
        self.url = url
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.spark = session if session is not None else _session(url)
        self._stop_on_close = session is None if stop_on_close is None else stop_on_close
        self._classic = not type(self.spark).__module__.startswith("pyspark.sql.connect")

    def close(self) -> None:
        """Stop the session this warehouse started (a session handed in is left running)."""
        if self._stop_on_close:
            self.spark.stop()

    def run_sql(self, sql: str, *, timeout_s: float | None = None, max_rows: int | None = None) -> ResultTable:
        """Run one query in its own job group (Connect: job tag), cancelled at the time limit; at most
        `max_rows` (+1) rows."""
        only_a_query(sql, self.dialect, self.engine)
        limit_s = self.timeout_s if timeout_s is None else timeout_s
        cap = self.max_rows if max_rows is None else max_rows
        group = f"metricloop-{next(_GROUPS)}"
        done, timed_out = threading.Event(), threading.Event()
        cancel = self._label(group)

        def stop() -> None:
            # a cancel only reaches jobs already submitted: a busy driver may still be planning the query,
            # so keep cancelling until the query returns
            timed_out.set()
            while not done.is_set():
                cancel()
                done.wait(0.25)

        timer = threading.Timer(limit_s, stop) if limit_s else None
        started = time.perf_counter()
        try:
            if timer:
                timer.start()
            frame = self.spark.sql(sql)
            columns = [(f.name, f.dataType.simpleString()) for f in frame.schema.fields]
            raw = [tuple(row) for row in frame.limit(cap + 1).collect()]
        except Exception as exc:  # noqa: BLE001 - pyspark's errors share no base class across classic and Connect
            if timed_out.is_set():
                raise QueryTimeout(timeout_message(self.engine, limit_s), sql=sql) from None
            raise UserError(f"Spark could not run the query: {_first_line(exc)}", sql=sql) from None
        finally:
            done.set()
            if timer:
                timer.cancel()
            if not self._classic:
                self.spark.removeTag(group)
        return result_table(columns, raw, cap, (time.perf_counter() - started) * 1000)

    def _label(self, group: str) -> Callable[[], object]:
        """Label this thread's next jobs with `group`; returns what cancels them.

        Classic sessions use job groups (SparkSession tags do not reach SQL jobs there); Spark Connect has no
        SparkContext and uses operation tags."""
        if self._classic:
            context = self.spark.sparkContext
            context.setJobGroup(group, "metricloop query", interruptOnCancel=True)
            return lambda: context.cancelJobGroup(group)
        self.spark.addTag(group)
        return lambda: self.spark.interruptTag(group)

    def table_columns(self, table: str) -> dict[str, str]:
        """Column name -> type of a table or view ({} when Spark does not know it)."""
        try:
            fields = self.spark.table(table).schema.fields
        except Exception:  # noqa: BLE001 - an unknown table raises AnalysisException (classic) or its Connect twin
            return {}
        return {f.name: f.dataType.simpleString() for f in fields}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
