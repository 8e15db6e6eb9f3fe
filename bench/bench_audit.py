"""The audit trail's price on an answer (not part of pytest).

    .venv/bin/python bench/bench_audit.py [--n 300]

Answers the same governed query over the shop fixture (compile + DuckDB, what a warm Slack answer costs besides
understanding) three ways, interleaved in one run, on a durable store file (WAL, synchronous=FULL):
- baseline: the answer alone;
- queued:   the answer, then `AuditTrail.question` (what the Slack app does: a record on a queue, written by a
            background thread in batches);
- inline:   the answer, then the same record written synchronously (`store.write_audit`, one commit each).
Prints p50 / p95 per mode and the ratio to the baseline; the queued mode should stay within noise of it.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.store_governance import AuditRecord
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.audit import AuditTrail, question_detail
from metricloop.clock import FixedClock
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.service import MetricService

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
QUERY = MetricQuery(metrics=("revenue",), group_by=("customer__region",),
                    time_range=TimeRange(start=date(2026, 3, 1), end=date(2026, 3, 31)))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shop.duckdb"
        con = duckdb.connect(str(path))
        con.execute((FIXTURES / "slack" / "shop_warehouse.sql").read_text())
        con.close()
        warehouse = DuckDBWarehouse(str(path), read_only=True, timeout_s=10)
        service = MetricService(catalog=load_catalog(FIXTURES / "catalogs" / "shop"), warehouse=warehouse,
                                clock=FixedClock(date(2026, 3, 31)))
        store = SQLiteStore(Path(tmp) / "store.sqlite")
        trail = AuditTrail(store)
        for _ in range(20):  # warm: compile caches, DuckDB, the writer thread
            service.query(QUERY)
        times: dict[str, list[float]] = {"baseline": [], "queued": [], "inline": []}
        for i in range(args.n):
            for mode in ("baseline", "queued", "inline"):
                started = time.perf_counter()
                answer = service.query(QUERY)
                if mode == "queued":
                    trail.question(user="U0BENCH", channel="C0BENCH", text="revenue by region in March",
                                   answer=answer, latency_ms=1.0, source=f"bench:{i}:q")
                elif mode == "inline":
                    detail = question_detail("revenue by region in March", answer, latency_ms=1.0)
                    store.write_audit([AuditRecord("U0BENCH", "question", detail, "2026-03-31T00:00:00+00:00",
                                                   "C0BENCH", f"bench:{i}:i")])
                times[mode].append((time.perf_counter() - started) * 1000)
        trail.flush(30)
        written = len(store.audit_entries())
        base = statistics.median(times["baseline"])
        print(f"answers: {args.n} per mode, interleaved; audit entries written: {written}")
        for mode, values in times.items():
            p50 = statistics.median(values)
            print(f"{mode:<9} p50 {p50:6.2f} ms  p95 {_pct(values, 0.95):6.2f} ms  ratio to baseline {p50 / base:4.2f}")
        store.close()
        warehouse.close()


if __name__ == "__main__":
    main()
