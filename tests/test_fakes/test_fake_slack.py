"""The fake Slack Web API, exercised with the real slack_sdk clients."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.webhook import WebhookClient

from fakes.workspace import APP_TOKEN, BOT_TOKEN, BOT_USER_ID

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*Revenue* is up 4%"}}


@pytest.fixture
def client(fake_slack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)


def _raw_text(text: str) -> dict:
    return {"type": "raw_text", "text": text}


def _table(rows: int, cols: int) -> dict:
    return {"type": "table", "rows": [[_raw_text(f"r{r}c{c}") for c in range(cols)] for r in range(rows)]}


def _button(text: str, value: str = "v") -> dict:
    return {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": text}, "value": value}


def _header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def _fields(n: int, length: int = 5) -> dict:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": "x" * length} for _ in range(n)]}


# Each method once through the real WebClient: (call, response keys that must be there).
METHOD_CASES = [
    ("auth.test", lambda c: c.auth_test(), {"user_id": BOT_USER_ID, "team_id": "T0METRIC"}),
    ("chat.postEphemeral", lambda c: c.chat_postEphemeral(channel="C1", user="U1", text="only you"), {}),
    ("views.open", lambda c: c.views_open(trigger_id="1.2.abc", view={
        "type": "modal", "title": {"type": "plain_text", "text": "Action"}, "blocks": [SECTION]}), {}),
    ("views.publish", lambda c: c.views_publish(user_id="U1", view={"type": "home", "blocks": [SECTION]}), {}),
    ("reactions.add", lambda c: c.reactions_add(channel="C1", timestamp="1.000001", name="eyes"), {}),
    ("conversations.info", lambda c: c.conversations_info(channel="D0ALICE"), {}),
    ("conversations.open", lambda c: c.conversations_open(users="U0ALICE"), {"channel": {"id": "D0ALICE"}}),
    ("users.info", lambda c: c.users_info(user="U0ALICE"), {}),
]


@pytest.mark.parametrize("method, call, expected", METHOD_CASES, ids=[m for m, _, _ in METHOD_CASES])
def test_each_method_answers_ok_and_is_recorded(fake_slack, client, method, call, expected):
    response = call(client)
    assert response["ok"] is True
    assert {k: response[k] for k in expected} == expected
    [recorded] = fake_slack.calls_to(method)
    assert recorded.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert recorded.status == 200


def test_post_update_permalink_and_messages_in_threads(fake_slack, client):
    parent = client.chat_postMessage(channel="C1", text="question?", blocks=[SECTION])
    assert parent["message"]["blocks"] == [SECTION] and parent["message"]["bot_id"]
    reply = client.chat_postMessage(channel="C1", thread_ts=parent["ts"], text="answer")
    client.chat_postMessage(channel="C1", text="elsewhere")
    client.chat_update(channel="C1", ts=reply["ts"], text="better answer")
    assert [m["text"] for m in fake_slack.messages_in("C1", thread_ts=parent["ts"])] == ["question?", "better answer"]
    assert len(fake_slack.messages_in("C1")) == 3
    link = client.chat_getPermalink(channel="C1", message_ts=reply["ts"])["permalink"]
    assert link.endswith(f"/archives/C1/p{reply['ts'].replace('.', '')}")
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C1", ts="9.999999", text="x")
    # posting to a user id lands in the DM with that user, as Slack does
    assert client.chat_postMessage(channel="U0BOB", text="hi")["channel"] == "D0BOB"


def test_form_encoded_blocks_are_decoded(fake_slack, client):
    # api_call with params sends a form body with blocks as a JSON string, like older call sites.
    client.api_call("chat.postMessage", params={"channel": "C2", "text": "t", "blocks": '[{"type": "divider"}]'})
    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert call.params["blocks"] == [{"type": "divider"}]


def test_views_update_and_reaction_errors(fake_slack, client):
    opened = client.views_open(trigger_id="t", view={"type": "modal", "title": {"type": "plain_text", "text": "A"},
                                                       "blocks": [SECTION], "external_id": "ext-1"})
    updated = client.views_update(external_id="ext-1", view={"type": "modal", "blocks": [SECTION],
                                                              "title": {"type": "plain_text", "text": "B"}})
    assert updated["view"]["id"] == opened["view"]["id"] and updated["view"]["title"]["text"] == "B"
    client.reactions_add(channel="C1", timestamp="1.1", name="eyes")
    with pytest.raises(SlackApiError, match="already_reacted"):
        client.reactions_add(channel="C1", timestamp="1.1", name="eyes")
    client.reactions_remove(channel="C1", timestamp="1.1", name="eyes")
    with pytest.raises(SlackApiError, match="no_reaction"):
        client.reactions_remove(channel="C1", timestamp="1.1", name="eyes")
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_publish(user_id="U1", view={"type": "modal", "blocks": [SECTION]})


@pytest.mark.parametrize("token, error", [(None, "not_authed"), ("garbage", "invalid_auth"),
                                          (APP_TOKEN, "not_allowed_token_type")])
def test_bad_tokens_are_refused(fake_slack, token, error):
    with pytest.raises(SlackApiError) as info:
        WebClient(token=token, base_url=fake_slack.base_url).chat_postMessage(channel="C1", text="x")
    assert info.value.response["error"] == error
    assert fake_slack.messages_in("C1") == []


def test_files_upload_v2_end_to_end(fake_slack, client):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    parent = client.chat_postMessage(channel="C1", text="chart please")
    result = client.files_upload_v2(channel="C1", thread_ts=parent["ts"], content=png, filename="revenue.png",
                                    title="Revenue by region", initial_comment="Here is the chart")
    file_id = result["file"]["id"]
    assert fake_slack.uploaded(file_id) == png
    assert [c.method for c in fake_slack.calls][-3:] == ["files.getUploadURLExternal", "upload",
                                                         "files.completeUploadExternal"]
    shared = fake_slack.messages_in("C1", thread_ts=parent["ts"])[-1]
    assert (shared["text"], shared["files"][0]["title"]) == ("Here is the chart", "Revenue by region")


def test_upload_checks_length_and_completion_needs_bytes(fake_slack, client):
    url = client.files_getUploadURLExternal(filename="a.png", length=3)
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(urllib.request.Request(url["upload_url"], data=b"", method="POST"))
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.files_completeUploadExternal(files=[{"id": url["file_id"], "title": "a"}], channel_id="C1")


INVALID_BLOCKS = [
    ("51 blocks", [{"type": "divider"}] * 51, "/blocks"),
    ("section text 3001", [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "/blocks/0"),
    ("header 151", [_header("h" * 151)], "/blocks/0"),
    ("button text 76", [{"type": "actions", "elements": [_button("b" * 76)]}], "/blocks/0"),
    ("11 fields", [_fields(11)], "/blocks/0"),
    ("field 2001", [_fields(2, length=2001)], "/blocks/0/fields/0/text"),
    ("11 context elements", [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "/blocks/0"),
    ("101 table rows", [_table(101, 2)], "/blocks/0/rows"),
    ("21 table columns", [_table(2, 21)], "/blocks/0/rows/0"),
    ("bad cell type", [{"type": "table", "rows": [[{"type": "mrkdwn", "text": "x"}]]}], "/blocks/0/rows/0/0"),
    ("two tables", [_table(2, 2), _table(2, 2)], "/blocks"),
    ("unknown block", [{"type": "sparkle"}], "/blocks/0/type"),
    ("missing type", [{"text": "x"}], "/blocks/0"),
    ("section without text", [{"type": "section"}], "/blocks/0"),
    ("duplicate block_id", [{"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "a"}],
     "/blocks/1/block_id"),
    ("not a list", "nope", "/blocks"),
]


@pytest.mark.parametrize("blocks, pointer", [(b, p) for _, b, p in INVALID_BLOCKS],
                         ids=[n for n, _, _ in INVALID_BLOCKS])
def test_invalid_blocks_are_rejected_like_slack(fake_slack, client, blocks, pointer):
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="fallback", blocks=blocks)
    assert info.value.response["error"] == "invalid_blocks"
    assert any(e.endswith(f"[json-pointer:{pointer}]") for e in info.value.response["errors"]), \
        info.value.response["errors"]
    assert fake_slack.messages_in("C1") == []


VALID_AT_THE_LIMIT = [
    ("50 blocks", [{"type": "divider"}] * 50),
    ("table 100x20", [_table(100, 20)]),
    ("header 150", [_header("h" * 150)]),
    ("button 75", [{"type": "actions", "elements": [_button("b" * 75)]}]),
    ("10 fields of 2000", [_fields(10, length=2000)]),
    ("rich_text cell", [{"type": "table", "rows": [[{"type": "rich_text", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": "区域"}]}]}]]}]),
]


@pytest.mark.parametrize("blocks", [b for _, b in VALID_AT_THE_LIMIT], ids=[n for n, _ in VALID_AT_THE_LIMIT])
def test_blocks_at_the_limits_are_accepted(client, blocks):
    assert client.chat_postMessage(channel="C1", text="fallback", blocks=blocks)["ok"]


def test_modal_allows_100_blocks_but_not_101(client):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Big"}}
    assert client.views_open(trigger_id="t", view={**view, "blocks": [{"type": "divider"}] * 100})["ok"]
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_open(trigger_id="t", view={**view, "blocks": [{"type": "divider"}] * 101})


def test_rate_limit_is_retried_by_slack_sdk_handler(fake_slack):
    fake_slack.inject_rate_limit("chat.postMessage", retry_after=0, times=1)
    retrying = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url,
                         retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    assert retrying.chat_postMessage(channel="C1", text="after a pause")["ok"]
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [429, 200]
    assert fake_slack.calls_to("chat.postMessage")[0].response == {"ok": False, "error": "ratelimited"}
    assert len(fake_slack.messages_in("C1")) == 1


def test_rate_limit_without_handler_surfaces_retry_after(fake_slack, client):
    fake_slack.inject_rate_limit("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        client.users_info(user="U1")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"


def test_injected_errors_are_used_up_in_order(fake_slack, client):
    fake_slack.inject_error("chat.postMessage", "channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError, match="channel_not_found"):
            client.chat_postMessage(channel="C1", text="x")
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    fake_slack.reset()
    assert fake_slack.calls == [] and fake_slack.messages_in("C1") == []


def test_response_url_in_channel_ephemeral_and_invalid(fake_slack):
    url = fake_slack.new_response_url(channel="C1", user="U0ALICE")
    assert url.startswith(fake_slack.base_url.removesuffix("/api/") + "/response/")
    hook = WebhookClient(url)
    assert hook.send(text="shared", response_type="in_channel").status_code == 200
    assert hook.send(text="just you", blocks=[SECTION]).status_code == 200
    bad = hook.send(text="x", blocks=[_header("h" * 200)])
    assert (bad.status_code, bad.body) == (400, "invalid_blocks")
    assert [m["text"] for m in fake_slack.messages_in("C1")] == ["shared"]
    assert [m["text"] for m in fake_slack.ephemerals_for("U0ALICE")] == ["just you"]
    assert [c.params["text"] for c in fake_slack.calls_to("response_url")] == ["shared", "just you", "x"]


def test_socket_mode_client_receives_an_envelope_and_acks(fake_slack):
    web = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)
    sm = SocketModeClient(app_token=APP_TOKEN, web_client=web, auto_reconnect_enabled=False)
    received: list[dict] = []
    got_it = threading.Event()

    def listener(client: SocketModeClient, req: SocketModeRequest) -> None:
        received.append(req.payload)
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        got_it.set()

    sm.socket_mode_request_listeners.append(listener)
    try:
        sm.connect()
        endpoint = fake_slack.socket_mode
        envelope_id = endpoint.push({"type": "event_callback", "event": {"type": "app_mention", "text": "hi"}})
        assert endpoint.wait_for_ack(envelope_id, timeout=10) == {"envelope_id": envelope_id}
        assert got_it.wait(5) and received[0]["event"]["text"] == "hi"
        [opened] = fake_slack.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
    finally:
        sm.close()


def test_runs_as_a_separate_process():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "fakes.fake_slack", "--port", "0"],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/")
        assert WebClient(token=BOT_TOKEN, base_url=url).auth_test()["ok"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_response_url_replaces_and_deletes_the_original_message(fake_slack, client):
    original = client.chat_postMessage(channel="C5", text="Revenue: 1.2M", blocks=[SECTION])
    url = fake_slack.new_response_url(channel="C5", user="U0ALICE", message_ts=original["ts"])
    hook = WebhookClient(url)
    assert hook.send(text="Revenue: 1.2M (SQL below)", replace_original=True).status_code == 200
    [message] = fake_slack.messages_in("C5")
    assert (message["ts"], message["text"]) == (original["ts"], "Revenue: 1.2M (SQL below)")
    assert hook.send(delete_original=True).status_code == 200
    assert fake_slack.messages_in("C5") == []
    stray = WebhookClient(fake_slack.new_response_url(channel="C5", user="U0ALICE"))
    assert stray.send(text="x", replace_original=True).status_code == 404


def test_concurrent_clients_are_all_served_and_recorded(fake_slack):
    from concurrent.futures import ThreadPoolExecutor

    def post(i: int) -> str:
        client = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)
        return client.chat_postMessage(channel="C6", text=f"m{i}")["ts"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        stamps = list(pool.map(post, range(60)))
    assert len(set(stamps)) == 60  # every message got its own ts
    assert sorted(m["text"] for m in fake_slack.messages_in("C6")) == sorted(f"m{i}" for i in range(60))
    assert len(fake_slack.calls_to("chat.postMessage")) == 60
