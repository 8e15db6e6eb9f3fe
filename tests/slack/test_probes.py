"""Probes and metrics: /healthz is "alive", /readyz is 200 only when the store, warehouse and model are ready
(503 naming what is not, and while draining), /metrics counts deliveries, answers, latency, errors, the queue
and notices posted — read after real signed deliveries through the Bolt app."""
from __future__ import annotations

import io
import threading

import pytest
from starlette.testclient import TestClient

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop import observe
from metricloop.adapters.store_loop import Notice
from metricloop.errors import log_internal_error
from metricloop.health import Readiness, _model_ok, _store_ok, _warehouse_ok
from metricloop.loop.outbox import PrintNotifier, post_pending
from metricloop.slack.server import asgi_app, health_app


class Broken:
    """A store or warehouse whose database is down."""

    @property
    def schema_version(self) -> int:
        raise ConnectionError("connection refused")

    def run_sql(self, sql, **kwargs):
        raise ConnectionError("connection refused")


class Service:
    def __init__(self, warehouse, understander) -> None:
        self.warehouse, self.understander = warehouse, understander


# (store, warehouse, interpreter) -> /readyz status and the parts not ready
READINESS = [
    (("ok", "ok", "ok"), 200, set()),
    (("down", "ok", "ok"), 503, {"store"}),
    (("ok", "down", "ok"), 503, {"warehouse"}),
    (("ok", "ok", "missing"), 503, {"model"}),
    (("down", "down", "missing"), 503, {"store", "warehouse", "model"}),
]


@pytest.mark.parametrize(("parts", "status", "not_ready"), READINESS)
def test_readyz_checks_store_warehouse_and_model(slack_app, app_store, service, parts, status, not_ready):
    store = app_store if parts[0] == "ok" else Broken()
    svc = Service(service.warehouse if parts[1] == "ok" else Broken(), object() if parts[2] == "ok" else None)
    slack_app.readiness = Readiness({"store": lambda: _store_ok(store),
                                     "warehouse": lambda: _warehouse_ok(svc.warehouse),
                                     "model": lambda: _model_ok(svc)})
    for web in (asgi_app(slack_app), health_app(slack_app)):  # HTTP mode, and Socket Mode's probe server
        with TestClient(web) as client:
            assert client.get("/healthz").status_code == 200  # alive either way
            response = client.get("/readyz")
            assert response.status_code == status
            checks = response.json()["checks"]
            assert {k for k, v in checks.items() if v != "ok"} == not_ready
            assert all("connection refused" in checks[k] for k in not_ready - {"model"})


def test_readyz_is_503_while_draining_or_before_the_runtime_is_built(slack_app):
    draining = threading.Event()
    with TestClient(asgi_app(slack_app, draining=draining)) as client:
        assert client.get("/readyz").status_code == 503  # no readiness attached: the runtime is not built
        slack_app.readiness = Readiness({"store": lambda: None})
        assert client.get("/readyz").status_code == 200
        draining.set()
        assert client.get("/readyz").json() == {"ready": False, "draining": True}


# (sample, labels, increase after three questions each delivered twice, one internal error, one notice posted)
EXPECTED = [
    ("metricloop_deliveries_total", {"kind": "app_mention", "receipt": "new"}, 3),
    ("metricloop_deliveries_total", {"kind": "app_mention", "receipt": "duplicate"}, 3),
    ("metricloop_questions_total", {"kind": "app_mention"}, 3),
    ("metricloop_answer_seconds_count", {}, 3),
    ("metricloop_errors_total", {}, 1),
    ("metricloop_alerts_posted_total", {"kind": "anomaly"}, 1),
]


class OneNoticeOutbox:
    """An outbox holding one pending anomaly notice until it is marked posted."""

    def __init__(self) -> None:
        self.posted = False

    def pending_notices(self):
        return [] if self.posted else [Notice("k", "anomaly", {}, None, None, None, "t", None)]

    def claim_notice(self, key, worker):
        return "first"

    def mark_notice_posted(self, key, channel, ts):
        self.posted = True
        return True


def test_metrics_count_deliveries_answers_errors_and_notices(driver, slack_app):
    before = [observe.sample(name, labels) for name, labels, _ in EXPECTED]
    for n in range(3):
        event = rq.app_mention("revenue in march")
        for retry in range(2):  # each delivered twice: the retry is a duplicate, answered once
            driver.event(event, event_id=f"EvMetrics{n}", retry_num=retry)
        driver.replies(ws.DEFAULT_CHANNEL, event["ts"])
    assert slack_app.executor.drain(10) == 0
    log_internal_error(RuntimeError("boom"), "test")
    assert post_pending(OneNoticeOutbox(), PrintNotifier(out=io.StringIO())) == 1
    with TestClient(asgi_app(slack_app)) as client:
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert "metricloop_queue_depth 0.0" in response.text
    after = [observe.sample(name, labels) for name, labels, _ in EXPECTED]
    assert [a - b for a, b in zip(after, before, strict=True)] == [n for *_, n in EXPECTED]
