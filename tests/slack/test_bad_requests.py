"""Signed but malformed Slack bodies are a 400 with one log line, never a 500 with a traceback (HTTP), and
an acknowledged, logged refusal in Socket Mode."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from types import SimpleNamespace

import pytest
from starlette.testclient import TestClient

from fakes import slack_requests as rq
from metricloop.slack import server
from metricloop.slack.request_check import payload_problem

DEEP = "[" * 200_000 + "]" * 200_000
NOT_UTF8 = b'{"type": "event_callback", "event": {"text": "\xff\xfe revenue"}}'
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

# (case, body, content type, expected status, words the log line has)
CASES = [
    ("invalid JSON", b'{"type": "event_callback", "event": ', JSON, 400, "not valid JSON"),
    ("a JSON array", b'[{"type": "event_callback"}]', JSON, 400, "JSON list"),
    ("event is null", json.dumps({"type": "event_callback", "event_id": "Ev1", "event": None}).encode(), JSON, 400,
     "'event'"),
    ("not UTF-8", NOT_UTF8, JSON, 400, "not UTF-8"),
    ("200k-deep nesting", DEEP.encode(), JSON, 400, "deeper"),
    ("deep but parseable", ('{"a": ' * 500 + "1" + "}" * 500).encode(), JSON, 400, "deeper"),
    ("form payload not JSON", b"payload=%7Bnot+json", FORM, 400, "not valid JSON"),
    ("form payload an array", b"payload=%5B1%2C2%5D", FORM, 400, "JSON list"),
    ("actions not a list", b"payload=" + json.dumps({"type": "block_actions", "actions": "x"}).encode(), FORM, 400,
     "'actions'"),
]


def signed(body: bytes, secret: str, content_type: str) -> dict[str, str]:
    """Slack's headers for raw bytes (the request builders sign text; these bodies need not be text)."""
    ts = str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": f"v0={mac}"}


@pytest.fixture
def client(slack_app):
    with TestClient(server.asgi_app(slack_app)) as c:  # raises any server exception in the test
        yield c


@pytest.mark.parametrize(("case", "body", "content_type", "status", "logged"), CASES, ids=[c[0] for c in CASES])
def test_signed_malformed_bodies_are_400_without_a_traceback(client, signing_secret, caplog, case, body,
                                                              content_type, status, logged):
    with caplog.at_level(logging.INFO):
        response = client.post(server.EVENTS_PATH, content=body, headers=signed(body, signing_secret, content_type))
    assert response.status_code == status, case
    assert response.json()["error"] == "bad_request"
    # (a malformed body is refused before any Slack call: a slack_sdk error in the log comes from another test's
    # background thread still posting to its stopped fake Slack, never from this request; a store now writes its
    # queued audit entries before it closes, so no audit-writer error is exempt)
    assert not [r for r in caplog.records if (r.exc_info or r.levelno >= logging.ERROR)
                and not r.name.startswith("slack_sdk")]
    assert any(logged in r.getMessage() for r in caplog.records), [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("body", [b"[1]", NOT_UTF8, b'{"event": null}'])
def test_unsigned_malformed_bodies_are_401(client, body):
    headers = signed(body, "not-the-secret", JSON)
    assert client.post(server.EVENTS_PATH, content=body, headers=headers).status_code == 401


def test_a_well_formed_signed_body_still_goes_through(client, signing_secret, driver):
    event = rq.app_mention("revenue in march")
    body, headers = rq.signed_event(event, signing_secret)
    assert client.post(server.EVENTS_PATH, content=body, headers=headers).status_code == 200
    assert driver.replies(event["channel"], event["ts"])


class Client:
    """Stands in for the Socket Mode client: records acknowledgements."""

    logger = logging.getLogger("socket-mode-client")

    def __init__(self) -> None:
        self.acked: list[str] = []

    def send_socket_mode_response(self, response) -> None:
        self.acked.append(response.envelope_id)


@pytest.mark.parametrize("payload", [
    [{"type": "event_callback"}],
    {"type": "event_callback", "event_id": "Ev1", "event": None},
    json.loads('{"a": ' * 500 + "1" + "}" * 500),
    "text",
], ids=["array", "event null", "deep", "a string"])
def test_socket_mode_acknowledges_and_drops_a_malformed_payload(slack_app, caplog, payload):
    handler = server.CheckedSocketModeHandler.__new__(server.CheckedSocketModeHandler)
    handler.app = slack_app
    client = Client()
    with caplog.at_level(logging.INFO):
        handler.handle(client, SimpleNamespace(envelope_id="env-1", payload=payload, type="events_api",
                                               accepts_response_payload=False))
    assert client.acked == ["env-1"]
    # (a malformed body is refused before any Slack call: a slack_sdk error in the log comes from another test's
    # background thread still posting to its stopped fake Slack, never from this request; a store now writes its
    # queued audit entries before it closes, so no audit-writer error is exempt)
    assert not [r for r in caplog.records if (r.exc_info or r.levelno >= logging.ERROR)
                and not r.name.startswith("slack_sdk")]
    assert any("refused a Socket Mode envelope" in r.getMessage() for r in caplog.records)


def test_payload_problem_accepts_every_shape_slack_sends():
    for payload in (rq.event_callback(rq.app_mention("x")), rq.block_actions("a"),
                    rq.view_submission("cb", {}), rq.slash_command("x", response_url="http://x")):
        assert payload_problem(payload) is None
