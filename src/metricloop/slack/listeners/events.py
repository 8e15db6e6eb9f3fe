"""Questions arriving as events: @mentions in channels, direct messages, and follow-ups in threads."""
from __future__ import annotations

from slack_bolt import App, BoltContext

from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners.acking import ack_now
from metricloop.slack.payloads import parse_message


def register(app: App, conversation: Conversation) -> None:
    """app_mention and message listeners."""

    def answer_mention(event: dict, context: BoltContext) -> None:
        question = parse_message(event, context.bot_user_id)
        if question is not None:
            conversation.answer_question(question)

    def answer_message(event: dict, context: BoltContext) -> None:
        question = parse_message(event, context.bot_user_id)
        if question is None or (question.mentions_bot and not question.is_dm):
            return  # bots, edits, deletions; a mention in a channel arrives (and is answered) as app_mention
        if question.is_dm:
            conversation.answer_question(question)
        elif question.in_thread and conversation.context(question.channel, question.thread_ts) is not None:
            # A plain reply in a thread the bot answered in is a follow-up ("and by channel?").
            conversation.answer_question(question)

    app.event("app_mention")(ack=ack_now, lazy=[answer_mention])
    app.event("message")(ack=ack_now, lazy=[answer_message])
