"""Build requests exactly as Slack sends them, correctly signed.

Events are JSON ``event_callback`` envelopes; slash commands are form-encoded fields;
interactivity is form-encoded with one ``payload=<json>`` field. Each ``signed_*``
function returns ``(body, headers)``; ``bolt_request`` wraps them for ``App.dispatch``.
The payload builders (``app_mention``, ``slash_command``, ``block_actions`` ...) return
plain dicts, which is also what a Socket Mode envelope carries as its payload.
"""
from __future__ import annotations

import itertools
import json
import secrets
import string
import time
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from fakes import workspace as ws

_seq = itertools.count(1)
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated by Slack but still sent in payloads


def new_ts() -> str:
    """A unique Slack-style message timestamp ("1718000000.000123")."""
    return f"{int(time.time())}.{next(_seq) % 1_000_000:06d}"


def _new_id(prefix: str, n: int = 10) -> str:
    return prefix + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(n))


# -- signing --------------------------------------------------------------------------------------
def sign(body: str, signing_secret: str, *, timestamp: int | None = None, content_type: str,
         retry_num: int | None = None, retry_reason: str | None = None) -> dict[str, str]:
    """Headers Slack sends with ``body``: v0 HMAC-SHA256 signature, timestamp and retry markers."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body),
    }
    if retry_num is not None:
        headers["x-slack-retry-num"] = str(retry_num)
        headers["x-slack-retry-reason"] = retry_reason or "http_timeout"
    return headers


def signed_event(event: dict[str, Any], signing_secret: str, *, event_id: str | None = None,
                 **sign_options: Any) -> tuple[str, dict[str, str]]:
    """An Events API request: the event wrapped in an event_callback envelope, as JSON."""
    body = json.dumps(event_callback(event, event_id=event_id))
    return body, sign(body, signing_secret, content_type="application/json", **sign_options)


def signed_form(fields: dict[str, Any], signing_secret: str, **sign_options: Any) -> tuple[str, dict[str, str]]:
    """A form-encoded request (slash commands)."""
    body = urlencode(fields)
    return body, sign(body, signing_secret, content_type="application/x-www-form-urlencoded", **sign_options)


def signed_interaction(payload: dict[str, Any], signing_secret: str, **sign_options: Any) -> tuple[str, dict[str, str]]:
    """An interactivity request: form-encoded with a single JSON ``payload`` field."""
    return signed_form({"payload": json.dumps(payload)}, signing_secret, **sign_options)


def bolt_request(body: str, headers: dict[str, str]) -> BoltRequest:
    """Wrap a signed request for ``App.dispatch``."""
    return BoltRequest(body=body, headers=dict(headers), query={}, mode="http")


# -- events ---------------------------------------------------------------------------------------
def event_callback(event: dict[str, Any], *, event_id: str | None = None,
                   event_time: int | None = None) -> dict[str, Any]:
    """The envelope Slack wraps every Events API event in (also a Socket Mode events_api payload)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": ws.TEAM_ID,
        "api_app_id": ws.APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or _new_id("Ev"),
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [{"enterprise_id": None, "team_id": ws.TEAM_ID, "user_id": ws.BOT_USER_ID,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": _new_id("4-", 24),
    }


def app_mention(question: str, *, user: str = ws.DEFAULT_USER, channel: str = ws.DEFAULT_CHANNEL,
                ts: str | None = None, thread_ts: str | None = None) -> dict[str, Any]:
    """An ``app_mention`` event whose text starts with the bot's mention."""
    ts = ts or new_ts()
    event = {"type": "app_mention", "user": user, "text": f"<@{ws.BOT_USER_ID}> {question}", "ts": ts,
             "channel": channel, "event_ts": ts, "team": ws.TEAM_ID, "client_msg_id": _new_id("", 16)}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(text: str, *, user: str | None = ws.DEFAULT_USER, channel: str = ws.DEFAULT_CHANNEL,
            channel_type: str | None = None, ts: str | None = None, thread_ts: str | None = None,
            bot_id: str | None = None, subtype: str | None = None, **extra: Any) -> dict[str, Any]:
    """A ``message`` event: in a channel, a DM (channel "D..." → channel_type "im"), a thread, or from a bot."""
    ts = ts or new_ts()
    event: dict[str, Any] = {"type": "message", "text": text, "ts": ts, "channel": channel, "event_ts": ts,
                             "channel_type": channel_type or ("im" if channel.startswith("D") else "channel"),
                             "team": ws.TEAM_ID}
    for key, value in (("user", user), ("thread_ts", thread_ts), ("bot_id", bot_id), ("subtype", subtype)):
        if value is not None:
            event[key] = value
    return {**event, **extra}


def message_changed(channel: str, ts: str, new_text: str, *, old_text: str = "",
                    user: str = ws.DEFAULT_USER) -> dict[str, Any]:
    """A ``message_changed`` event: an edited message, carrying old and new versions."""
    return message("", user=None, channel=channel, subtype="message_changed", hidden=True,
                   message={"type": "message", "user": user, "text": new_text, "ts": ts,
                            "edited": {"user": user, "ts": new_ts()}},
                   previous_message={"type": "message", "user": user, "text": old_text, "ts": ts})


def message_deleted(channel: str, ts: str, *, old_text: str = "", user: str = ws.DEFAULT_USER) -> dict[str, Any]:
    """A ``message_deleted`` event."""
    return message("", user=None, channel=channel, subtype="message_deleted", hidden=True, deleted_ts=ts,
                   previous_message={"type": "message", "user": user, "text": old_text, "ts": ts})


# -- slash commands and interactivity ---------------------------------------------------------------
def slash_command(text: str, *, response_url: str, command: str = "/metrics", user: str = ws.DEFAULT_USER,
                  channel: str = ws.DEFAULT_CHANNEL) -> dict[str, str]:
    """The form fields of a slash command invocation."""
    return {"token": VERIFICATION_TOKEN, "team_id": ws.TEAM_ID, "team_domain": ws.TEAM_DOMAIN,
            "channel_id": channel, "channel_name": channel.lower(), "user_id": user, "user_name": user.lower(),
            "command": command, "text": text, "api_app_id": ws.APP_ID, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": _trigger_id()}


def _trigger_id() -> str:
    return f"{next(_seq)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": ws.TEAM_ID}


def block_actions(action_id: str, value: str = "", *, user: str = ws.DEFAULT_USER,
                  channel: str = ws.DEFAULT_CHANNEL, message_ts: str | None = None, thread_ts: str | None = None,
                  block_id: str = "actions", text: str = "button", response_url: str | None = None,
                  message_blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A ``block_actions`` payload: a button click on a bot message (optionally inside a thread)."""
    message_ts = message_ts or new_ts()
    bot_message: dict[str, Any] = {"type": "message", "ts": message_ts, "user": ws.BOT_USER_ID, "bot_id": ws.BOT_ID,
                                   "text": "", "blocks": message_blocks or []}
    container: dict[str, Any] = {"type": "message", "message_ts": message_ts, "channel_id": channel,
                                 "is_ephemeral": False}
    if thread_ts:
        bot_message["thread_ts"] = container["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions", "user": _user(user), "api_app_id": ws.APP_ID, "token": VERIFICATION_TOKEN,
        "container": container, "trigger_id": _trigger_id(), "team": {"id": ws.TEAM_ID, "domain": ws.TEAM_DOMAIN},
        "enterprise": None, "is_enterprise_install": False, "channel": {"id": channel, "name": channel.lower()},
        "message": bot_message, "state": {"values": {}},
        "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                     "text": {"type": "plain_text", "text": text, "emoji": True}, "action_ts": new_ts()}],
    }
    if response_url:
        payload["response_url"] = response_url
    return payload


def view_submission(callback_id: str, values: dict[str, Any], *, user: str = ws.DEFAULT_USER,
                    private_metadata: str = "", view_id: str | None = None) -> dict[str, Any]:
    """A ``view_submission`` payload; ``values`` is ``{block_id: {action_id: {"type":..., "value":...}}}``."""
    view_id = view_id or _new_id("V")
    return {
        "type": "view_submission", "team": {"id": ws.TEAM_ID, "domain": ws.TEAM_DOMAIN}, "user": _user(user),
        "api_app_id": ws.APP_ID, "token": VERIFICATION_TOKEN, "trigger_id": _trigger_id(),
        "view": {"id": view_id, "team_id": ws.TEAM_ID, "type": "modal", "callback_id": callback_id,
                 "private_metadata": private_metadata, "state": {"values": values}, "hash": new_ts(),
                 "title": {"type": "plain_text", "text": "metricloop"}, "blocks": [], "root_view_id": view_id,
                 "app_id": ws.APP_ID, "bot_id": ws.BOT_ID},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }
