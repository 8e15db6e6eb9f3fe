"""What saying "the latest days are missing or partial" costs a warm answer (not part of pytest).

    .venv/bin/python bench/bench_freshness_notes.py [--warehouse var/demo.duckdb] [--rounds 3]

Over the development question set (the day it pins as today), each question is asked twice per round,
interleaved so a busy machine slows both alike: with the freshness note (each model's latest loaded day from
loop/latest_days, cached for its TTL) and, as the baseline in the same run, with the note switched off. Prints
p50/p95 of both and their ratio, plus what a cold latest-day probe costs per model (paid once per TTL).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_ask import _pct, _questions  # the same question set and percentiles as bench_ask


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, default=ROOT / "var" / "demo.duckdb")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.warehouse.exists():
        sys.exit(f"{args.warehouse} is missing: run `metricloop demo --end 2026-11-26` first")
    from metricloop.loop.latest_days import LatestDays
    from metricloop.runtime import build_service
    from metricloop.settings import load_settings

    service = build_service(load_settings(warehouse=args.warehouse), understanding=True)
    questions, today = _questions()
    noted = service.note_freshness

    def off(answer, today=None):  # noqa: ARG001 - the baseline: the note switched off
        return answer

    # a cold probe per model: what the first answer after each TTL pays
    latest = LatestDays(service)
    cold_ms = []
    for model in service.catalog.semantic_models:
        for time_dimension in sorted({model.agg_time_dimension(m) for m in model.measures} - {None}):
            started = time.perf_counter()
            latest.latest(model.name, time_dimension, today)
            cold_ms.append((time.perf_counter() - started) * 1000)

    for text in questions:  # warm caches (compiled SQL, interpretation, latest days) for both variants
        service.ask(text, today=today)
    with_ms, without_ms, notes = [], [], 0
    for _ in range(args.rounds):
        for text in questions:
            for variant, out in ((noted, with_ms), (off, without_ms)):
                service.note_freshness = variant
                started = time.perf_counter()
                answer = service.ask(text, today=today)
                out.append((time.perf_counter() - started) * 1000)
                notes += variant is noted and answer.partial_data is not None
    service.note_freshness = noted
    p50, p95 = statistics.median(with_ms), _pct(with_ms, 0.95)
    b50, b95 = statistics.median(without_ms), _pct(without_ms, 0.95)
    print(f"warm ask with the freshness note, {len(with_ms)} asks ({len(questions)} questions × {args.rounds}; "
          f"today {today}; {notes // args.rounds} answers noted): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"  baseline, the note switched off, same run: p50 {b50:.1f} ms, p95 {b95:.1f} ms "
          f"→ ratio p50 {p50 / b50:.2f}×, p95 {p95 / b95:.2f}×")
    print(f"cold latest-day probe ({len(cold_ms)} model × time dimension): median {statistics.median(cold_ms):.1f} ms, "
          f"max {max(cold_ms):.1f} ms (once per model per {latest.ttl_s:.0f} s)")


if __name__ == "__main__":
    main()
