"""A changelog announcement in Slack: "The definition of Revenue changed", each changed field old → new.

Queued by loop/changelog.py in the notices outbox, one notice per recipient (payload ``target``: a user id
for a follower's DM, or a channel); the Slack notifier posts it here. A user's DM is opened with
conversations.open so the message can be found again (conversations.history) after an interrupted post.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from metricloop.core.loop.routing import channel_language
from metricloop.core.present.texts import say
from metricloop.slack.limits import SECTION_MAX
from metricloop.slack.loop_blocks import esc

MAX_FIELDS = 12
MAX_VALUE = 200


def _value(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


# a word taught or forgotten (slack/teaching.py): no definition version, the phrase and who said it instead
WORD_KINDS = ("taught", "forgotten")


def changelog_lines(changes: list[dict[str, Any]], lang: str = "en") -> list[str]:
    """One mrkdwn line per changed field: "`metric.filter`: `old` → `new`" (at most MAX_FIELDS, then a count)."""
    lines = [say("changelog_field", lang, field=esc(c.get("field")), old=esc(_value(c.get("old"))),
                 new=esc(_value(c.get("new")))) for c in changes[:MAX_FIELDS]]
    if len(changes) > MAX_FIELDS:
        lines.append(say("changelog_more", lang, count=len(changes) - MAX_FIELDS))
    return lines


def changelog_text(payload: dict[str, Any], lang: str = "en") -> str:
    """The notification text: which metric, what happened to its definition."""
    return say(f"changelog_{payload.get('kind', 'changed')}", lang, metric=esc(payload.get("label") or
                                                                               payload.get("metric")),
               phrase=esc(payload.get("phrase") or ""), by=payload.get("by") or "—")


def changelog_blocks(payload: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """Header line, the field diff, and a context line naming the commit and the versions."""
    body = "\n".join([f"*{changelog_text(payload, lang)}*", *changelog_lines(payload.get("changes") or [], lang)])
    context = [] if payload.get("kind") in WORD_KINDS else [
        say("changelog_versions", lang, old=payload.get("previous") or "—", new=payload.get("hash") or "—")]
    if payload.get("commit"):
        context.append(say("changelog_commit", lang, commit=str(payload["commit"])[:12]))
    section = {"type": "section", "text": {"type": "mrkdwn", "text": body[:SECTION_MAX]}}
    return [section, {"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(context)}]}] if context \
        else [section]


def changelog_channel(client: Any, target: str, resolve: Callable[[str], str] | None = None) -> str:
    """Where a recipient reads it: a user's DM channel (opened), or the channel's id (`resolve`: a configured
    ``#name`` to its id, slack/channel_ids; None leaves the channel as given)."""
    if target[:1] in ("U", "W"):
        return client.conversations_open(users=target)["channel"]["id"]
    return resolve(target) if resolve is not None else target


def post_changelog(client: Any, notice: Any, loop: dict[str, Any] | None,
                   metadata: dict[str, Any] | None = None,
                   resolve: Callable[[str], str] | None = None) -> tuple[str, str]:
    """Post one changelog notice to its recipient; returns (channel id, ts)."""
    payload = notice.payload
    channel = changelog_channel(client, payload["target"], resolve)
    lang = channel_language(loop, payload["target"])
    posted = client.chat_postMessage(channel=channel, text=changelog_text(payload, lang),
                                     blocks=changelog_blocks(payload, lang), metadata=metadata)
    return posted["channel"], posted["ts"]
