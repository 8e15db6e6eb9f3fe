"""Compile latency and compiled-vs-hand-written SQL run time (not part of pytest).

    .venv/bin/python bench/bench_compile.py [--rows 10000000]

Prints compile p50/p95 per query shape (goal p50 <= 2 ms) and, on a generated fact table, the run time
of compiled SQL divided by the run time of hand-written SQL for the same answer (goal <= 1.10), both
measured in this run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests/core"))
from compile_world import make_catalog

from metricloop.core.compile.compiler import clear_compile_cache, compile_query
from metricloop.core.query import MetricQuery

RANGE = {"start": "2024-01-01", "end": "2024-12-31"}
SHAPES = {
    "total": dict(metrics=["revenue"]),
    "by_month": dict(metrics=["revenue"], grain="month", time_range=RANGE),
    "two_hops_by_region": dict(metrics=["revenue"], group_by=["region__name"], grain="month", time_range=RANGE),
    "ratio_two_models": dict(metrics=["revenue_per_customer"], group_by=["region__name"]),
    "derived_offset": dict(metrics=["revenue_mom"], grain="month", time_range=RANGE),
    "cumulative": dict(metrics=["revenue_7d"], grain="week", time_range=RANGE),
    "compare_filtered": dict(metrics=["completed_revenue", "aov"], group_by=["customer__segment"], grain="month",
                             time_range=RANGE, compare="previous_period"),
}
HAND = {
    "total": "SELECT SUM(amount) FROM orders",
    "by_month": """SELECT CAST(date_trunc('month', ordered_at) AS DATE) m, SUM(amount) FROM orders
                   WHERE CAST(ordered_at AS DATE) BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'
                   GROUP BY 1 ORDER BY 1""",
    "two_hops_by_region": """SELECT CAST(date_trunc('month', o.ordered_at) AS DATE) m, r.name, SUM(o.amount)
        FROM orders o
        LEFT JOIN customers c ON o.customer_id = c.customer_id LEFT JOIN regions r ON c.region_id = r.region_id
        WHERE CAST(o.ordered_at AS DATE) BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' GROUP BY 1, 2 ORDER BY 1, 2""",
}


def build(rows: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE regions AS SELECT i AS region_id, 'R' || i AS name, 'Z' || (i % 2) AS zone FROM range(1, 21) t(i);
        CREATE TABLE customers AS SELECT i AS customer_id, 1 + i % 20 AS region_id, 'S' || (i % 3) AS segment,
            DATE '2023-01-01' + CAST(i % 700 AS INTEGER) AS signup_date FROM range(1, 200001) t(i);
        CREATE TABLE orders AS SELECT i AS order_id, 1 + (i * 7919) % 200000 AS customer_id,
            TIMESTAMP '2023-01-01' + INTERVAL (i * 63072000 // {rows}) SECOND AS ordered_at,  -- two years
            CAST((i * 31) % 10000 / 100.0 AS DECIMAL(12, 2)) AS amount,
            CASE WHEN i % 11 = 0 THEN 'cancelled' ELSE 'completed' END AS status, i % 6 = 1 AS is_first
            FROM range(1, {rows + 1}) t(i);
        CREATE TABLE refunds AS SELECT i AS refund_id, i * 13 AS order_id, DATE '2023-02-01' + CAST(i % 600 AS INTEGER)
            AS refunded_at, 5.0 AS refund_amount FROM range(1, 10001) t(i);
        CREATE TABLE sessions AS SELECT 1 AS session_id, 1 AS customer_id, DATE '2024-01-01' AS started_at,
            'web' AS channel, 1 AS duration_s;
    """)
    return con


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


DEMO_SHAPES = {
    "total": {},
    "by_month": {"grain": "month", "time_range": {"start": "2026-01-01", "end": "2026-10-31"}},
    "by_dimension": {"group_by": ["order__region"]},
    "compare": {"grain": "month", "time_range": {"start": "2026-01-01", "end": "2026-10-31"},
                "compare": "previous_period"},
}


def demo_catalog_latency() -> None:
    """Every demo metric × the shapes it supports, cold (cache cleared), vs sqlglot parsing and
    rendering the SQL it produced: the cost of compiling beyond merely transpiling the same text."""
    import sqlglot

    from metricloop.adapters.catalog_files import load_catalog

    catalog = load_catalog(Path(__file__).resolve().parents[1] / "catalog")
    queries = []
    for metric in catalog.supported_metrics():
        for shape in DEMO_SHAPES.values():
            query = MetricQuery.model_validate({"metrics": [metric.name], **shape})
            try:
                compile_query(catalog, query)
            except Exception:  # noqa: BLE001 - a dimension not reachable from this metric
                continue
            queries.append(query)
    cold, base = [], []
    for _ in range(5):
        for query in queries:
            clear_compile_cache()
            started = time.perf_counter()
            sql = compile_query(catalog, query).sql
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            sqlglot.parse_one(sql, read="duckdb").sql(dialect="duckdb")
            base.append((time.perf_counter() - started) * 1000)
    p50, p95 = statistics.median(cold), statistics.quantiles(cold, n=20)[18]
    b50 = statistics.median(base)
    print(f"demo catalog: {len(queries)} metric × shape queries, cold compile p50 {p50:.2f} ms, p95 {p95:.2f} ms "
          f"(goal p50 <= 2 ms)")
    print(f"  baseline: sqlglot parse + render of the same SQL p50 {b50:.2f} ms → ratio {p50 / b50:.2f}×\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    demo_catalog_latency()
    catalog = make_catalog()
    queries = {k: MetricQuery.model_validate(v) for k, v in SHAPES.items()}
    compile_query(catalog, queries["total"])  # warm the graph cache, as a running service has
    print("compile latency (ms)         cold p50  cold p95  cached p50")
    cold_all, warm_all = [], []
    for name, q in queries.items():
        cold = timed(lambda q=q: (clear_compile_cache(), compile_query(catalog, q)), 100)
        warm = timed(lambda q=q: compile_query(catalog, q), 100)
        cold_all += cold
        warm_all += warm
        print(f"  {name:<28} {statistics.median(cold):7.2f} {statistics.quantiles(cold, n=20)[18]:9.2f}"
              f" {statistics.median(warm):10.3f}")
    print(f"  {'ALL':<28} {statistics.median(cold_all):7.2f} {statistics.quantiles(cold_all, n=20)[18]:9.2f}"
          f" {statistics.median(warm_all):10.3f}   (goal p50 <= 2 ms)")
    print(f"\nbuilding {args.rows:,} orders ...", flush=True)
    con = build(args.rows)
    print("run time (ms), median of", args.repeat, "     compiled    hand   ratio")
    ratios = []
    for name, hand in HAND.items():
        sql = compile_query(catalog, queries[name]).sql
        assert sorted(map(repr, con.execute(sql).fetchall())) == sorted(map(repr, con.execute(hand).fetchall()))
        ct, ht = [], []
        for _ in range(args.repeat):  # interleaved so machine noise hits both alike
            ct += timed(lambda sql=sql: con.execute(sql).fetchall(), 1)
            ht += timed(lambda hand=hand: con.execute(hand).fetchall(), 1)
        ratio = statistics.median(ct) / statistics.median(ht)
        ratios.append(ratio)
        print(f"  {name:<28} {statistics.median(ct):9.1f} {statistics.median(ht):7.1f}   {ratio:5.2f}")
    print(f"  worst ratio {max(ratios):.2f}   (goal <= 1.10)")


if __name__ == "__main__":
    main()
