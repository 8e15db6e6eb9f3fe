"""Button clicks on our answers: a clarify choice, "Show SQL"."""
from __future__ import annotations

from slack_bolt import App

from metricloop.slack import blocks as bk
from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners.acking import ack_now
from metricloop.slack.payloads import parse_click


def register(app: App, conversation: Conversation) -> None:
    """Block action listeners for the action_ids slack/blocks.py puts on buttons."""

    def choose(body: dict) -> None:
        conversation.answer_choice(parse_click(body))

    def show_sql(body: dict) -> None:
        conversation.show_sql(parse_click(body))

    app.action(bk.CLARIFY_ACTION_RE)(ack=ack_now, lazy=[choose])
    app.action(bk.SHOW_SQL_ACTION)(ack=ack_now, lazy=[show_sql])
