"""The App Home tab, published whenever a user opens it."""
from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from metricloop.slack.conversation import Conversation
from metricloop.slack.home_view import collect_home, home_view
from metricloop.slack.listeners.acking import ack_now


def publish_home(client: WebClient, conversation: Conversation, store: Any, user: str) -> None:
    """Compute and publish one user's Home tab."""
    view = home_view(collect_home(conversation.service, store, user, policy=conversation.audience.policy(user)))
    client.views_publish(user_id=user, view=view)


def register(app: App, conversation: Conversation, store: Any) -> None:
    """app_home_opened → views.publish (only for the Home tab, not the Messages tab)."""

    def on_open(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            conversation.guarded_call(lambda: publish_home(client, conversation, store, event["user"]))

    app.event("app_home_opened")(ack=ack_now, lazy=[on_open])
