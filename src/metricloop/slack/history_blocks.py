"""`/metrics history METRIC`: a metric's alerts, acknowledgements, actions, reviews, adjustments and comments,
one line each, oldest first (the newest ones when there are too many for one message). Pure."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from metricloop.core.loop.history import Entry, kind_label
from metricloop.core.present.texts import say
from metricloop.slack.limits import SECTION_MAX
from metricloop.slack.loop_blocks import esc, slack_time

MAX_LINES = 40


def history_line(entry: Entry, lang: str = "en") -> str:
    """ "<date> · *Comment* · <@U0BOB>: East warehouse was closed"."""
    who = f" · <@{entry.user}>" if entry.user and entry.user[:1] in "UW" else (f" · {esc(entry.user)}"
                                                                               if entry.user else "")
    when = slack_time(entry.at) if entry.at else "—"
    what = f": {esc(entry.text)}" if entry.text else ""
    return f"{when} · *{kind_label(entry.kind, lang)}*{who}{what}"


def history_reply(entries: Sequence[Entry], label: str, metric: str, lang: str = "en") -> dict[str, Any]:
    """The ephemeral reply: {"text", "blocks"}; an empty history says so."""
    title = say("history_title", lang, metric=label)
    if not entries:
        return {"text": say("history_empty", lang, metric=label)}
    shown = list(entries)[-MAX_LINES:]
    lines, size = [], 0
    for entry in reversed(shown):  # keep the newest when the section would overflow
        line = history_line(entry, lang)
        if size + len(line) + 1 > SECTION_MAX:
            break
        lines.insert(0, line)
        size += len(line) + 1
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
              {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]
    if len(lines) < len(entries):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": say(
            "history_shown", lang, shown=len(lines), total=len(entries), metric=metric)}]})
    return {"text": title, "blocks": blocks}
