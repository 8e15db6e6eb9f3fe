"""Block Kit for the loop: anomaly notices and their states, the two modals, thread confirmations, the
freshness notice. Pure: plain values in, Slack JSON out; every word comes from core/present/texts.

A notice's buttons carry the alert id as their value; a modal carries {alert, channel, ts, lang} in its
private_metadata, so every click and submission finds its alert and its notice without server state.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.catalog.model import NumberFormat
from metricloop.core.present.formatting import format_change, format_value
from metricloop.core.present.texts import say
from metricloop.slack.limits import HEADER_MAX, SECTION_MAX

ACK_ACTION = "ml_alert_ack"
OPEN_ACTION_ACTION = "ml_alert_action"
EXPECTED_ACTION = "ml_alert_expected"
NOTICE_BUTTONS = (ACK_ACTION, OPEN_ACTION_ACTION, EXPECTED_ACTION)
ACTION_VIEW = "ml_action_modal"
EXPECTED_VIEW = "ml_expected_modal"
# block_id / action_id of the modal inputs (a view_submission's state is keyed by them)
OWNER_INPUT, DUE_INPUT, PLAN_INPUT, EFFECT_INPUT, REASON_INPUT = "owner", "due", "plan", "effect", "reason"
MAX_INPUT = 3000  # plain_text_input's max_length


@dataclass(frozen=True)
class NoticeFacts:
    """What a notice says about one alert, already resolved to words people read (labels, mentions)."""

    alert_id: int
    metric: str
    label: str
    day: str
    value: float | None
    expected: float | None
    lower: float | None
    upper: float | None
    direction: str  # up | down
    slice: dict[str, str] = field(default_factory=dict)
    contributors: tuple[dict[str, Any], ...] = ()
    drivers: tuple[str, ...] = ()  # driver metrics' labels
    owner: str = "—"  # a <@U…> mention, or the owner as the catalog writes them
    fmt: NumberFormat | None = None

    @property
    def deviation(self) -> float | None:
        if self.value is None or not self.expected:
            return None
        return (self.value - self.expected) / abs(self.expected)


def notice_facts(record: Mapping[str, Any], *, label: str, owner: str, fmt: NumberFormat | None = None,
                 label_of: Callable[[str], str] = str) -> NoticeFacts:
    """Facts from a notice payload (``Anomaly.to_json()`` plus ``alert_id``) or a stored alert row (as a dict)."""
    return NoticeFacts(
        alert_id=int(record.get("alert_id") or record.get("id") or 0), metric=str(record["metric"]), label=label,
        day=str(record.get("date") or record.get("day")), value=record.get("value"),
        expected=record.get("expected"), lower=record.get("lower"), upper=record.get("upper"),
        direction=str(record.get("direction") or "down"), slice=dict(record.get("slice") or {}),
        contributors=tuple(record.get("contributors") or ()),
        drivers=tuple(label_of(d) for d in record.get("drivers") or ()), owner=owner, fmt=fmt)


def esc(text: Any) -> str:
    """User-typed text made inert in mrkdwn: a typed <!channel> or <@U…> must not come back live."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(text: str, kind: str = "mrkdwn") -> dict[str, Any]:
    return {"type": kind, "text": text[:SECTION_MAX]} if kind == "mrkdwn" else {
        "type": kind, "text": text[:HEADER_MAX], "emoji": True}


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": _text(text)}


def _context(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "context", "block_id": block_id, "elements": [_text(text)]}


def dimension_name(ref: str) -> str:
    """``order__region`` → ``region`` (the entity prefix means nothing to a reader)."""
    return ref.split("__")[-1]


def subject(facts: NoticeFacts) -> str:
    """The metric, and its slice when the notice is about one: "Revenue · region = East"."""
    parts = [f"{dimension_name(k)} = {v}" for k, v in sorted(facts.slice.items())]
    return " · ".join([facts.label, *parts])


def notice_text(facts: NoticeFacts, lang: str = "en") -> str:
    """The notification text (what phones and unfurls show)."""
    return say("notice_text", lang, metric=subject(facts), day=facts.day,
               value=format_value(facts.value, facts.fmt, lang, compact=True),
               expected=format_value(facts.expected, facts.fmt, lang, compact=True))


def _value_line(facts: NoticeFacts, lang: str) -> str:
    fmt = facts.fmt
    return say("notice_value", lang, value=format_value(facts.value, fmt, lang),
               expected=format_value(facts.expected, fmt, lang), lower=format_value(facts.lower, fmt, lang),
               upper=format_value(facts.upper, fmt, lang), deviation=format_change(facts.deviation, lang))


def contributor_lines(facts: NoticeFacts, lang: str = "en") -> list[str]:
    """ "72% of the drop comes from region = East", one per contributor, largest first."""
    key = "notice_contributor_up" if facts.direction == "up" else "notice_contributor_down"
    return [say(key, lang, share=f"{round(float(c.get('share', 0)) * 100):d}%",
                dimension=esc(dimension_name(str(c.get("dimension", "")))), value=esc(c.get("value", "")))
            for c in facts.contributors]


