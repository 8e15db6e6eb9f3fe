"""Plain-language `ask`: warm latency, cold start to first answer, and resident memory (not part of pytest).

    .venv/bin/python bench/bench_ask.py [--warehouse var/demo.duckdb]

Prints, each with a baseline measured in the same run:
- warm ask latency over the development question set (p50, p95; goal p50 ≤ 15 ms, chart excluded)
  vs running the same MetricQuery directly (service.query: compile + DuckDB), so the ratio is the price
  of understanding;
- cold start to first answer of `metricloop ask` in a fresh process, for a question the lexical matcher decides
  (goal ≤ 2 s; the embedding model is never loaded) and one that needs the model (goal ≤ 4 s; the bundled model
  in numpy, and with METRICLOOP_EMBEDDING_RUNTIME=torch for comparison), vs a fresh process that only answers a
  structured `metricloop query` (no model), interleaved in the same run; wall and CPU seconds, peak RSS.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
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
    print(f"warm ask over {len(ask_ms)} questions: p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal p50 ≤ 15 ms)")
    print(f"  baseline, same MetricQuery run directly ({len(direct_ms)}): p50 {b50:.1f} ms, p95 {b95:.1f} ms "
          f"→ ratio p50 {p50 / b50:.2f}×, p95 {p95 / b95:.2f}×")


def _timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process (its own rusage)."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {child.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


LEXICAL_SURE = "revenue by region last month"  # every metric named: no dense score, no model
MODEL_NEEDED = "what did customers spend on average"  # no metric named: the embedding model decides


def _check_questions(warehouse: Path) -> None:
    """The two cold questions really are of their kind (the lazy embedder loaded or not).

    Run in a child process of its own (``--check-questions``): a process started from this one counts the pages
    this one holds in its peak RSS (Linux carries the parent's high-water mark across fork and exec), so the bench
    process must never load the model or the catalog itself.
    """
    from metricloop.runtime import build_service
    from metricloop.settings import load_settings

    for text, needs in ((LEXICAL_SURE, False), (MODEL_NEEDED, True)):
        service = build_service(load_settings(warehouse=warehouse), understanding=True)
        service.ask(text)
        loaded = service.understander.vectors._embedder.loaded
        if loaded != needs:
            sys.exit(f"{text!r}: expected the model {'loaded' if needs else 'not loaded'}")


def cold(warehouse: Path, rounds: int = 3) -> None:
    base = ["--today", "2026-11-27", "--json", "--warehouse", str(warehouse)]
    runs = {
        "query": ([METRICLOOP, "query", "-m", "revenue", "--by", "region", "--from", "2026-10-01", "--to",
                   "2026-10-31", "--json", "--warehouse", str(warehouse)], None),
        "ask, lexical-sure": ([METRICLOOP, "ask", LEXICAL_SURE, *base], None),
        "ask, model needed (numpy runtime)": ([METRICLOOP, "ask", MODEL_NEEDED, *base], None),
        "ask, model needed (torch runtime)": ([METRICLOOP, "ask", MODEL_NEEDED, *base],
                                              {"METRICLOOP_EMBEDDING_RUNTIME": "torch"}),
    }
    subprocess.run([sys.executable, __file__, "--check-questions", "--warehouse", str(warehouse)], check=True)
    for cmd, env in runs.values():  # untimed: caches (catalog pickle, metric vectors) exist, as after any first run
        _timed(cmd, env)
    timings: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
    for _ in range(rounds):  # interleaved, so a busy machine slows every kind alike
        for name, (cmd, env) in runs.items():
            timings[name].append(_timed(cmd, env))
    q_wall = statistics.median(t[0] for t in timings["query"])
    q_cpu = statistics.median(t[1] for t in timings["query"])
    print(f"cold `metricloop` process to first answer (median of {rounds}; goals: lexical-sure ≤ 2 s, "
          "model needed ≤ 4 s):")
    for name, rows in timings.items():
        wall = statistics.median(t[0] for t in rows)
        cpu = statistics.median(t[1] for t in rows)
        peak = max(t[2] for t in rows)
        print(f"  {name:36} {wall:5.2f} s wall ({wall / q_wall:.2f}× query), {cpu:5.2f} s CPU "
              f"({cpu / q_cpu:.2f}× query), peak RSS ≤ {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, default=ROOT / "var" / "demo.duckdb")
    parser.add_argument("--check-questions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.warehouse.exists():
        sys.exit(f"{args.warehouse} is missing: run `metricloop demo --end 2026-11-26` first")
    if args.check_questions:
        _check_questions(args.warehouse)
        return
    cold(args.warehouse)
    warm(args.warehouse)


if __name__ == "__main__":
    main()
