"""The same questions on DuckDB, PostgreSQL and Spark local: time per engine, compiled SQL vs hand-written SQL.

    .venv/bin/python bench/bench_engines.py [--rows 10000000] [--engine-rows N] [--repeat 3]
        [--engines duckdb,postgres,spark] [--shapes compare_month_over_month,...]

The fact table of bench_compile.py (orders over two years, customers, regions, refunds) is built once in DuckDB
and exported as Parquet; PostgreSQL (a throwaway server, tests/servers/postgres.py) loads it with COPY, Spark
reads the Parquet files. For each engine and question: the compiled SQL (in the engine's dialect) and the
hand-written SQL (written for DuckDB, rendered in the engine's dialect by sqlglot) must give the same rows; the
figure is the median time of each, run interleaved, and their ratio (goal <= 1.10 on every engine). Every
query runs through the engine's Warehouse adapter, so both sides pay the same driver costs.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlglot

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT / "tests/core")]
from bench_compile import HAND as COMPILE_HAND
from bench_compile import RANGE, SHAPES, build
from compile_world import make_catalog

from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery
from servers.copy_tables import copy_to_postgres, copy_to_spark, export_parquet
from servers.postgres import start_postgres

HAND = {
    **COMPILE_HAND,
    "ratio_two_models": """WITH rev AS (SELECT r.name, SUM(o.amount) AS v FROM orders o
            LEFT JOIN customers c ON o.customer_id = c.customer_id LEFT JOIN regions r ON c.region_id = r.region_id
            GROUP BY 1),
        cus AS (SELECT r.name, COUNT(*) AS v FROM customers c LEFT JOIN regions r ON c.region_id = r.region_id
            GROUP BY 1)
        SELECT rev.name, CAST(rev.v AS DOUBLE) / cus.v FROM rev JOIN cus ON rev.name = cus.name ORDER BY 1""",
    "compare_month_over_month": f"""WITH m AS (SELECT CAST(date_trunc('month', ordered_at) AS DATE) AS m,
            SUM(amount) AS v FROM orders WHERE CAST(ordered_at AS DATE) BETWEEN DATE '2023-12-01'
            AND DATE '{RANGE["end"]}' GROUP BY 1)
        SELECT cur.m, cur.v, prev.v, (cur.v - prev.v) / prev.v FROM m AS cur
        LEFT JOIN m AS prev ON prev.m = CAST(cur.m - INTERVAL 1 MONTH AS DATE)
        WHERE cur.m >= DATE '{RANGE["start"]}' ORDER BY 1""",
    "derived_offset": f"""WITH m AS (SELECT CAST(date_trunc('month', ordered_at) AS DATE) AS m, SUM(amount) AS v
            FROM orders WHERE CAST(ordered_at AS DATE) BETWEEN DATE '2023-12-01' AND DATE '{RANGE["end"]}' GROUP BY 1)
        SELECT cur.m, CAST(cur.v - prev.v AS DOUBLE) / prev.v FROM m AS cur
        LEFT JOIN m AS prev ON prev.m = CAST(cur.m - INTERVAL 1 MONTH AS DATE)
        WHERE cur.m >= DATE '{RANGE["start"]}' ORDER BY 1""",
}
QUESTIONS = {**SHAPES, "compare_month_over_month": dict(metrics=["revenue"], grain="month", time_range=RANGE,
                                                        compare="previous_period")}


def _rows_equal(a, b) -> bool:
    def norm(rows):
        return sorted((tuple(float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in r)
                       for r in rows), key=repr)

    def same(x, y):
        if isinstance(x, float) and isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(x) and math.isnan(y))
        return x == y

    a, b = norm(a), norm(b)
    return len(a) == len(b) and all(len(r) == len(s) and all(map(same, r, s)) for r, s in zip(a, b, strict=True))


def _time(warehouse, sql: str) -> float:
    started = time.perf_counter()
    warehouse.run_sql(sql, timeout_s=3600, max_rows=100_000)
    return (time.perf_counter() - started) * 1000


def bench_engine(name: str, warehouse, catalog, repeat: int, shapes: list[str]) -> list[float]:
    """Print one engine's table; its ratios."""
    print(f"\n{name} ({warehouse.dialect})   median of {repeat}, ms    compiled      hand   ratio")
    ratios = []
    for shape in shapes:
        hand = HAND[shape]
        compiled = compile_query(catalog, MetricQuery.model_validate(QUESTIONS[shape]), warehouse.dialect).sql
        hand_sql = sqlglot.transpile(hand, read="duckdb", write=warehouse.dialect)[0]
        got = warehouse.run_sql(compiled, timeout_s=3600, max_rows=100_000).rows  # also the warm-up run
        want = warehouse.run_sql(hand_sql, timeout_s=3600, max_rows=100_000).rows
        if not _rows_equal(got, want):
            raise SystemExit(f"{name} {shape}: compiled and hand-written SQL disagree")
        ct, ht = [], []
        for _ in range(repeat):  # interleaved so machine noise hits both alike
            ct.append(_time(warehouse, compiled))
            ht.append(_time(warehouse, hand_sql))
        ratio = statistics.median(ct) / statistics.median(ht)
        ratios.append(ratio)
        print(f"  {shape:<40} {statistics.median(ct):10.1f} {statistics.median(ht):9.1f}   {ratio:5.2f}")
    print(f"  {name}: worst ratio {max(ratios):.2f}   (goal <= 1.10)")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000, help="orders in the fact table (DuckDB)")
    parser.add_argument("--engine-rows", type=int, default=None,
                        help="orders for PostgreSQL and Spark (default: --rows)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="duckdb,postgres,spark")
    parser.add_argument("--shapes", default=",".join(HAND), help="which questions (default: all)")
    args = parser.parse_args()
    engines = args.engines.split(",")
    catalog = make_catalog()
    worst = {}
    with tempfile.TemporaryDirectory(prefix="metricloop-bench-engines-") as tmp:
        tmp = Path(tmp)
        plan = [(args.rows, [e for e in engines if e == "duckdb"])]
        engine_rows = args.engine_rows or args.rows
        others = [e for e in engines if e != "duckdb"]
        if engine_rows == args.rows:
            plan[0][1].extend(others)
        else:
            plan.append((engine_rows, others))
        for rows, names in plan:
            if not names:
                continue
            started = time.perf_counter()
            path = tmp / f"orders_{rows}.duckdb"
            con = build(rows)
            con.execute(f"ATTACH '{path}' AS disk; COPY FROM DATABASE memory TO disk; DETACH disk")
            export_parquet(con, tmp / f"parquet_{rows}")
            con.close()
            print(f"built {rows:,} orders in DuckDB and as Parquet in {time.perf_counter() - started:.1f} s "
                  f"(for {', '.join(names)})", flush=True)
            for name in names:
                worst[name] = run_engine(name, rows, path, tmp / f"parquet_{rows}", catalog, args.repeat,
                                          args.shapes.split(","))
    print("\nsummary: worst compiled/hand-written ratio per engine (goal <= 1.10): "
          + ", ".join(f"{k} {v:.2f}" for k, v in worst.items()))


def run_engine(name: str, rows: int, duck_path: Path, parquet: Path, catalog, repeat: int,
               shapes: list[str]) -> float:
    """Load (if needed) and bench one engine; its worst ratio."""
    if name == "duckdb":
        warehouse = DuckDBWarehouse(duck_path, read_only=True, timeout_s=3600, max_rows=100_000)
        return max(bench_engine(f"DuckDB, {rows:,} orders", warehouse, catalog, repeat, shapes))
    if name == "postgres":
        from metricloop.adapters.warehouse_postgres import PostgresWarehouse

        server = start_postgres()
        try:
            started = time.perf_counter()
            copy_to_postgres(parquet, server.url)
            print(f"PostgreSQL ({server.origin}): loaded {rows:,} orders with COPY in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            warehouse = PostgresWarehouse(server.url, timeout_s=3600, max_rows=100_000)
            try:
                return max(bench_engine(f"PostgreSQL, {rows:,} orders", warehouse, catalog, repeat, shapes))
            finally:
                warehouse.close()
        finally:
            server.stop()
    if name == "spark":
        from metricloop.adapters.warehouse_spark import SparkWarehouse

        started = time.perf_counter()
        warehouse = SparkWarehouse("spark://local[*]?spark.driver.memory=4g", timeout_s=3600, max_rows=100_000)
        copy_to_spark(parquet, warehouse.spark)
        print(f"Spark {warehouse.spark.version} local[*]: session and Parquet views in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        try:
            return max(bench_engine(f"Spark local, {rows:,} orders", warehouse, catalog, repeat, shapes))
        finally:
            warehouse.close()
    raise SystemExit(f"unknown engine {name!r}: duckdb, postgres or spark")


if __name__ == "__main__":
    main()
