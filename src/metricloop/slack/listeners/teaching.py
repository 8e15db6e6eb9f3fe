"""Teaching words from a reply: the "Teach this word" button opens its modal, and the submitted modal is taught as
`/metrics teach` teaches (`run_teaching`, shared with the command): checked against who may teach it, stored once
per submission (its view id is the word's source), audited, and the interpreter relearns before the outcome is
said — to the person who submitted it, in the thread of the reply, as only they see it."""
from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from metricloop.audit import trail_for
from metricloop.errors import log_internal_error
from metricloop.slack import messages as msg
from metricloop.slack import teaching_blocks as tb
from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners.acking import ack_now
from metricloop.slack.payloads import parse_click
from metricloop.slack.teaching import TeachingDesk, reader, teaching_reply


def run_teaching(conversation: Conversation, store: Any, verb: str, arg: str, user: str, *, channel: str | None,
                 source: str | None, lang: str) -> str:
    """Run one teaching verb for `user` (as `/metrics <verb> <arg>` runs it): audit what changed, relearn before
    answering, and return the text to show them."""
    people, service = conversation.audience.people, conversation.service
    desk = TeachingDesk(catalog=service.catalog, store=store,
                        owns=lambda who, metric: people.is_person(who, metric.meta.owner),
                        mention=people.mention,
                        reads_as=reader(service.understander, service.today) if service.understander else None,
                        values=getattr(service.understander, "value_map", None))
    reply = teaching_reply(verb, arg, user, desk, lang, policy=conversation.audience.policy(user), source=source)
    if reply.audit is not None:
        # its own source: the request itself is audited under the delivery's
        trail_for(store).record(user, f"{verb}_word", reply.audit, channel=channel,
                                source=f"{source}:{verb}" if source else None)
    if reply.changed and service.relearn is not None:
        service.relearn()  # before the reply says so: a question asked after it already knows the word
    return reply.text


def register(app: App, conversation: Conversation, store: Any) -> None:
    """The button's listener (opens the modal) and the modal's (teaches what it says)."""

    def open_modal(body: dict) -> None:
        click = parse_click(body)
        phrase, means, lang = tb.read_teach_value(click.value)
        view = tb.teach_modal(phrase, means, channel=click.channel, ts=click.thread_ts or click.message_ts,
                              lang=lang)
        try:
            conversation.client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception as exc:  # noqa: BLE001 - a lazy thread must never die on Slack's behalf
            log_internal_error(exc, "open the teaching modal")

    def check(ack: Ack, view: dict) -> None:
        # (Slack closes the modal on a plain ack: an empty field is answered there, the teaching runs after)
        arg, errors, _ = tb.read_teach_form(view)
        if arg is None:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def teach(body: dict, view: dict) -> None:
        arg, _, meta = tb.read_teach_form(view)
        if arg is None:
            return
        user, lang, channel = body["user"]["id"], meta.get("lang") or "en", meta.get("channel")
        try:
            text = run_teaching(conversation, store, "teach", arg, user, channel=channel,
                                source=f"view:{view.get('id')}", lang=lang)
        except Exception as exc:  # noqa: BLE001 - logged with an id, and the person told
            text = msg.error_generic(lang) + " " + msg.error_id(log_internal_error(exc, "teach from a modal"), lang)
        if channel:
            conversation.client.chat_postEphemeral(channel=channel, user=user, text=text,
                                                   **({"thread_ts": meta["ts"]} if meta.get("ts") else {}))

    app.action(tb.TEACH_OPEN_ACTION)(ack=ack_now, lazy=[open_modal])
    app.view(tb.TEACH_VIEW)(ack=check, lazy=[teach])
