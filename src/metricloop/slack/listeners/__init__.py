"""Bolt listeners. Each acknowledges at once and hands slow work to a lazy function (a worker thread)."""
from __future__ import annotations

from typing import Any

from slack_bolt import App

from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners import actions, commands, events, home, loop, review, teaching
from metricloop.slack.loop_desk import LoopDesk


def register_all(app: App, conversation: Conversation, store: Any) -> None:
    """Attach every listener the app has (the manifest test reads them back from the app)."""
    # first: its message listener takes only replies in notice/digest threads and passes the rest on
    loop.register(app, LoopDesk(store=store, client=conversation.client, catalog=lambda: conversation.service.catalog,
                                today=lambda: conversation.service.today()))
    events.register(app, conversation)
    commands.register(app, conversation, store)
    actions.register(app, conversation)
    teaching.register(app, conversation, store)
    home.register(app, conversation, store)
    review.register(app, conversation)
