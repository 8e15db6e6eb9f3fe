"""manifest.yml matches what the app listens for: every manifest event, command and interactivity
reaches a registered listener, every listener is reachable from the manifest, and the bot scopes are
exactly those the events and the Web API methods we call need."""
from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML
from slack_bolt import BoltRequest, BoltResponse

from fakes import slack_requests as rq
from metricloop.slack import blocks as bk
from metricloop.slack import loop_blocks as lb
from metricloop.slack import review_blocks as rb
from metricloop.slack import teaching_blocks as tb

ROOT = Path(__file__).parents[2]
MANIFEST = YAML(typ="safe").load((ROOT / "manifest.yml").read_text())
# Slack's documented scope for each subscribed event and each Web API method the app calls.
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.channels": "channels:history",
                "message.groups": "groups:history", "message.im": "im:history", "app_home_opened": None}
METHOD_SCOPES = {"chat_postMessage": "chat:write", "reactions_add": "reactions:write",
                 "reactions_remove": "reactions:write", "files_upload_v2": "files:write", "views_publish": None,
                 "chat_update": "chat:write", "views_open": None, "users_lookupByEmail": "users:read.email",
                 "users_info": "users:read", "chat_postEphemeral": "chat:write",
                 # access policies: a channel's members and Slack user groups (slack/audience.py)
                 "conversations_members": "channels:read", "conversations_list": "channels:read",
                 "conversations_info": "channels:read", "usergroups_users_list": "usergroups:read",
                 "usergroups_list": "usergroups:read",  # a user group named by its handle
                 "conversations_replies": "channels:history",  # a restart looks for an answer already posted
                 "conversations_history": "channels:history",  # a retried notice looks for its own post
                 "conversations_open": "im:write"}  # private notices and definition changes go by DM
# methods that need a second scope: private channels named "#name" in loop.yml are listed too (slack/channel_ids)
ALSO_SCOPES = {"conversations_list": "groups:read"}


def sample_request(kind: str, name: str) -> BoltRequest:
    """An unsigned request of one kind (the listeners' matchers do not look at signatures)."""
    if kind == "event":
        event_type, _, channel_type = name.partition(".")
        channel = {"im": "D0ALICE", "groups": "G0PRIV"}.get(channel_type, "C0METRICS")
        if event_type == "message":
            event = rq.message("hi", channel=channel, channel_type={"channels": "channel", "groups": "group"}.get(
                channel_type, channel_type))
        else:
            event = {"type": event_type, "user": "U0ALICE", "text": "hi", "ts": rq.new_ts(), "channel": channel}
        body, headers = rq.signed_event(event, "x")
    elif kind == "command":
        body, headers = rq.signed_form(rq.slash_command("help", response_url="http://x", command=name), "x")
    elif kind == "view":
        body, headers = rq.signed_interaction(rq.view_submission(name, {}), "x")
    else:
        body, headers = rq.signed_interaction(rq.block_actions(name, "v"), "x")
    return rq.bolt_request(body, headers)


def manifest_requests() -> list[BoltRequest]:
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    commands = [c["command"] for c in MANIFEST["features"]["slash_commands"]]
    interactive = MANIFEST["settings"]["interactivity"]["is_enabled"]
    actions = [bk.SHOW_SQL_ACTION, f"{bk.CLARIFY_ACTION}:0", *lb.NOTICE_BUTTONS, rb.CLOSE_ACTION,
               rb.EXTEND_ACTION, tb.TEACH_OPEN_ACTION] if interactive else []
    views = [lb.ACTION_VIEW, lb.EXPECTED_VIEW, tb.TEACH_VIEW] if interactive else []
    return ([sample_request("event", e) for e in events] + [sample_request("command", c) for c in commands]
            + [sample_request("action", a) for a in actions] + [sample_request("view", v) for v in views])


def matching(app, req: BoltRequest) -> list:
    return [listener for listener in app._listeners if listener.matches(req=req, resp=BoltResponse(status=200))]


def test_every_manifest_subscription_reaches_a_listener(slack_app):
    for req in manifest_requests():
        assert matching(slack_app, req), f"nothing listens for {req.body.get('event') or req.body}"


def test_every_listener_is_reachable_from_the_manifest(slack_app):
    reached = {id(listener) for req in manifest_requests() for listener in matching(slack_app, req)}
    assert reached == {id(listener) for listener in slack_app._listeners}


def test_bot_scopes_are_exactly_what_is_needed():
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) <= set(EVENT_SCOPES), "an event without a known scope: add it to EVENT_SCOPES"
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "metricloop" / "slack").rglob("*.py"))
    called = set(re.findall(r"client\.(\w+)\(", source)) | set(re.findall(r"client\.(reactions_\w+)\b", source))
    assert called <= set(METHOD_SCOPES), f"unknown Web API methods called: {called - set(METHOD_SCOPES)}"
    needed = {EVENT_SCOPES[e] for e in events} | {METHOD_SCOPES[m] for m in called} | {"commands"}
    needed |= {ALSO_SCOPES[m] for m in called if m in ALSO_SCOPES}
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed - {None}


def test_manifest_urls_and_home_tab():
    urls = {MANIFEST["settings"]["event_subscriptions"]["request_url"],
            MANIFEST["settings"]["interactivity"]["request_url"],
            *(c["url"] for c in MANIFEST["features"]["slash_commands"])}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    app_home = MANIFEST["features"]["app_home"]
    assert app_home["home_tab_enabled"] and app_home["messages_tab_enabled"]
