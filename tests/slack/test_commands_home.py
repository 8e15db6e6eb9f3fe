"""/metrics verbs, the App Home tab, timeouts and request signatures."""
from __future__ import annotations

import json
import time

import pytest
from tests.slack.conftest import Driver, wait_for

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.slack.app import build_app

CH = ws.DEFAULT_CHANNEL
USER = ws.DEFAULT_USER
COMMANDS = [  # (text, what the ephemeral reply must contain)
    ("", "/metrics list"),
    ("help", "Reply in the thread"),
    ("list", "`revenue` Revenue — ana@example.com"),
    ("define revenue", "sum(order_total) where"),
    ("define revenu", "Did you mean `revenue`?"),
    ("follow", "Usage: `/metrics follow <metric>`"),
]


def _reply(fake, n: int = 1) -> dict:
    calls = wait_for(lambda: len(fake.calls_to("response_url")) >= n and fake.calls_to("response_url"),
                     what="response_url reply")
    return calls[n - 1].params


@pytest.mark.parametrize(("text", "expected"), COMMANDS)
def test_command_verbs(driver, fake_slack, text, expected):
    assert driver.command(text).status == 200
    reply = _reply(fake_slack)
    assert reply["response_type"] == "ephemeral"
    assert expected in reply["text"] + json.dumps(reply.get("blocks", []), ensure_ascii=False)


def test_follow_and_unfollow_feed_the_store(driver, fake_slack, app_store):
    driver.command("follow Revenue")
    assert "now follow *revenue*" in _reply(fake_slack)["text"]
    assert app_store.follows(USER) == ["revenue"]
    driver.command("follow revenue")
    assert "already follow" in _reply(fake_slack, 2)["text"]
    driver.command("unfollow revenue")
    assert "no longer follow" in _reply(fake_slack, 3)["text"]
    assert app_store.follows(USER) == []


def test_app_home_lists_followed_metrics_and_open_alerts(driver, fake_slack, app_store, service):
    app_store.follow(USER, "revenue")
    app_store.follow(USER, "orders")
    alert = app_store.add_alert("orders", "2026-03-20", "down", value=3.0, expected=10.0)
    app_store.add_action(alert.id, USER, "2026-04-03", "Check the checkout funnel")
    ts = rq.new_ts()
    driver.event({"type": "app_home_opened", "user": USER, "channel": "D0ALICE", "tab": "home", "event_ts": ts})
    view = wait_for(lambda: fake_slack.workspace.home_views.get(USER), what="views.publish")
    text = json.dumps(view["blocks"], ensure_ascii=False)
    # last 7 complete days (Mar 24–30) against the 7 before: a value and a signed change for each metric
    assert "*Revenue* `revenue`" in text and "*Orders* `orders`" in text
    assert text.count("%)") == 2
    assert "orders* 2026-03-20" in text and "Check the checkout funnel" in text


class SlowWarehouse:
    """The real DuckDB adapter running a genuinely slow statement under a tiny time limit."""

    SLOW = "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range * b.range % 7 = 3"

    def __init__(self, real) -> None:
        self.real = real

    def run(self, compiled, *, timeout_s=None, max_rows=None):
        return self.real.run_sql(self.SLOW, timeout_s=0.3)


def test_query_timeout_gets_a_plain_message(settings, service, app_store, fake_slack, signing_secret):
    service.warehouse = SlowWarehouse(service.warehouse)
    driver = Driver(build_app(settings, service, app_store, chart_renderer=FakeChartRenderer()),
                    fake_slack, signing_secret)
    event = rq.app_mention("revenue in March")
    started = time.perf_counter()
    response = driver.event(event)
    assert response.status == 200 and time.perf_counter() - started < 0.3  # ack did not wait for the query
    reply, = driver.replies(CH, event["ts"])
    text = json.dumps(reply["blocks"])
    assert "0.3 s" in text and "Traceback" not in text


@pytest.mark.parametrize("attack", ["bad_signature", "stale_timestamp", "tampered_body"])
def test_unsigned_requests_are_refused_without_outbound_calls(driver, fake_slack, signing_secret, attack):
    event = rq.app_mention("revenue in March")
    if attack == "stale_timestamp":
        body, headers = rq.signed_event(event, signing_secret, timestamp=int(time.time()) - 600)
    else:
        body, headers = rq.signed_event(event, "not-the-secret" if attack == "bad_signature" else signing_secret)
        if attack == "tampered_body":
            body = body.replace("revenue in March", "revenue in April")
    before = len(fake_slack.calls)
    response = driver.app.dispatch(rq.bolt_request(body, headers))
    assert response.status == 401
    driver.app.listener_runner.lazy_listener_runner.executor.shutdown(wait=True)
    assert len(fake_slack.calls) == before
