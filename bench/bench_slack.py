"""Slack app latency under load, over real HTTP against the fake Slack Web API (not part of pytest).

    .venv/bin/python bench/bench_slack.py [--rounds 5] [--concurrency 20] [--real-charts]

Sends bursts of `concurrency` correctly signed @mention requests at the app served by uvicorn on
127.0.0.1 and measures, per request, the time to the HTTP acknowledgement (goal p95 < 300 ms) and to
the answer posted in the thread (chat.postMessage seen by the fake). A /healthz round trip under the
same concurrency is the baseline measured in this run; ratios are printed against it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the fakes package (test tooling, not shipped)
from tests.slack.conftest import FIXTURES, TableUnderstander

from fakes import slack_requests as rq
from fakes import workspace as ws
from fakes.fake_slack import FakeSlack
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.charts import FakeChartRenderer, VegaChartRenderer
from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.service import MetricService
from metricloop.settings import Settings
from metricloop.slack.app import build_app
from metricloop.slack.server import EVENTS_PATH, asgi_app

SECRET = "bench-signing-secret"
QUESTIONS = ["revenue by region in February", "daily orders in January", "revenue in March"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_server(app, port: int = 0) -> tuple[uvicorn.Server, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(asgi_app(app), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{port}"


DEMO_QUESTIONS = ["revenue last month by region", "上个月的退款率", "weekly orders last quarter",
                  "top 5 categories by revenue this year", "conversion rate yesterday", "客户满意度 本月"]


def burst(client: httpx.Client, url: str, fake: FakeSlack, n: int,
          questions: list[str] = QUESTIONS) -> tuple[list[float], list[float]]:
    """n concurrent mentions; (ack latencies, answer latencies) in milliseconds."""
    def one(i: int) -> tuple[str, float, float]:
        event = rq.app_mention(questions[i % len(questions)])
        body, headers = rq.signed_event(event, SECRET)
        sent = time.time()
        response = client.post(url + EVENTS_PATH, content=body, headers=headers)
        assert response.status_code == 200, response.status_code
        return event["ts"], sent, (time.time() - sent) * 1000

    with ThreadPoolExecutor(n) as pool:
        results = list(pool.map(one, range(n)))
    answers: list[float] = []
    deadline = time.time() + 60
    for ts, sent, _ in results:
        while True:
            posted = [c for c in fake.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts]
            if posted:
                answers.append((posted[0].time - sent) * 1000)
                break
            if time.time() > deadline:
                raise SystemExit(f"no answer for {ts}")
            time.sleep(0.01)
    return [r[2] for r in results], answers


def healthz_burst(client: httpx.Client, url: str, n: int) -> list[float]:
    def one(_: int) -> float:
        started = time.perf_counter()
        client.get(url + "/healthz").raise_for_status()
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--real-charts", action="store_true", help="render charts with vl-convert")
    parser.add_argument("--demo", action="store_true",
                        help="the real understander on the demo warehouse (var/demo.duckdb), real charts")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_slack_"))
    con = duckdb.connect(str(tmp / "shop.duckdb"))
    con.execute((FIXTURES / "slack" / "shop_warehouse.sql").read_text())
    con.close()
    fake = FakeSlack().start()
    warehouse = DuckDBWarehouse(str(tmp / "shop.duckdb"))
    service = MetricService(catalog=load_catalog(FIXTURES / "catalogs" / "shop"), warehouse=warehouse,
                            understander=TableUnderstander(), clock=FixedClock(dt.date(2026, 3, 31)))
    questions = QUESTIONS
    if args.demo:
        from metricloop.runtime import build_service
        from metricloop.settings import load_settings

        service = build_service(load_settings(warehouse=ROOT / "var" / "demo.duckdb"), understanding=True)
        service.today = lambda: dt.date(2026, 11, 27)
        questions, args.real_charts = DEMO_QUESTIONS, True
    settings = Settings(_env_file=None, slack_bot_token=ws.BOT_TOKEN, slack_signing_secret=SECRET,
                        slack_api_url=fake.base_url, store_path=tmp / "store.sqlite")
    renderer = VegaChartRenderer() if args.real_charts else FakeChartRenderer()
    app = build_app(settings, service, SQLiteStore(settings.store_path), chart_renderer=renderer)
    server, url = start_server(app)
    limits = httpx.Limits(max_connections=args.concurrency * 2, max_keepalive_connections=args.concurrency * 2)
    acks, answers, health = [], [], []
    with httpx.Client(limits=limits, timeout=30) as client:
        burst(client, url, fake, 3, questions)  # warm-up: imports, first queries, connection pool
        for _ in range(args.rounds):
            health += healthz_burst(client, url, args.concurrency)
            a, b = burst(client, url, fake, args.concurrency, questions)
            acks += a
            answers += b
    app.listener_runner.lazy_listener_runner.executor.shutdown(wait=True)  # let chart uploads finish
    server.should_exit = True
    fake.stop()
    base50, base95 = pct(health, 0.5), pct(health, 0.95)
    print(f"{len(acks)} mentions in bursts of {args.concurrency} over HTTP (uvicorn, fake Slack Web API)"
          + (" — real understander, demo warehouse, real charts" if args.demo else ""))
    print(f"baseline /healthz      p50 {base50:7.1f} ms  p95 {base95:7.1f} ms")
    for name, values in (("ack", acks), ("answer posted", answers)):
        p50, p95 = pct(values, 0.5), pct(values, 0.95)
        print(f"{name:<22} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
              f"(x{p50 / base50:.1f} / x{p95 / base95:.1f} of baseline)"
              f"  mean {statistics.fmean(values):.1f}")
    verdict = "OK" if pct(acks, 0.95) < 300 else "ABOVE GOAL"
    print(f"ack p95 goal < 300 ms: {verdict}")


if __name__ == "__main__":
    main()
