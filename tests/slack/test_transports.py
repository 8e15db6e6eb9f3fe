"""The app over a real ASGI server (uvicorn on 127.0.0.1, httpx) and over Socket Mode (the fake's WebSocket)."""
from __future__ import annotations

import socket
import threading

import httpx
import pytest
import uvicorn
from tests.slack.conftest import wait_for

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.errors import UserError
from metricloop.settings import Settings
from metricloop.slack import server

CH = ws.DEFAULT_CHANNEL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_url(slack_app):
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(server.asgi_app(slack_app), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    wait_for(lambda: srv.started, what="uvicorn start")
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


def test_over_http(http_url, fake_slack, signing_secret):
    assert httpx.get(f"{http_url}/healthz").json() == {"ok": True}
    event = rq.app_mention("revenue by region in February")
    body, headers = rq.signed_event(event, signing_secret, event_id="Ev0HTTP1")
    assert httpx.post(f"{http_url}{server.EVENTS_PATH}", content=body, headers=headers).status_code == 200
    retry_headers = rq.sign(body, signing_secret, content_type="application/json", retry_num=1)
    assert httpx.post(f"{http_url}{server.EVENTS_PATH}", content=body, headers=retry_headers).status_code == 200
    tampered = body.replace("February", "January")
    assert httpx.post(f"{http_url}{server.EVENTS_PATH}", content=tampered, headers=headers).status_code == 401
    wait_for(lambda: [m for m in fake_slack.messages_in(CH, event["ts"]) if m.get("files")], what="chart")
    answers = [m for m in fake_slack.messages_in(CH, event["ts"]) if m.get("blocks")]
    assert len(answers) == 1 and answers[0]["thread_ts"] == event["ts"]


def test_over_socket_mode(slack_app, fake_slack):
    handler = server.socket_mode_handler(slack_app, ws.APP_TOKEN)
    handler.connect()
    try:
        sm = fake_slack.socket_mode
        event = rq.app_mention("revenue in March")
        payload = rq.event_callback(event, event_id="Ev0SOCKET1")
        first = sm.push(payload)
        second = sm.push(payload, retry_attempt=1, retry_reason="timeout")  # Slack re-sends: same event_id
        assert sm.wait_for_ack(first) and sm.wait_for_ack(second)
        wait_for(lambda: [m for m in fake_slack.messages_in(CH, event["ts"]) if m.get("blocks")], what="answer")
        slack_app.listener_runner.lazy_listener_runner.executor.shutdown(wait=True)
        assert len([m for m in fake_slack.messages_in(CH, event["ts"]) if m.get("blocks")]) == 1
    finally:
        handler.close()


@pytest.mark.parametrize(("env", "http", "missing"), [
    ({}, True, ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]),
    ({"slack_bot_token": "xoxb-1"}, True, ["SLACK_SIGNING_SECRET"]),
    ({"slack_bot_token": "xoxb-1", "slack_signing_secret": "s"}, True, []),
    ({"slack_bot_token": "xoxp-1", "slack_app_token": "xapp-1"}, False, ["xoxb-"]),
    ({"slack_bot_token": "xoxb-1", "slack_app_token": "xoxb-2"}, False, ["xapp-"]),
])
def test_refuses_to_start_without_settings(env, http, missing, monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"METRICLOOP_{name}", raising=False)
    settings = Settings(_env_file=None, **env)
    assert server.use_http(settings, force_http=http) is http
    problems = " ".join(server.missing_settings(settings, http=http))
    assert all(m in problems for m in missing) and bool(problems) == bool(missing)
    if missing:
        with pytest.raises(UserError, match="Cannot start"):
            server.serve(None, settings, force_http=http)  # refuses before it looks at the app


def test_http_deliveries_are_dispatched_concurrently(signing_secret, fake_slack):
    """Regression: Bolt's Starlette adapter ran App.dispatch on the event loop, so a burst of deliveries
    was acknowledged one after another. Two deliveries must be inside dispatch at the same time."""
    import concurrent.futures

    from slack_bolt import App
    from slack_sdk import WebClient

    inside = threading.Barrier(2, timeout=5)
    app = App(signing_secret=signing_secret, process_before_response=True,
              client=WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url))

    @app.event("app_mention")
    def both_at_once(ack):
        inside.wait()  # raises BrokenBarrierError if the other delivery is not dispatched meanwhile
        ack()

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(server.asgi_app(app), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    wait_for(lambda: srv.started, what="uvicorn start")
    try:
        def deliver(n: int) -> int:
            body, headers = rq.signed_event(rq.app_mention(f"question {n}"), signing_secret, event_id=f"EvBar{n}")
            return httpx.post(f"http://127.0.0.1:{port}{server.EVENTS_PATH}", content=body, headers=headers,
                              timeout=10).status_code

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            assert list(pool.map(deliver, [1, 2])) == [200, 200]
        assert not inside.broken
    finally:
        srv.should_exit = True
        thread.join(timeout=5)


def test_socket_mode_still_answers_health_probes():
    from starlette.testclient import TestClient

    with TestClient(server.health_app()) as client:
        assert client.get("/healthz").json() == {"ok": True, "mode": "socket"}
        assert client.post("/slack/events").status_code in (404, 405)  # no Slack traffic over HTTP here
