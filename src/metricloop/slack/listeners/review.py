"""The buttons under an action review: Close action, Extend 7 days. Ack at once; the store and the message
update in the lazy half. The verdict message is rewritten in place: its buttons give way to who did what."""
from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import App

from metricloop.core.loop.routing import channel_language
from metricloop.core.present.texts import say
from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners.acking import ack_now
from metricloop.slack.payloads import parse_click
from metricloop.slack.review_blocks import CLOSE_ACTION, EXTEND_ACTION, EXTEND_DAYS, with_status


def register(app: App, conversation: Conversation) -> None:
    """Listeners for the review buttons (slack/review_blocks.py puts them on verdicts)."""
    store = conversation.store

    def language(click: Any) -> str:
        """The notice thread's saved language: a click names the channel by id, loop.yml may by #name."""
        state = (store.load_thread(click.channel, click.thread_ts) or {}) if click.thread_ts else {}
        return state.get("language") or channel_language(conversation.service.catalog.loop, click.channel)

    def update(body: dict, status: str) -> None:
        click = parse_click(body)
        blocks = with_status((body.get("message") or {}).get("blocks") or [], status)
        conversation.client.chat_update(channel=click.channel, ts=click.message_ts, blocks=blocks, text=status)

    def close(body: dict) -> None:
        click = parse_click(body)
        lang = language(click)

        def work() -> None:
            store.update_action(int(click.value), status="done")
            update(body, say("review_closed_by", lang, user=f"<@{click.user}>"))

        conversation.guarded_call(work)

    def extend(body: dict) -> None:
        click = parse_click(body)
        lang = language(click)
        due = conversation.service.today() + dt.timedelta(days=EXTEND_DAYS)

        def work() -> None:
            store.extend_action(int(click.value), due)  # and clears the verdict: reviewed again on the new date
            update(body, say("review_extended_by", lang, due=due.isoformat(), user=f"<@{click.user}>"))

        conversation.guarded_call(work)

    app.action(CLOSE_ACTION)(ack=ack_now, lazy=[close])
    app.action(EXTEND_ACTION)(ack=ack_now, lazy=[extend])
