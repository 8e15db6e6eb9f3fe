"""Every button click, modal submission and slash command (but a question) into the audit trail.

A global Bolt middleware, registered after the inbox's (slack/durable.py), so a retried delivery the inbox
drops is not audited twice; the delivery's key is the entry's `source` besides. It only queues a record
(audit.AuditTrail): nothing here can delay the 3-second acknowledgement or fail a listener. Questions are
audited with their answers by slack/conversation.py, and replies in notice threads (adjustments, comments) by
slack/loop_desk.py, where what they became is known.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from metricloop.audit import AuditTrail, trail_for
from metricloop.core.answer import Answer
from metricloop.slack import deliveries
from metricloop.slack.payloads import dedupe_key, parse_command

log = logging.getLogger(__name__)
MAX_VALUE = 500


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return value if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def view_values(view: dict[str, Any]) -> dict[str, Any]:
    """A submitted view's inputs as {action_id: value} (plain text, selected option, date or users)."""
    values: dict[str, Any] = {}
    for block in ((view.get("state") or {}).get("values") or {}).values():
        for action_id, field in (block or {}).items():
            field = field or {}
            picked = field.get("selected_option") or {}
            value = next((field[k] for k in ("value", "selected_date", "selected_user", "selected_users",
                                             "selected_conversation") if field.get(k) is not None),
                         picked.get("value"))
            values[action_id] = _short(value)
    return values


def audit_record(body: dict[str, Any]) -> tuple[str, str, dict[str, Any], str | None, str | None] | None:
    """(user, kind, detail, channel, source) for a click, a submission or a command; None for anything else."""
    kind = body.get("type")
    user = (body.get("user") or {}).get("id") or body.get("user_id") or ""
    if kind == "block_actions" and body.get("actions"):
        action = body["actions"][0]
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        detail = {"action_id": action.get("action_id"), "value": _short(action.get("value") or ""),
                  "message_ts": container.get("message_ts"), "thread_ts": container.get("thread_ts")}
        return user, "click", detail, channel, dedupe_key(body)
    if kind == "view_submission" and body.get("view"):
        view = body["view"]
        values = view_values(view)
        digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:12]
        detail = {"callback_id": view.get("callback_id"), "view_id": view.get("id"), "values": values}
        return user, "submission", detail, None, f"view:{view.get('id')}:{digest}"
    if body.get("command"):
        verb, arg = parse_command(body.get("text") or "")
        if verb == "ask":  # audited with its answer (slack/conversation.py)
            return None
        detail = {"command": body["command"], "verb": verb, "text": _short(body.get("text") or "")}
        return user, "command", detail, body.get("channel_id"), dedupe_key(body)
    return None


def audit_middleware(trail: AuditTrail) -> Any:
    """The Bolt middleware: queue the request's audit record, then carry on (whatever happened)."""
    def audit(body: dict, next: Any) -> None:  # noqa: A002 - Bolt's name
        try:
            found = audit_record(body)
            if found is not None:
                user, kind, detail, channel, source = found
                trail.record(user, kind, detail, channel=channel, source=source)
        except Exception:  # noqa: BLE001 - a strange payload is the listener's business, not the audit's
            log.warning("could not audit a %s request", body.get("type"), exc_info=True)
        next()

    return audit


def audit_question(store: Any, *, user: str, channel: str | None, text: str | None, answer: Any, started: float,
                   via: str = "question") -> None:
    """Queue a question answered in Slack (as typed, with how it was read, its SQL, row count, latency from
    `started` (perf_counter) to the answer posted, and status) under the current delivery; never raises.
    `answer` None: it failed before there was one (status error)."""
    try:
        answer = answer if answer is not None else Answer(status="error", message="no answer (internal error)")
        delivery = deliveries.current()
        trail_for(store).question(user=user, channel=channel, text=text or "", answer=answer, via=via,
                                  latency_ms=(time.perf_counter() - started) * 1000,
                                  source=f"{delivery.key}:{via}" if delivery is not None else None)
    except Exception:  # noqa: BLE001 - the answer goes out whatever happens to its audit entry
        log.warning("could not audit a question", exc_info=True)
