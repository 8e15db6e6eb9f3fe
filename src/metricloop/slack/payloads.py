"""Pure parsing of Slack payloads: which question was asked, where to answer, what was clicked.

No I/O here: listeners hand these functions the dicts Bolt gives them and act on the result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# Message subtypes that are a person typing a question; everything else (joins, edits, bot posts) is not.
_QUESTION_SUBTYPES = (None, "", "thread_broadcast", "file_share")
COMMAND_VERBS = ("help", "list", "define", "follow", "unfollow", "tree", "history", "teach", "forget", "words", "gaps")


@dataclass(frozen=True)
class Question:
    """A question someone asked, and where its answer belongs."""

    text: str
    user: str
    channel: str
    ts: str  # the message asked in
    thread_ts: str  # the thread to answer in (the question's own ts when it starts a thread)
    is_dm: bool = False
    in_thread: bool = False  # asked as a reply inside an existing thread (a follow-up)
    mentions_bot: bool = False


def strip_mentions(text: str, bot_user_id: str | None = None) -> str:
    """The text without the bot's mention (other users' mentions become plain @ids)."""
    def replace(match: re.Match[str]) -> str:
        return "" if bot_user_id is None or match.group(1) == bot_user_id else f"@{match.group(1)}"

    return re.sub(r"\s+", " ", _MENTION.sub(replace, text or "")).strip()


def is_from_bot(event: dict[str, Any]) -> bool:
    """True for any bot's message, ours included (Slack marks them with bot_id or subtype bot_message)."""
    return bool(event.get("bot_id") or event.get("bot_profile")) or event.get("subtype") == "bot_message"


def parse_message(event: dict[str, Any], bot_user_id: str | None = None) -> Question | None:
    """A Question from an app_mention or message event, or None when the event is not one to answer.

    Ignored: bots (ours and others), edits and deletions (an edited question was already answered;
    answering again would duplicate the thread), joins and other system subtypes, empty text.
    """
    if is_from_bot(event) or event.get("subtype") not in _QUESTION_SUBTYPES:
        return None
    user = event.get("user")
    if not user or user == bot_user_id:
        return None
    raw = event.get("text") or ""
    text = strip_mentions(raw, bot_user_id)
    if not text:
        return None
    channel = event.get("channel") or ""
    thread_ts = event.get("thread_ts")
    return Question(
        text=text, user=user, channel=channel, ts=event["ts"], thread_ts=thread_ts or event["ts"],
        is_dm=event.get("channel_type") == "im" or channel.startswith("D"),
        in_thread=bool(thread_ts and thread_ts != event["ts"]),
        mentions_bot=bool(bot_user_id and f"<@{bot_user_id}" in raw),
    )


def parse_command(text: str) -> tuple[str, str]:
    """`/metrics` text → (verb, argument); a question is ("ask", question), empty text is help."""
    text = (text or "").strip()
    if not text:
        return "help", ""
    head, _, rest = text.partition(" ")
    verb = head.lower()
    if verb in COMMAND_VERBS:
        return verb, rest.strip()
    return "ask", text


def dedupe_key(body: dict[str, Any]) -> str | None:
    """A stable id for an incoming request, so a retried delivery is recognised (None: nothing to dedupe).

    Events carry `event_id` (the same on every retry, over HTTP and Socket Mode alike); clicks carry
    `action_ts` per click; slash commands a unique `trigger_id`.
    """
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("type") == "block_actions" and body.get("actions"):
        action = body["actions"][0]
        user = (body.get("user") or {}).get("id", "")
        return f"action:{user}:{action.get('action_id')}:{action.get('action_ts') or body.get('trigger_id')}"
    if body.get("command") and body.get("trigger_id"):
        return f"command:{body['trigger_id']}"
    return None


@dataclass(frozen=True)
class Click:
    """A button press on one of our messages."""

    user: str
    channel: str
    message_ts: str
    thread_ts: str
    value: str
    response_url: str | None = None


def parse_click(body: dict[str, Any]) -> Click:
    """Who clicked which of our buttons, on which message, in which thread."""
    action = (body.get("actions") or [{}])[0]
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    message_ts = container.get("message_ts") or message.get("ts", "")
    thread_ts = container.get("thread_ts") or message.get("thread_ts") or message_ts
    return Click(user=(body.get("user") or {}).get("id", ""), channel=channel, message_ts=message_ts,
                 thread_ts=thread_ts, value=action.get("value") or "", response_url=body.get("response_url"))
