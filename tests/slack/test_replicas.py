"""Two `metricloop serve --http` processes on one PostgreSQL store: under a retry storm (every question
delivered three times, each copy to either replica, all at once) every question is answered exactly once, the
replicas' /metrics agree (one `new` receipt per question across both, the rest duplicates), and when the
scheduler's leader is killed the other replica takes the lease within a minute and still answers.
(bench/bench_replicas.py is the same at a larger size, with figures.)"""
from __future__ import annotations

import re
import signal
import uuid

import httpx
import psycopg
import pytest

from fakes.replicas import Replicas, answers, fresh_database, questions, storm

N_QUESTIONS = 8
COPIES = 3


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        m = re.match(r"(\w+)(?:\{(.*)\})? (\S+)$", line)
        if m and m.group(1) == name and ",".join(sorted((m.group(2) or "").split(","))).strip(",") == want:
            return float(m.group(3))
    return 0.0


@pytest.mark.timeout(300)
def test_two_replicas_answer_each_question_once_and_the_scheduler_moves(tmp_path, fake_slack, postgres_server):
    url = fresh_database(postgres_server.url, f"replicas_{uuid.uuid4().hex[:8]}")
    replicas = Replicas(tmp_path, fake_slack.base_url, url)
    try:
        replicas.start()
        asked = questions(N_QUESTIONS, prefix="EvRepTest")
        result = storm(replicas, fake_slack, asked, copies=COPIES, concurrency=12)
        assert all(s == 200 for statuses in result.statuses.values() for s in statuses), result.statuses
        assert all(len(statuses) > 0 for statuses in result.statuses.values())  # both replicas took deliveries
        assert result.answers == [1] * N_QUESTIONS
        with psycopg.connect(url) as con:
            assert con.execute("SELECT status, count(*) FROM inbox GROUP BY status").fetchall() == [
                ("answered", N_QUESTIONS)]
        scraped = [httpx.get(f"{s.url}/metrics").text for s in replicas.serves]
        receipts = {r: sum(metric(t, "metricloop_deliveries_total", kind="app_mention", receipt=r) for t in scraped)
                    for r in ("new", "duplicate")}
        assert receipts == {"new": N_QUESTIONS, "duplicate": N_QUESTIONS * (COPIES - 1)}
        assert all(httpx.get(f"{s.url}/readyz").status_code == 200 for s in replicas.serves)

        leader, _ = replicas.wait_leader(timeout=60)
        replicas.serves[leader].signal(signal.SIGKILL)
        replicas.serves[leader].wait(10)
        survivor, takeover_s = replicas.wait_leader(other_than=leader, timeout=60)
        assert survivor != leader and takeover_s < 60

        (late,) = questions(1, prefix="EvRepAfter")
        after = storm(replicas.only(survivor), fake_slack, [late], copies=COPIES, concurrency=3)
        assert after.answers == [1] and len(answers(fake_slack, late)) == 1
    finally:
        replicas.stop()
