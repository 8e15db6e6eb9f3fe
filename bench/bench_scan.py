"""The whole anomaly scan, SQL included, on 1,000 metric x slice series (not part of pytest).

    .venv/bin/python bench/bench_scan.py [--metrics 20] [--values 25] [--days 90] [--rows 600000]

A synthetic warehouse (one sales table: day, store, product group, kind, amount) and catalog: ``--metrics``
simple metrics, each sliced by store and by product group (``--values`` each), so metrics x (1 + 2 x values)
series (20 x 51 = 1,020 by default). Times, in the same run:

- the scan: plan (slice sizing), one day-grain MetricQuery per metric x slice dimension through
  MetricService.query, judging every series (the daily job: the last day, with ``--days`` of history; and a
  range scan judging every one of the ``--days`` days);
- baseline: one query per series (the obvious way: a MetricQuery filtered to the slice), timed on a sample
  and extrapolated to all series, plus the raw SQL time of the batched queries alone.

Goal: the daily scan of 1,000 series within 10 s on this 2-core machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import Filter, MetricQuery
from metricloop.loop.scanner import make_plan, scan_range
from metricloop.service import MetricService

END = dt.date(2026, 6, 30)


def write_world(root: Path, metrics: int, values: int, days: int, rows: int) -> Path:
    """The catalog directory and the warehouse file."""
    catalog = root / "catalog"
    catalog.mkdir()
    measures = "\n".join(f"      - name: m{k}\n        agg: sum\n"
                         f"        expr: CASE WHEN kind = {k} THEN amount ELSE 0 END" for k in range(metrics))
    metric_defs = "\n".join(f"  - name: sales_{k}\n    type: simple\n    type_params:\n      measure: m{k}"
                            for k in range(metrics))
    (catalog / "sales.yml").write_text(f"""semantic_models:
  - name: sales
    model: ref('sales')
    defaults:
      agg_time_dimension: sold_on
    entities:
      - name: sale
        type: primary
        expr: id
    dimensions:
      - name: sold_on
        type: time
        type_params:
          time_granularity: day
      - name: store
        type: categorical
      - name: product_group
        type: categorical
    measures:
{measures}
metrics:
{metric_defs}
""")
    (catalog / "loop.yml").write_text(f"anomaly_scan:\n  lookback_days: {days}\n  max_slices: {values}\n")
    path = root / "bench.duckdb"
    con = duckdb.connect(str(path))
    span = days + 60  # the detector's window before the first judged day of a range scan
    con.execute(f"""CREATE TABLE sales AS SELECT i AS id,
        DATE '{END}' - CAST(floor(random() * {span}) AS INTEGER) AS sold_on,
        's' || CAST(floor(random() * {values}) AS INTEGER) AS store,
        'g' || CAST(floor(random() * {values}) AS INTEGER) AS product_group,
        CAST(floor(random() * {metrics}) AS INTEGER) AS kind,
        round(5 + random() * 95, 2) AS amount
        FROM range({rows}) t(i)""")
    con.close()
    return catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--metrics", type=int, default=20)
    parser.add_argument("--values", type=int, default=25)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--sample", type=int, default=60, help="per-series baseline queries actually run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        catalog_dir = write_world(Path(tmp), args.metrics, args.values, args.days, args.rows)
        catalog = load_catalog(catalog_dir)
        warehouse = DuckDBWarehouse(str(Path(tmp) / "bench.duckdb"), read_only=True, max_rows=1_000_000)
        service = MetricService(catalog=catalog, warehouse=warehouse, max_rows=1_000_000)

        started = time.perf_counter()
        daily = scan_range(service, END, END)
        daily_s = time.perf_counter() - started
        started = time.perf_counter()
        ranged = scan_range(service, END - dt.timedelta(days=args.days - 1), END)
        range_s = time.perf_counter() - started

        plan = make_plan(service)
        sql_s = 0.0
        for sq in plan.queries(END, END):
            compiled = compile_query(catalog, sq.query, "duckdb", as_of=END)
            started = time.perf_counter()
            warehouse.run(compiled, max_rows=1_000_000)
            sql_s += time.perf_counter() - started

        prefix = {"sale__store": "s", "sale__product_group": "g"}
        per_series = [(sq.metric, sq.dimension, f"{prefix[sq.dimension]}{v}")
                      for sq in plan.queries(END, END) if sq.dimension for v in range(args.values)]
        sample = per_series[:: max(1, len(per_series) // args.sample)][: args.sample]
        window = plan.queries(END, END)[0].query.time_range
        started = time.perf_counter()
        for metric, dim, value in sample:
            service.query(MetricQuery(metrics=(metric,), group_by=("metric_time",), grain="day", time_range=window,
                                      where=(Filter(dimension=dim, values=(value,)),)), today=END)
        one_each_s = (time.perf_counter() - started) / len(sample) * daily.series
        warehouse.close()

    print(f"series: {daily.series} ({args.metrics} metrics x (1 + 2 x {args.values} values)), "
          f"{args.days} days of history, {args.rows:,} fact rows")
    print(f"daily scan (judge the last day):     {daily_s:6.2f} s  {daily.queries} queries  "
          f"{len(daily.anomalies)} anomalies   goal <= 10 s")
    print(f"range scan (judge all {args.days} days):    {range_s:6.2f} s  {ranged.queries} queries  "
          f"{len(ranged.anomalies)} anomalies")
    print(f"  of which the batched SQL alone:     {sql_s:6.2f} s")
    print(f"baseline: one query per series:      {one_each_s:6.2f} s  ({daily.series} queries; "
          f"{len(sample)} timed, extrapolated)")
    print(f"ratio baseline / daily scan:         {one_each_s / daily_s:6.1f}x")


if __name__ == "__main__":
    main()
