"""Plain-language `ask`: warm latency, cold start to first answer, and resident memory (not part of pytest).

    .venv/bin/python bench/bench_ask.py [--warehouse var/demo.duckdb]

Prints, each with a baseline measured in the same run:
- warm ask latency over the development question set (p50, p95; goal ≤ 100 ms / ≤ 250 ms, chart excluded)
  vs running the same MetricQuery directly (service.query: compile + DuckDB), so the ratio is the price
  of understanding;
- cold start to first answer of `metricloop ask` in a fresh process (goal ≤ 10 s) vs a fresh process that
  only answers a structured `metricloop query` (no model);
- peak resident memory of that `ask` process (goal ≤ 700 MB) vs the `query` process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "questions" / "dev.yaml"
METRICLOOP = str(Path(sys.executable).with_name("metricloop"))


def _questions() -> tuple[list[str], dt.date]:
    data = YAML(typ="safe").load(DEV.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("q"), str):
                found.append(node["q"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found, data["today"]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def warm(warehouse: Path) -> None:
    from metricloop.runtime import build_service
    from metricloop.settings import load_settings

    service = build_service(load_settings(warehouse=warehouse), understanding=True)
    questions, today = _questions()
    service.ask(questions[0], today=today)  # warm caches
    ask_ms, direct_ms = [], []
    for text in questions:
        started = time.perf_counter()
        answer = service.ask(text, today=today)
        ask_ms.append((time.perf_counter() - started) * 1000)
        if answer.status == "answered" and answer.query is not None:
            started = time.perf_counter()
            service.query(answer.query)
            direct_ms.append((time.perf_counter() - started) * 1000)
    p50, p95 = statistics.median(ask_ms), _pct(ask_ms, 0.95)
    b50, b95 = statistics.median(direct_ms), _pct(direct_ms, 0.95)
    print(f"warm ask over {len(ask_ms)} questions: p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal ≤ 100 / ≤ 250 ms)")
    print(f"  baseline, same MetricQuery run directly ({len(direct_ms)}): p50 {b50:.1f} ms, p95 {b95:.1f} ms "
          f"→ ratio p50 {p50 / b50:.2f}×, p95 {p95 / b95:.2f}×")


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def cold(warehouse: Path) -> None:
    ask = [METRICLOOP, "ask", "上个月华东的销售额", "--today", "2026-11-27", "--json", "--warehouse", str(warehouse)]
    query = [METRICLOOP, "query", "-m", "revenue", "--by", "region", "--from", "2026-10-01", "--to", "2026-10-31",
             "--json", "--warehouse", str(warehouse)]
    # RUSAGE_CHILDREN keeps the largest child so far: measure the small process first
    query_s, query_mb = _timed(query)
    runs = [_timed(ask) for _ in range(3)]
    ask_s = statistics.median(r[0] for r in runs)
    ask_mb = max(r[1] for r in runs)
    print(f"cold start to first answer (`metricloop ask`, median of 3): {ask_s:.2f} s (goal ≤ 10 s)")
    print(f"  baseline `metricloop query` (no model): {query_s:.2f} s → ratio {ask_s / query_s:.2f}×")
    print(f"peak resident memory of `ask` with the model loaded: {ask_mb:.0f} MB (goal ≤ 700 MB)")
    print(f"  baseline `query` process: {query_mb:.0f} MB → ratio {ask_mb / query_mb:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, default=ROOT / "var" / "demo.duckdb")
    args = parser.parse_args()
    if not args.warehouse.exists():
        sys.exit(f"{args.warehouse} is missing: run `metricloop demo --end 2026-11-26` first")
    cold(args.warehouse)
    warm(args.warehouse)


if __name__ == "__main__":
    main()
