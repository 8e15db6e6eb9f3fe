"""Signed request builders, checked against slack_sdk's verifier and a real Bolt App on the fake Web API."""
from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from fakes import slack_requests as sr
from fakes.workspace import BOT_TOKEN, BOT_USER_ID


@pytest.fixture
def app(fake_slack, signing_secret) -> App:
    """A minimal Bolt app that answers each kind of request through the fake Web API."""
    bolt = App(client=WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url), signing_secret=signing_secret,
               process_before_response=True)

    @bolt.event("app_mention")
    def mention(event, say):
        say(text=f"echo: {event['text']}", thread_ts=event.get("thread_ts") or event["ts"])

    @bolt.event("message")
    def message(event, say):
        if event.get("subtype") is None and event.get("bot_id") is None:
            say(text=f"dm: {event['text']}")

    @bolt.command("/metrics")
    def command(ack, respond, command):
        ack()
        respond(text=f"cmd: {command['text']}", response_type="in_channel")

    @bolt.action("show_sql")
    def action(ack, body, say):
        ack()
        say(text=f"sql for {body['actions'][0]['value']}", thread_ts=body["container"].get("thread_ts"))

    @bolt.view("follow_modal")
    def submitted(ack, view):
        ack(response_action="errors", errors={"metric": view["state"]["values"]["metric"]["m"]["value"]})

    return bolt


def test_signature_matches_slack_verifier_and_detects_tampering(signing_secret):
    body, headers = sr.signed_event(sr.app_mention("revenue last week"), signing_secret)
    verifier = SignatureVerifier(signing_secret)
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body.replace("revenue", "refunds"), headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    stale = sr.signed_event(sr.app_mention("x"), signing_secret, timestamp=int(time.time()) - 6 * 60)
    assert not verifier.is_valid_request(*stale)


def test_event_envelope_has_what_slack_sends():
    envelope = json.loads(sr.signed_event(sr.app_mention("hi"), "s", event_id="Ev123")[0])
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev123"
    assert {"event_time", "team_id", "api_app_id", "authorizations"} <= envelope.keys()
    assert envelope["authorizations"][0]["user_id"] == BOT_USER_ID
    assert envelope["event"]["text"] == f"<@{BOT_USER_ID}> hi"


@pytest.mark.parametrize("event, expected", [
    (sr.message("hi", channel="D0ALICE"), {"channel_type": "im", "user": "U0ALICE"}),
    (sr.message("hi", thread_ts="1.000001"), {"channel_type": "channel", "thread_ts": "1.000001"}),
    (sr.message("beep", bot_id="B9", user=None), {"bot_id": "B9"}),
    (sr.message_changed("C1", "1.000002", "new", old_text="old"), {"subtype": "message_changed", "hidden": True}),
    (sr.message_deleted("C1", "1.000003"), {"subtype": "message_deleted", "deleted_ts": "1.000003"}),
])
def test_message_variants(event, expected):
    assert {k: event[k] for k in expected} == expected
    assert event["type"] == "message" and event["ts"]
    if "bot_id" in expected:
        assert "user" not in event


def test_retry_headers_are_signed_along():
    _, headers = sr.signed_event(sr.app_mention("hi"), "s", retry_num=1, retry_reason="http_timeout")
    assert (headers["x-slack-retry-num"], headers["x-slack-retry-reason"]) == ("1", "http_timeout")


def test_mention_is_answered_in_thread_through_bolt(app, fake_slack, signing_secret):
    event = sr.app_mention("revenue by region", channel="C7")
    response = app.dispatch(sr.bolt_request(*sr.signed_event(event, signing_secret)))
    assert response.status == 200
    [reply] = fake_slack.messages_in("C7", thread_ts=event["ts"])
    assert reply["text"] == f"echo: <@{BOT_USER_ID}> revenue by region"


def test_dm_message_through_bolt(app, fake_slack, signing_secret):
    app.dispatch(sr.bolt_request(*sr.signed_event(sr.message("orders today", channel="D0ALICE"), signing_secret)))
    app.dispatch(sr.bolt_request(*sr.signed_event(sr.message("bot", channel="D0ALICE", bot_id="B1"), signing_secret)))
    assert [m["text"] for m in fake_slack.messages_in("D0ALICE")] == ["dm: orders today"]


def test_slash_command_is_form_encoded_and_responds_via_response_url(app, fake_slack, signing_secret):
    url = fake_slack.new_response_url(channel="C3", user="U0ALICE")
    body, headers = sr.signed_form(sr.slash_command("revenue last month", response_url=url, channel="C3"),
                                   signing_secret)
    assert parse_qs(body)["command"] == ["/metrics"]
    assert app.dispatch(sr.bolt_request(body, headers)).status == 200
    assert [m["text"] for m in fake_slack.messages_in("C3")] == ["cmd: revenue last month"]


def test_button_click_in_thread_through_bolt(app, fake_slack, signing_secret):
    payload = sr.block_actions("show_sql", "q-42", channel="C4", thread_ts="1.000009")
    body, headers = sr.signed_interaction(payload, signing_secret)
    assert list(parse_qs(body)) == ["payload"]
    assert app.dispatch(sr.bolt_request(body, headers)).status == 200
    assert [m["text"] for m in fake_slack.messages_in("C4", thread_ts="1.000009")] == ["sql for q-42"]


def test_view_submission_through_bolt(app, signing_secret):
    values = {"metric": {"m": {"type": "plain_text_input", "value": "revenue"}}}
    response = app.dispatch(sr.bolt_request(*sr.signed_interaction(sr.view_submission("follow_modal", values),
                                                                   signing_secret)))
    assert response.status == 200
    assert json.loads(response.body) == {"response_action": "errors", "errors": {"metric": "revenue"}}


@pytest.mark.parametrize("tamper", ["body", "secret", "stale"])
def test_bad_requests_get_401_and_no_outbound_call(app, fake_slack, signing_secret, tamper):
    event = sr.app_mention("revenue")
    secret = "wrong-secret" if tamper == "secret" else signing_secret
    timestamp = int(time.time()) - 600 if tamper == "stale" else None
    body, headers = sr.signed_event(event, secret, timestamp=timestamp)
    if tamper == "body":
        body = body.replace("revenue", "refunds")
    before = len(fake_slack.calls)
    assert app.dispatch(sr.bolt_request(body, headers)).status == 401
    assert fake_slack.calls[before:] == []


def test_bolt_socket_mode_handler_answers_a_pushed_event(app, fake_slack):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from fakes.workspace import APP_TOKEN

    handler = SocketModeHandler(app, app_token=APP_TOKEN)
    handler.client.auto_reconnect_enabled = False
    try:
        handler.connect()
        event = sr.app_mention("orders by channel", channel="C8")
        envelope_id = fake_slack.socket_mode.push(sr.event_callback(event))
        assert fake_slack.socket_mode.wait_for_ack(envelope_id, timeout=10)["envelope_id"] == envelope_id
        assert [m["text"] for m in fake_slack.messages_in("C8", thread_ts=event["ts"])] == [
            f"echo: <@{BOT_USER_ID}> orders by channel"]
    finally:
        handler.close()
