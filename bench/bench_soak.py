"""Soak: `metricloop serve --http` (a real process) under a steady mixed load for minutes (not part of pytest).

    .venv/bin/python bench/bench_soak.py [--minutes 3] [--rate 4] [--seed 1]

Against the fake Slack Web API (in this process), `rate` deliveries a second, open loop: new questions
from several users (45%), follow-ups in answered threads (20%), "Show SQL" clicks on answers (15%), Slack
retries of earlier deliveries (15%) and /metrics list (5%), all correctly signed. /healthz is probed at the
same rate in the same run: the baseline the acknowledgement times are compared with. Prints RSS at the
start (after a warm-up) and the end, errors (HTTP failures, Slack API calls that failed, ERROR lines or
tracebacks in the server log — goal 0), the acknowledgement p50/p95 (goal p95 < 300 ms) beside /healthz's,
and checks that every question was answered exactly once.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fakes package (test tooling, not shipped)
from fakes import slack_requests as rq
from fakes import workspace as ws
from fakes.fake_slack import FakeSlack
from fakes.serve_process import ServeProcess
from metricloop.slack.deliveries import answer_key

CH = ws.DEFAULT_CHANNEL
QUESTIONS = ["revenue in march", "orders in february", "revenue by region in february", "orders yesterday",
             "average order value in march", "revenue by week in march", "orders by region", "revenue last month"]
FOLLOW_UPS = ["and by region?", "what about orders?", "and in february?"]
USERS = [f"U0SOAK{i}" for i in range(6)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Load:
    """The mixed load: builds each delivery, sends it, records the acknowledgement time and any failure."""

    def __init__(self, serve: ServeProcess, fake: FakeSlack, rng: random.Random) -> None:
        self.serve, self.fake, self.rng = serve, fake, rng
        self.sent: list[tuple[str, dict[str, str]]] = []  # what Slack could retry
        self.questions: list[str] = []  # thread ts of every question asked
        self.keys: list[str] = []  # the inbox key of every question (answers name it in their metadata)
        self.acks: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def answered(self, ts: str) -> list[dict]:
        return [m for m in self.fake.messages_in(CH, ts) if m.get("thread_ts") == ts and m.get("blocks")]

    def next_delivery(self) -> tuple[str, dict[str, str]]:
        roll, secret = self.rng.random(), self.serve.secret
        with self.lock:
            answered = [ts for ts in self.questions[-50:] if self.answered(ts)]
            sent = list(self.sent[-200:])
        if roll < 0.20 and answered:
            event = rq.message(self.rng.choice(FOLLOW_UPS), user=self.rng.choice(USERS), channel=CH,
                               thread_ts=self.rng.choice(answered))
            return rq.signed_event(event, secret)
        if roll < 0.35 and answered:
            ts = self.rng.choice(answered)
            reply = self.answered(ts)[0]
            payload = rq.block_actions("show_sql", "ref:x", user=self.rng.choice(USERS), channel=CH,
                                       message_ts=reply["ts"], thread_ts=ts)
            return rq.signed_interaction(payload, secret)
        if roll < 0.50 and sent:
            body, _ = self.rng.choice(sent)
            return body, rq.sign(body, secret, content_type="application/json", retry_num=1)
        if roll < 0.55:
            url = self.fake.new_response_url(CH, self.rng.choice(USERS))
            return rq.signed_form(rq.slash_command("list", response_url=url), secret)
        event = rq.app_mention(self.rng.choice(QUESTIONS), user=self.rng.choice(USERS))
        with self.lock:
            self.questions.append(event["ts"])
            self.keys.append(f"event:EvSoak{len(self.keys)}")
            event_id = self.keys[-1].removeprefix("event:")
        return rq.signed_event(event, secret, event_id=event_id)

    def send(self) -> None:
        body, headers = self.next_delivery()
        started = time.perf_counter()
        status = self.serve.deliver(body, headers)
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.acks.append(elapsed)
            if status != 200:
                self.errors.append(f"HTTP {status}")
            elif body.startswith("{"):
                self.sent.append((body, headers))


def probe(url: str, rate: float, stop: threading.Event, out: list[float]) -> None:
    """/healthz at `rate` a second until stopped: the baseline round trip under the same load."""
    with httpx.Client(timeout=10) as client:
        while not stop.wait(1 / rate):
            started = time.perf_counter()
            client.get(f"{url}/healthz")
            out.append((time.perf_counter() - started) * 1000)


def run(minutes: float, rate: float, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        serve = ServeProcess(Path(tmp), fake.base_url)
        took = serve.start()
        load = Load(serve, fake, rng)
        health: list[float] = []
        try:
            with ThreadPoolExecutor(8) as pool:
                for _ in range(20):  # warm-up: first answers load the catalog's lazy parts and the chart renderer
                    pool.submit(load.send).result()
                time.sleep(3)
                rss_start, load.acks, load.errors = serve.rss_kb(), [], []
                stop = threading.Event()
                prober = threading.Thread(target=probe, args=(serve.url, rate, stop, health), daemon=True)
                prober.start()
                samples, deadline, tick = [rss_start], time.monotonic() + minutes * 60, time.monotonic()
                next_sample = tick + 10
                while time.monotonic() < deadline:
                    pool.submit(load.send)
                    tick += 1 / rate
                    time.sleep(max(0.0, tick - time.monotonic()))
                    if time.monotonic() >= next_sample:  # RSS every 10 s: flat, or creeping?
                        samples.append(serve.rss_kb())
                        next_sample += 10
                stop.set()
            settle = time.monotonic() + 30
            while time.monotonic() < settle and not all(load.answered(ts) for ts in load.questions):
                time.sleep(0.5)
            rss_end = serve.rss_kb()
        finally:
            serve.stop()
        per_key = Counter(answer_key(m.get("metadata")) for m in fake.messages_in(CH))
        counts = [per_key[key] for key in load.keys]
        log = serve.log.read_text()
        failed_calls = [c for c in fake.calls if c.status != 200 or (isinstance(c.response, dict)
                                                                      and c.response.get("ok") is False)]
        log_errors = log.count("Traceback") + log.count(" ERROR ")
        errors = len(load.errors) + len(failed_calls) + log_errors
        print(f"soak: {minutes:g} min at {rate:g} deliveries/s (mixed: questions, follow-ups, clicks, retries, "
              f"/metrics list), serve --http as a process, started in {took:.1f} s")
        print(f"RSS start {rss_start / 1024:6.1f} MB  end {rss_end / 1024:6.1f} MB  "
              f"(min {min(samples) / 1024:.1f}, max {max(samples) / 1024:.1f}; {rss_end / rss_start:.2f}x)")
        print("RSS every 10 s (MB): " + " ".join(f"{kb / 1024:.0f}" for kb in samples))
        print(f"errors {errors} (HTTP {len(load.errors)}, Slack API {len(failed_calls)}, log {log_errors})")
        a50, a95, h50, h95 = pct(load.acks, 0.5), pct(load.acks, 0.95), pct(health, 0.5), pct(health, 0.95)
        print(f"ack      p50 {a50:6.1f} ms  p95 {a95:6.1f} ms  ({len(load.acks)} deliveries)")
        print(f"/healthz p50 {h50:6.1f} ms  p95 {h95:6.1f} ms  (baseline, same run; ack p95 {a95 / h95:.1f}x)")
        once = sum(n == 1 for n in counts)
        for call in failed_calls[:5]:
            print(f"  failed Slack call: {call.method} {call.status} {str(call.response)[:160]}")
        if once < len(counts):
            print(f"  answers per question: { {n: counts.count(n) for n in set(counts)} }")
        print(f"questions answered exactly once: {once}/{len(counts)}; goal ack p95 < 300 ms: "
              f"{'met' if a95 < 300 else 'MISSED'}")
        return 0 if errors == 0 and once == len(counts) and a95 < 300 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=4.0, help="deliveries per second")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.exit(run(args.minutes, args.rate, args.seed))


if __name__ == "__main__":
    main()
