"""`/metrics`: a question, or help | list | define <metric> | follow <metric> | unfollow <metric> | tree <metric> |
history <metric> | teach <words> = <metric> | forget <words> | words [metric] (slack/teaching.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from metricloop.core.catalog.access import Policy
from metricloop.core.loop.tree import metric_tree, tree_lines
from metricloop.core.present.texts import say
from metricloop.loop.history import metric_history
from metricloop.slack import messages as msg
from metricloop.slack.catalog_blocks import define_blocks, list_blocks
from metricloop.slack.conversation import Conversation
from metricloop.slack.history_blocks import history_reply
from metricloop.slack.listeners.teaching import run_teaching
from metricloop.slack.payloads import parse_command
from metricloop.slack.teaching import TEACHING_VERBS, find_metric

COMMAND = "/metrics"


def command_reply(verb: str, arg: str, user: str, catalog: Any, store: Any, lang: str = "en",
                  policy: Policy | None = None) -> dict[str, Any]:
    """The ephemeral reply to every verb but a question: {"text": ..., "blocks": [...]?}.

    `policy` is the user's access (None: the operator): hidden metrics are left out of `list`, and `define`,
    `history`, `tree`, `follow` on one say it is restricted — no definition, alert value or SQL of it."""
    full = catalog
    if policy is not None and policy.visible is not None:
        catalog = catalog.with_metrics(tuple(m for m in catalog.metrics if policy.can_see(m.name)))
    if verb == "help":
        return {"text": msg.help_text(lang)}
    if verb == "list":
        return {"text": msg.list_title(lang), "blocks": list_blocks(catalog, lang)}
    if not arg:
        return {"text": msg.usage(verb, lang)}
    metric, hint = find_metric(catalog, arg)
    if metric is None and find_metric(full, arg)[0] is not None:
        return {"text": say("access_denied", lang, metrics=find_metric(full, arg)[0].name)}
    if metric is None:
        return {"text": msg.unknown_metric(arg, hint, lang)}
    if verb == "define":
        return {"text": metric.display_name, "blocks": define_blocks(metric, catalog, lang)}
    if verb == "history":  # alerts, acknowledgements, actions, reviews, adjustments and comments, in time order
        return history_reply(metric_history(store, catalog, metric.name, lang), metric.display_name, metric.name, lang)
    if verb == "tree":  # the metric's layers: drivers below it, what it drives above
        lines = "\n".join(tree_lines(catalog, metric_tree(catalog, metric.name), lang))
        return {"text": lines, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"```{lines}```"}}]}
    follow = verb == "follow"
    changed = store.follow(user, metric.name) if follow else store.unfollow(user, metric.name)
    return {"text": msg.follow_result(metric.name, follow=follow, changed=changed, lang=lang)}


def register(app: App, conversation: Conversation, store: Any) -> None:
    """The slash command: ack at once (questions get a 'working on it'), reply lazily via response_url."""

    def ack_command(ack: Ack, command: dict) -> None:
        verb, _ = parse_command(command.get("text", ""))
        if verb == "ask":
            ack(text=msg.thinking(conversation.language_of(command.get("text"))))
        else:
            ack()

    def run_command(command: dict, respond: Callable[..., Any]) -> None:
        verb, arg = parse_command(command.get("text", ""))
        user, channel = command["user_id"], command["channel_id"]
        if verb == "ask":
            conversation.answer_command(arg, user=user, channel=channel, respond=respond)
            return
        lang = conversation.language_of(arg)
        if verb in TEACHING_VERBS:
            def reply() -> None:
                _teach(verb, arg, command, respond, lang)
        else:
            def reply() -> None:
                respond(response_type="ephemeral",
                        **command_reply(verb, arg, user, conversation.service.catalog, store, lang,
                                        policy=conversation.audience.policy(user)))
        conversation.guarded_call(
            reply,
            on_error=lambda error_id: respond(response_type="ephemeral", text=msg.error_generic(lang)
                                              + " " + msg.error_id(error_id, lang)),
        )

    def _teach(verb: str, arg: str, command: dict, respond: Callable[..., Any], lang: str) -> None:
        source = f"command:{command['trigger_id']}" if command.get("trigger_id") else None
        text = run_teaching(conversation, store, verb, arg, command["user_id"], channel=command.get("channel_id"),
                            source=source, lang=lang)
        respond(response_type="ephemeral", text=text)

    app.command(COMMAND)(ack=ack_command, lazy=[run_command])