def notice_blocks(facts: NoticeFacts, lang: str = "en", *, status_lines: tuple[str, ...] = (),
                  buttons: tuple[str, ...] = NOTICE_BUTTONS) -> list[dict[str, Any]]:
    """An anomaly notice: title, value vs expected range and % deviation, contributors, drivers that moved the
    same day, owner, the buttons still useful, and the status lines (acknowledgements, expected marks)."""
    title = "notice_title_up" if facts.direction == "up" else "notice_title_down"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "block_id": "ml_notice_header",
         "text": _text(say(title, lang, metric=subject(facts), day=facts.day), "plain_text")},
        _section("ml_notice_value", _value_line(facts, lang)),
    ]
    lines = contributor_lines(facts, lang)
    if lines:
        blocks.append(_section("ml_notice_contributors", "\n".join(f"• {line}" for line in lines)))
    if facts.drivers:
        blocks.append(_section("ml_notice_drivers", say("notice_drivers", lang, drivers=", ".join(facts.drivers))))
    blocks.append(_context("ml_notice_context", "  ·  ".join([say("context_owner", lang, owner=facts.owner),
                                                               say("notice_reply_hint", lang)])))
    if status_lines:
        blocks.append(_context("ml_notice_status", "\n".join(status_lines)))
    if buttons:
        blocks.append({"type": "actions", "block_id": "ml_notice_actions",
                       "elements": [_button(b, facts.alert_id, lang) for b in buttons]})
    return blocks


_BUTTON_TEXT = {ACK_ACTION: "button_acknowledge", OPEN_ACTION_ACTION: "button_corrective_action",
                EXPECTED_ACTION: "button_mark_expected"}


def _button(action_id: str, alert_id: int, lang: str) -> dict[str, Any]:
    button = {"type": "button", "action_id": action_id, "value": str(alert_id),
              "text": _text(say(_BUTTON_TEXT[action_id], lang), "plain_text")}
    if action_id == ACK_ACTION:
        button["style"] = "primary"
    return button


