"""Several `metricloop serve --http` processes on one PostgreSQL store, against one fake Slack — for the replica
test (tests/slack/test_replicas.py) and its benchmark (bench/bench_replicas.py).

    with throwaway_postgres() as pg, FakeSlack() as fake:
        replicas = Replicas(tmp, fake.base_url, fresh_database(pg.url, "replicas"))
        replicas.start()
        result = storm(replicas, questions(20), copies=3, concurrency=20)   # each delivery sent 3 times
        leader = replicas.leader()                                          # who holds the scheduler lease
        replicas.serves[leader].signal(signal.SIGKILL); replicas.wait_leader(other_than=leader)
"""
from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from fakes import slack_requests as rq
from fakes import workspace as ws
from fakes.serve_process import ServeProcess

CH = ws.DEFAULT_CHANNEL
QUESTIONS = ["revenue in march", "orders in february", "revenue by region in february", "orders by region",
             "revenue last month", "orders yesterday", "average order value in march", "revenue by week in march"]
USERS = ["U0ALICE", "U0BOB", "U0CAROL", "U0DAVE"]


def fresh_database(server_url: str, name: str) -> str:
    """Create database `name` on the server; its URL."""
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class Asked:
    """One question as Slack holds it: its event and the signed body every delivery of it carries."""

    event: dict
    body: str

    @property
    def ts(self) -> str:
        return self.event["ts"]


def questions(n: int, prefix: str = "EvRep") -> list[Asked]:
    """`n` distinct app mentions from four people, each with its own event id."""
    out = []
    for i in range(n):
        event = rq.app_mention(QUESTIONS[i % len(QUESTIONS)], user=USERS[i % len(USERS)])
        out.append(Asked(event, rq.signed_event(event, "unused", event_id=f"{prefix}{i:03d}")[0]))
    return out


def answers(fake, asked: Asked) -> list[dict]:
    """The bot's answer posts in the question's thread."""
    return [m for m in fake.messages_in(CH, asked.ts) if m.get("thread_ts") == asked.ts and m.get("blocks")]


class Replicas:
    """`n` serve processes sharing the store at `store_url` (each with its own port, log and warehouse copy)."""

    def __init__(self, root: Path, slack_api_url: str, store_url: str, n: int = 2, workers: int = 2) -> None:
        self.store_url = store_url
        self.serves = []
        for i in range(n):
            workdir = root / f"replica{i}"
            workdir.mkdir(parents=True, exist_ok=True)
            self.serves.append(ServeProcess(workdir, slack_api_url, workers=workers,
                                            extra_env={"METRICLOOP_STORE_URL": store_url}))

    def start(self) -> list[float]:
        """Start every replica at once (they migrate the store together); seconds each took to serve."""
        with ThreadPoolExecutor(len(self.serves)) as pool:
            return list(pool.map(lambda s: s.start(), self.serves))

    def only(self, index: int) -> Replicas:
        """The same store with just replica `index` (e.g. the survivor after a kill) as a delivery target."""
        view = Replicas.__new__(Replicas)
        view.store_url, view.serves = self.store_url, [self.serves[index]]
        return view

    def stop(self) -> None:
        for serve in self.serves:
            serve.stop()

    def leader(self) -> int | None:
        """Index of the replica holding the scheduler lease (its holder id names the pid), or None."""
        with psycopg.connect(self.store_url) as con:
            row = con.execute("SELECT holder FROM leases WHERE name = 'scheduler'").fetchone()
        if row is None:
            return None
        pid = int(row[0].split(":")[1])
        return next((i for i, s in enumerate(self.serves) if s.proc is not None and s.proc.pid == pid), None)

    def wait_leader(self, other_than: int | None = None, timeout: float = 90) -> tuple[int, float]:
        """Wait until a replica other than `other_than` holds the lease; (its index, seconds waited)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            who = self.leader()
            if who is not None and who != other_than:
                return who, time.monotonic() - started
            time.sleep(0.05)
        raise TimeoutError(f"no replica took the scheduler lease in {timeout} s")


@dataclass
class StormResult:
    """What a retry storm did: HTTP statuses per replica, ack latencies, and answers per question."""

    statuses: dict[int, list[int | None]] = field(default_factory=dict)
    ack_s: list[float] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    seconds: float = 0.0  # from the first delivery to the last question answered


def storm(replicas: Replicas, fake, asked: list[Asked], *, copies: int = 3, concurrency: int = 20,
          seed: int = 12, settle_s: float = 2.0, timeout: float = 120) -> StormResult:
    """Deliver every question `copies` times (the first, then Slack's retries 1, 2, …), each copy to a random
    replica, in random order from `concurrency` connections at once; wait until every question has an answer,
    then `settle_s` more for any second answer. Returns what happened."""
    rng = random.Random(seed)
    deliveries = [(a, copy, rng.randrange(len(replicas.serves))) for a in asked for copy in range(copies)]
    rng.shuffle(deliveries)
    result = StormResult(statuses={i: [] for i in range(len(replicas.serves))})
    lock = threading.Lock()

    def send(delivery: tuple[Asked, int, int]) -> None:
        question, copy, target = delivery
        serve = replicas.serves[target]
        headers = rq.sign(question.body, serve.secret, content_type="application/json",
                          retry_num=copy or None)
        started = time.monotonic()
        status = serve.deliver(question.body, headers, timeout=10)
        with lock:
            result.statuses[target].append(status)
            result.ack_s.append(time.monotonic() - started)

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, deliveries))
    deadline = started + timeout
    while time.monotonic() < deadline and not all(answers(fake, a) for a in asked):
        time.sleep(0.05)
    result.seconds = time.monotonic() - started
    time.sleep(settle_s)
    result.answers = [len(answers(fake, a)) for a in asked]
    return result
