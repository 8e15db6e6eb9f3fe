"""Bolt listeners. Each acknowledges at once and hands slow work to a lazy function (a worker thread)."""
from __future__ import annotations

from typing import Any

from slack_bolt import App

from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners import actions, commands, events, home


def register_all(app: App, conversation: Conversation, store: Any) -> None:
    """Attach every listener the app has (the manifest test reads them back from the app)."""
    events.register(app, conversation)
    commands.register(app, conversation, store)
    actions.register(app, conversation)
    home.register(app, conversation, store)