def slack_time(at: str) -> str:
    """An ISO timestamp as Slack's <!date> token (shown in each reader's own time zone) with a UTC fallback."""
    moment = dt.datetime.fromisoformat(at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    fallback = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def acknowledged_line(user: str, at: str, lang: str = "en") -> str:
    """ "Acknowledged by @user at time"."""
    return say("notice_acknowledged", lang, user=f"<@{user}>", time=slack_time(at))


def expected_line(user: str, reason: str, lang: str = "en") -> str:
    """ "Marked as expected by @user: reason"."""
    return say("notice_marked_expected", lang, user=f"<@{user}>", reason=esc(reason or "—"))


# -- modals --------------------------------------------------------------------------------------------
def _metadata(alert_id: int, channel: str | None, ts: str | None, lang: str) -> str:
    return json.dumps({"alert": alert_id, "channel": channel, "ts": ts, "lang": lang})


def read_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    """The {alert, channel, ts, lang} a modal was opened with ({} when unreadable)."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) else {}


def input_block(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
                hint: str | None = None) -> dict[str, Any]:
    """A modal's input block whose element answers under the block's id (read back by `state_value`)."""
    block = {"type": "input", "block_id": block_id, "label": _text(label, "plain_text"),
             "element": {**element, "action_id": block_id}, "optional": optional}
    if hint:
        block["hint"] = _text(hint, "plain_text")
    return block


def modal_view(callback_id: str, title_key: str, blocks: list[dict[str, Any]], metadata: str, lang: str) -> dict:
    """A modal with a title (the text `title_key`, cut to Slack's 24 characters), Save and Cancel."""
    return {"type": "modal", "callback_id": callback_id, "private_metadata": metadata,
            "title": _text(say(title_key, lang)[:24], "plain_text"),
            "submit": _text(say("modal_save", lang), "plain_text"),
            "close": _text(say("modal_cancel", lang), "plain_text"), "blocks": blocks}


def action_modal(facts: NoticeFacts, *, channel: str | None, ts: str | None, owner_user: str | None,
                 today: dt.date, lang: str = "en") -> dict[str, Any]:
    """Open corrective action: owner (the metric's owner by default), due date, plan, expected effect."""
    owner: dict[str, Any] = {"type": "users_select"}
    if owner_user:
        owner["initial_user"] = owner_user
    due = {"type": "datepicker", "initial_date": (today + dt.timedelta(days=7)).isoformat()}
    blocks = [
        _context("ml_action_about", say("action_modal_about", lang, metric=subject(facts), day=facts.day)),
        input_block(OWNER_INPUT, say("action_owner", lang), owner),
        input_block(DUE_INPUT, say("action_due", lang), due),
        input_block(PLAN_INPUT, say("action_plan", lang),
               {"type": "plain_text_input", "multiline": True, "max_length": MAX_INPUT}),
        input_block(EFFECT_INPUT, say("action_effect", lang), {"type": "plain_text_input", "max_length": MAX_INPUT},
               optional=True, hint=say("action_effect_hint", lang)),
    ]
    return modal_view(ACTION_VIEW, "action_modal_title", blocks, _metadata(facts.alert_id, channel, ts, lang), lang)


def expected_modal(facts: NoticeFacts, *, channel: str | None, ts: str | None, lang: str = "en") -> dict[str, Any]:
    """Mark as expected: one reason; the day then stops counting as an anomaly."""
    blocks = [
        _context("ml_expected_about", say("expected_modal_about", lang, metric=subject(facts), day=facts.day)),
        input_block(REASON_INPUT, say("expected_reason", lang),
               {"type": "plain_text_input", "max_length": MAX_INPUT,
                "placeholder": _text(say("expected_reason_hint", lang), "plain_text")}),
    ]
    return modal_view(EXPECTED_VIEW, "expected_modal_title", blocks, _metadata(facts.alert_id, channel, ts, lang), lang)


def state_value(view: Mapping[str, Any], block_id: str) -> Any:
    """What the submitted view holds in the input block `block_id` (None: nothing)."""
    entry = ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(block_id) or {}
    for key in ("value", "selected_date", "selected_user"):
        if key in entry:
            return entry[key]
    return None


@dataclass(frozen=True)
class ActionForm:
    """A valid corrective-action submission."""

    owner: str
    due: dt.date
    plan: str
    effect: str


def read_action_form(view: Mapping[str, Any], today: dt.date, lang: str = "en") -> tuple[ActionForm | None,
                                                                                        dict[str, str]]:
    """The submitted action, or the errors to show beside the inputs (``response_action: errors``)."""
    owner = (state_value(view, OWNER_INPUT) or "").strip()
    plan = (state_value(view, PLAN_INPUT) or "").strip()
    effect = (state_value(view, EFFECT_INPUT) or "").strip()
    errors: dict[str, str] = {}
    due: dt.date | None = None
    try:
        due = dt.date.fromisoformat(state_value(view, DUE_INPUT) or "")
    except ValueError:
        errors[DUE_INPUT] = say("action_due_missing", lang)
    if due is not None and due < today:
        errors[DUE_INPUT] = say("action_due_past", lang, today=today.isoformat())
    if not owner:
        errors[OWNER_INPUT] = say("action_owner_missing", lang)
    if not plan:
        errors[PLAN_INPUT] = say("action_plan_empty", lang)
    if errors or due is None:
        return None, errors
    return ActionForm(owner=owner, due=due, plan=plan, effect=effect), {}


def read_expected_reason(view: Mapping[str, Any], lang: str = "en") -> tuple[str | None, dict[str, str]]:
    """The reason given, or the error to show (an empty reason says nothing to the next reader)."""
    reason = (state_value(view, REASON_INPUT) or "").strip()
    return (reason, {}) if reason else (None, {REASON_INPUT: say("expected_reason_empty", lang)})


# -- thread confirmations -------------------------------------------------------------------------------
def action_announcement(user: str, form: ActionForm, lang: str = "en") -> str:
    """Posted in the notice's thread when an action is opened."""
    return say("action_announced", lang, user=f"<@{user}>", owner=f"<@{form.owner}>", due=form.due.isoformat(),
               plan=esc(form.plan), effect=esc(form.effect or "—"))


def expected_announcement(user: str, facts: NoticeFacts, reason: str, lang: str = "en") -> str:
    """Posted in the notice's thread when the day is marked as expected."""
    return say("expected_announced", lang, user=f"<@{user}>", metric=subject(facts), day=facts.day,
               reason=esc(reason))


def message_blocks(text: str, block_id: str = "ml_loop_reply") -> list[dict[str, Any]]:
    """One mrkdwn section: how every confirmation in a thread is posted."""
    return [_section(block_id, text)]


def freshness_blocks(model: str, expected_day: str, latest_day: str | None, metrics: list[str], owners: list[str],
                     lang: str = "en") -> list[dict[str, Any]]:
    """The data-freshness notice: "orders not loaded since …", which notices are held back, whom it concerns."""
    title = say("freshness_title", lang, model=model, latest=latest_day) if latest_day else say(
        "freshness_title_never", lang, model=model)
    body = say("freshness_body", lang, expected=expected_day, metrics=", ".join(metrics) or "—")
    blocks = [{"type": "header", "block_id": "ml_freshness_header", "text": _text(title, "plain_text")},
              _section("ml_freshness_body", body)]
    if owners:
        blocks.append(_context("ml_freshness_owners", say("freshness_owners", lang, owners=", ".join(owners))))
    return blocks


def freshness_text(model: str, latest_day: str | None, lang: str = "en") -> str:
    """The notification text of a freshness notice."""
    return say("freshness_title", lang, model=model, latest=latest_day) if latest_day else say(
        "freshness_title_never", lang, model=model)
