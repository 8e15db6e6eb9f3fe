"""Replicas: two `metricloop serve --http` processes on one PostgreSQL store under a retry storm, and the
scheduler moving when its leader is killed (not part of pytest; tests/slack/test_replicas.py is the small one).

    .venv/bin/python bench/bench_replicas.py [--questions 20] [--copies 3] [--concurrency 20] [--kills 2]

A throwaway PostgreSQL (tests/servers/postgres.py) holds the store; the fake Slack Web API runs in this process.
Every question is delivered `copies` times (the first delivery and Slack's retries), each copy to a random
replica, all in random order from `concurrency` connections at once. Baseline, same run: the same storm on ONE
replica over a PostgreSQL store (and, for the store's own cost, one replica on an SQLite file). After two
warm-up questions per replica, prints the time until every question was answered (and the ratio two / one),
the acknowledgement p50/p95, how the deliveries split between the replicas and how each replica's /metrics
counted them (new / duplicate), and whether every question was answered exactly once. Then, `kills` times:
SIGKILL the replica holding the scheduler lease, time until the other one holds it (goal: within a minute),
restart the killed one.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # test tooling (fakes, servers), not shipped
from fakes.fake_slack import FakeSlack
from fakes.replicas import Replicas, fresh_database, questions, storm
from servers.postgres import throwaway_postgres


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def receipts(replicas: Replicas) -> list[dict[str, float]]:
    """Each replica's /metrics count of deliveries by receipt (new / duplicate / retaken)."""
    out = []
    for serve in replicas.serves:
        text = httpx.get(f"{serve.url}/metrics", timeout=5).text
        counts: dict[str, float] = {}
        for receipt, value in re.findall(r'metricloop_deliveries_total\{[^}]*receipt="(\w+)"[^}]*\} (\S+)', text):
            counts[receipt] = counts.get(receipt, 0) + float(value)
        out.append(counts)
    return out


def warm_up(replicas: Replicas, fake: FakeSlack, prefix: str) -> None:
    """Two questions per replica first: the first answers load the catalog's lazy parts and the chart renderer."""
    for i in range(len(replicas.serves)):
        storm(replicas.only(i), fake, questions(2, prefix=f"{prefix}Warm{i}"), copies=1, concurrency=2, settle_s=0)


def run_storm(label: str, replicas: Replicas, fake: FakeSlack, args: argparse.Namespace, prefix: str) -> tuple:
    warm_up(replicas, fake, prefix)
    before = receipts(replicas)
    asked = questions(args.questions, prefix=prefix)
    result = storm(replicas, fake, asked, copies=args.copies, concurrency=args.concurrency, seed=args.seed)
    once = sum(n == 1 for n in result.answers)
    bad = sum(s != 200 for statuses in result.statuses.values() for s in statuses)
    split = " / ".join(str(len(v)) for v in result.statuses.values())
    print(f"{label:<13} all answered in {result.seconds:5.1f} s   ack p50 {pct(result.ack_s, 0.5):5.0f} ms  "
          f"p95 {pct(result.ack_s, 0.95):5.0f} ms   deliveries per replica {split} (non-200: {bad})   "
          f"answered exactly once {once}/{len(asked)}")
    for i, (start, end) in enumerate(zip(before, receipts(replicas), strict=True)):
        print(f"{'':13}   replica {i} /metrics during the storm: "
              + ", ".join(f"{k} {v - start.get(k, 0):.0f}" for k, v in sorted(end.items())))
    return result, once == len(asked) and bad == 0


def run(args: argparse.Namespace) -> int:
    ok = True
    with tempfile.TemporaryDirectory() as tmp, throwaway_postgres() as pg, FakeSlack() as fake:
        print(f"bench_replicas: {args.questions} questions x {args.copies} deliveries each, "
              f"{args.concurrency} concurrent signed requests; store on PostgreSQL ({pg.origin})")
        print(f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        lite = Replicas(Path(tmp) / "lite", fake.base_url, str(Path(tmp) / "lite.sqlite"), n=1)
        try:
            lite.start()
            run_storm("1, SQLite", lite, fake, args, "EvBenchLite")
        finally:
            lite.stop()
        single = Replicas(Path(tmp) / "single", fake.base_url, fresh_database(pg.url, "bench_single"), n=1)
        try:
            single.start()
            base, good = run_storm("1, Postgres", single, fake, args, "EvBenchOne")
            ok &= good
        finally:
            single.stop()
        replicas = Replicas(Path(tmp) / "pair", fake.base_url, fresh_database(pg.url, "bench_pair"), n=2)
        try:
            took = replicas.start()
            print(f"{'':13}   two replicas started together (one migrates, one waits) in "
                  + " / ".join(f"{t:.1f} s" for t in took))
            pair, good = run_storm("2, Postgres", replicas, fake, args, "EvBenchTwo")
            ok &= good
            print(f"{'':13}   time to answer all, two replicas / one: {pair.seconds / base.seconds:.2f}x")
            leader, _ = replicas.wait_leader(timeout=60)
            for kill in range(args.kills):
                killed_at = time.monotonic()
                replicas.serves[leader].signal(signal.SIGKILL)
                replicas.serves[leader].wait(10)
                new, _ = replicas.wait_leader(other_than=leader, timeout=120)
                took_s = time.monotonic() - killed_at
                ok &= took_s < 60
                print(f"kill {kill + 1}: SIGKILL the scheduler leader (replica {leader}); replica {new} holds the "
                      f"lease {took_s:4.1f} s later (goal < 60 s; tick 15 s, lease 45 s)")
                replicas.serves[leader].start()  # back as a follower
                leader = new
        finally:
            replicas.stop()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print(f"result: {'every question answered exactly once; scheduler moved within a minute' if ok else 'FAILED'}")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--copies", type=int, default=3, help="deliveries of each question (1 + retries)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--seed", type=int, default=12)
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
