"""What keeping other rows' values from a row-limited viewer costs (issue 11; not part of pytest).

    .venv/bin/python bench/bench_viewer_values.py [--warehouse var/demo.duckdb] [--n 40]

On the demo catalog and warehouse, with an `east` group limited to `customer__region: East`, asks the same
questions (filtered answers and a clarification) as the operator and as the East manager, interleaved, and
prints p50 per mode with the ratio to the operator's (the East manager's answers also carry the row filter, so
part of the ratio is the filtered SQL itself). Also the one-off, cold cost: reading the East manager's values of
one dimension (what the first filtered question pays) and of every indexed dimension (what the first
clarification pays), each cached for 10 minutes after.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.catalog.access import effective_policy
from metricloop.core.catalog.graph import model_key
from metricloop.core.understand.interpreter import Understander
from metricloop.service import MetricService
from metricloop.viewer_values import ViewerValues

ACCESS = {"groups": {"east": {"members": ["U0EAST"], "rows": {"customer__region": "East"}}}}
QUESTIONS = ["revenue in East last month", "orders by channel for enterprise customers last quarter",
             "revenue in West last month",  # outside the East manager's rows: denied for them
             "revenue in Narnia"]           # a clarification


def _time(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", default=str(ROOT / "var" / "demo.duckdb"))
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args()
    catalog = load_catalog(ROOT / "catalog")
    catalog = catalog.model_copy(update={"loop": {**catalog.loop, "access": ACCESS}})
    warehouse = DuckDBWarehouse(args.warehouse, read_only=True, timeout_s=30)
    index = build_value_index(catalog, warehouse)
    clock = FixedClock(dt.date.today())
    service = MetricService(catalog=catalog, warehouse=warehouse, clock=clock,
                            understander=Understander(catalog, None, index, today_fn=clock.today))
    policy = effective_policy(catalog, "U0EAST")
    keys = {sm.name: model_key(sm) for sm in catalog.semantic_models}
    refs = [f"{keys[model]}__{dim}" for model, dim in index.values()]
    one = _time(lambda: ViewerValues(lambda: catalog, warehouse).visible(policy, "customer__segment"))
    cold = ViewerValues(lambda: catalog, warehouse)
    every = _time(lambda: [cold.visible(policy, ref) for ref in refs])
    for question in QUESTIONS:  # the interpreter and the operator's answers warm; the viewer's values still cold
        service.ask(question)
    first = {q: _time(lambda q=q: service.ask(q, user="U0EAST")) for q in QUESTIONS}
    service.viewer_values.forget()
    print(f"cold, East manager: one dimension's values {one:.0f} ms; all {len(refs)} indexed dimensions "
          f"{every:.0f} ms (each cached for 10 min after)")
    print("first ask of each question as the East manager (values read cold): "
          + ", ".join(f"{q!r} {ms:.0f} ms" for q, ms in first.items()))
    for question in QUESTIONS:  # warm: compile caches, DuckDB, the viewer's values
        service.ask(question), service.ask(question, user="U0EAST")
    times: dict[str, list[float]] = {"operator": [], "east": []}
    statuses: dict[str, set[str]] = {"operator": set(), "east": set()}
    for _ in range(args.n):
        for question in QUESTIONS:
            for mode, user in (("operator", None), ("east", "U0EAST")):
                started = time.perf_counter()
                answer = service.ask(question, user=user)
                times[mode].append((time.perf_counter() - started) * 1000)
                statuses[mode].add(f"{question[:22]}…:{answer.status}")
    base = statistics.median(times["operator"])
    print(f"{args.n} x {len(QUESTIONS)} questions per mode, interleaved")
    for mode, values in times.items():
        p50 = statistics.median(values)
        outcome = ", ".join(sorted(statuses[mode]))
        print(f"{mode:<9} p50 {p50:7.2f} ms  ratio to operator {p50 / base:4.2f}  ({outcome})")
    warehouse.close()


if __name__ == "__main__":
    main()
