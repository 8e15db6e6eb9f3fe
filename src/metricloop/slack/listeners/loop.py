"""The loop's listeners: notice buttons, the two modals' submissions, and replies in notice/digest threads.

Thin, like every listener: ack at once, slow work lazily (slack/loop_desk.py does it). The exception is a
modal submission, which is validated and stored before the ack: Slack closes the modal on a plain ack, so
invalid input must be answered then (``response_action: errors``) and valid input must be safe by then.
Retried clicks are dropped by the app's de-duplication middleware; a resubmitted view writes nothing twice
(its view id is the write's source).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from metricloop.errors import log_internal_error
from metricloop.slack import loop_blocks as lb
from metricloop.slack.listeners.acking import ack_now
from metricloop.slack.loop_desk import LoopDesk
from metricloop.slack.payloads import parse_click, parse_message


def _alert_id(body: dict) -> int:
    try:
        return int(parse_click(body).value)
    except ValueError:
        return 0


def _guarded(work: Callable[[], Any], what: str) -> None:
    try:
        work()
    except Exception as exc:  # noqa: BLE001 - logged with an id; a lazy thread must never die on Slack's behalf
        log_internal_error(exc, what)


def register(app: App, desk: LoopDesk) -> None:
    """Buttons, view submissions and thread replies. Register before the general message listener: Bolt runs
    the first listener that takes a request, and this one only takes replies in loop threads."""

    def acknowledge(body: dict) -> None:
        channel = (body.get("channel") or {}).get("id")  # the clicked notice's channel id (records may say #name)
        _guarded(lambda: desk.acknowledge(_alert_id(body), body["user"]["id"], channel), "acknowledge")

    def open_modal(body: dict) -> None:
        click = parse_click(body)
        action_id = body["actions"][0]["action_id"]
        _guarded(lambda: desk.open_modal(action_id, _alert_id(body), body["trigger_id"], click.channel,
                                         click.message_ts), f"open {action_id}")

    app.action(lb.ACK_ACTION)(ack=ack_now, lazy=[acknowledge])
    app.action(lb.OPEN_ACTION_ACTION)(ack=ack_now, lazy=[open_modal])
    app.action(lb.EXPECTED_ACTION)(ack=ack_now, lazy=[open_modal])

    def submitted(submit: Callable[[dict, str], Any]) -> Callable[..., None]:
        def ack_submission(ack: Ack, body: dict, view: dict) -> None:
            outcome = submit(view, body["user"]["id"])
            if outcome.errors:
                ack(response_action="errors", errors=outcome.errors)
            else:
                ack()
        return ack_submission

    def announce(announce_fn: Callable[[dict, str], None]) -> Callable[..., None]:
        def lazy(body: dict, view: dict) -> None:
            _guarded(lambda: announce_fn(view, body["user"]["id"]), f"announce {view.get('callback_id')}")
        return lazy

    app.view(lb.ACTION_VIEW)(ack=submitted(desk.submit_action), lazy=[announce(desk.announce_action)])
    app.view(lb.EXPECTED_VIEW)(ack=submitted(desk.submit_expected), lazy=[announce(desk.announce_expected)])

    def only_loop_replies(event: dict, context: BoltContext, next: Callable[[], None]) -> None:  # noqa: A002
        question = parse_message(event, context.bot_user_id)
        if question is not None and not question.mentions_bot and desk.is_loop_reply(question):
            next()
        # else: not ours; Bolt moves on to the next message listener

    def take_reply(event: dict, context: BoltContext) -> None:
        question = parse_message(event, context.bot_user_id)
        if question is not None:
            _guarded(lambda: desk.take_reply(question), "thread reply")

    app.event("message", middleware=[only_loop_replies])(ack=ack_now, lazy=[take_reply])
