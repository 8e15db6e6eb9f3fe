"""What happens when people answer a notice: buttons, modal submissions and replies in its thread.

The listeners (slack/listeners/loop.py) stay thin: they hand the parsed payload to a LoopDesk method. A modal
submission is validated and STORED in the acknowledging half (before Slack closes the modal, so an accepted
submission is never lost) and announced in the lazy half; everything else runs lazily. The notice itself is
re-rendered from the store whenever its state changes (chat.update), so it always shows every
acknowledgement, action and expected mark, whoever clicked first.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from metricloop.adapters.store_schema import Alert
from metricloop.audit import trail_for
from metricloop.core.catalog.model import Metric, NumberFormat
from metricloop.core.loop.adjust import ParsedReply, parse_reply
from metricloop.core.loop.routing import channel_language
from metricloop.core.present.formatting import format_value, metric_label
from metricloop.core.present.texts import say
from metricloop.core.text import has_cjk
from metricloop.slack import loop_blocks as lb
from metricloop.slack.channel_ids import is_slack_id
from metricloop.slack.payloads import Question
from metricloop.slack.people import People

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoopThread:
    """A thread the loop owns: a notice's (one alert) or a digest's (several metrics)."""

    channel: str
    ts: str
    metrics: tuple[str, ...]
    language: str
    alert: Alert | None = None
    day: str | None = None


@dataclass(frozen=True)
class Submission:
    """The outcome of a modal submission: errors to show in the modal, or what was stored."""

    errors: dict[str, str]
    source: str | None = None


class LoopDesk:
    """Acknowledge, open actions, mark expected, and take owners' adjustments and others' comments."""

    def __init__(self, *, store: Any, client: Any, catalog: Callable[[], Any], today: Callable[[], dt.date],
                 people: People | None = None) -> None:
        self.store = store
        self.client = client
        self._catalog = catalog  # a callable: the catalog may be reloaded while the app runs
        self.today = today
        self.people = people or People(client)

    # -- looking things up ---------------------------------------------------------------------------
    def metric(self, name: str) -> Metric | None:
        return self._catalog().metric(name)

    def language(self, channel: str | None, ts: str | None = None) -> str:
        """The thread's saved language, else what loop.yml says about the channel."""
        state = (self.store.load_thread(channel, ts) or {}) if channel and ts else {}
        return state.get("language") or channel_language(self._catalog().loop, channel)

    def facts(self, alert: Alert, lang: str) -> lb.NoticeFacts:
        """What the notice says about an alert, in words people read."""
        metric = self.metric(alert.metric)
        owner = self.people.mention(metric.meta.owner if metric else None)
        fmt = metric.meta.format if metric else None
        return lb.notice_facts(asdict(alert), label=metric_label(metric, alert.metric, lang), owner=owner, fmt=fmt,
                               label_of=lambda name: metric_label(self.metric(name), name, lang))

    def thread(self, channel: str, thread_ts: str) -> LoopThread | None:
        """The loop thread a message belongs to, or None (an ordinary conversation)."""
        alert = self.store.alert_for_message(channel, thread_ts)
        state = self.store.load_thread(channel, thread_ts) or {}
        if alert is not None:
            return LoopThread(channel, thread_ts, (alert.metric,), state.get("language") or self.language(channel),
                              alert=alert, day=alert.day)
        if state.get("kind") == "digest" and state.get("metrics"):
            return LoopThread(channel, thread_ts, tuple(state["metrics"]), state.get("language") or "en",
                              day=state.get("day"))
        return None

    # -- the notice, rendered from the store ------------------------------------------------------------
    def notice_state(self, alert: Alert, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(status lines, buttons still useful) for an alert's notice."""
        lines = [lb.acknowledged_line(a.user, a.created_at, lang) for a in self.store.acknowledgements(alert.id)]
        lines += [say("notice_action_opened", lang, user=f"<@{a.created_by or a.owner}>", due=a.due)
                  for a in self.store.actions(alert_id=alert.id)]
        marks = [a for a in self.store.adjustments(alert.metric, "expected") if a.payload.get("alert_id") == alert.id]
        lines += [lb.expected_line(a.author, a.payload.get("reason", ""), lang) for a in marks]
        buttons = tuple(b for b in lb.NOTICE_BUTTONS
                        if not (b == lb.ACK_ACTION and alert.status != "open")
                        and not (b == lb.EXPECTED_ACTION and marks))
        return tuple(lines), buttons

    def refresh_notice(self, alert_id: int, clicked_channel: str | None = None) -> None:
        """Re-render a posted notice in place (chat.update) from what the store now holds. chat.update needs the
        channel id: a notice recorded under a "#name" (before names were resolved) is updated in the channel
        its button was clicked in."""
        alert = self.store.get_alert(alert_id)
        if alert is None or not alert.channel or not alert.ts:
            return
        channel = alert.channel if is_slack_id(alert.channel) or not clicked_channel else clicked_channel
        lang = self.language(alert.channel, alert.ts)
        facts = self.facts(alert, lang)
        lines, buttons = self.notice_state(alert, lang)
        self.client.chat_update(channel=channel, ts=alert.ts, text=lb.notice_text(facts, lang),
                                blocks=lb.notice_blocks(facts, lang, status_lines=lines, buttons=buttons))

    def _post(self, channel: str, thread_ts: str, text: str) -> None:
        self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=lb.message_blocks(text))

    # -- buttons -------------------------------------------------------------------------------------
    def acknowledge(self, alert_id: int, user: str, channel: str | None = None) -> None:
        """Record the acknowledgement and show it on the notice (`channel`: where the button was clicked)."""
        if self.store.get_alert(alert_id) is None:
            log.info("acknowledge: alert %s is gone", alert_id)
            return
        self.store.acknowledge(alert_id, user)
        self.refresh_notice(alert_id, channel)

    def open_modal(self, action_id: str, alert_id: int, trigger_id: str, channel: str | None,
                   ts: str | None) -> None:
        """Open the corrective-action or mark-as-expected modal for an alert."""
        alert = self.store.get_alert(alert_id)
        if alert is None:
            return
        lang = self.language(alert.channel or channel, alert.ts or ts)
        facts = self.facts(alert, lang)
        # the clicked channel's id when the record holds a "#name" (before names were resolved): chat.update and
        # the announcement need the id
        stored = alert.channel if alert.channel and (is_slack_id(alert.channel) or not channel) else None
        where = {"channel": stored or channel, "ts": alert.ts or ts}
        if action_id == lb.OPEN_ACTION_ACTION:
            metric = self.metric(alert.metric)
            owner = self.people.user_id(metric.meta.owner if metric else None)
            view = lb.action_modal(facts, owner_user=owner, today=self.today(), lang=lang, **where)
        else:
            view = lb.expected_modal(facts, lang=lang, **where)
        self.client.views_open(trigger_id=trigger_id, view=view)

    # -- modal submissions: validate and store (ack half), then announce (lazy half) ----------------------
    def submit_action(self, view: dict[str, Any], user: str) -> Submission:
        """Validate a corrective action; when valid, store it (once per view) and return its source."""
        meta = lb.read_metadata(view)
        lang = meta.get("lang") or "en"
        form, errors = lb.read_action_form(view, self.today(), lang)
        if form is None:
            return Submission(errors)
        if self.store.get_alert(int(meta.get("alert") or 0)) is None:
            return Submission({lb.PLAN_INPUT: say("alert_gone", lang)})
        source = f"view:{view.get('id')}"
        self.store.open_action(int(meta["alert"]), form.owner, form.due, form.plan, expected_effect=form.effect,
                               created_by=user, source=source)
        return Submission({}, source)

    def announce_action(self, view: dict[str, Any], user: str) -> None:
        """Post the stored action in the notice's thread and show it on the notice."""
        meta = lb.read_metadata(view)
        action = self.store.action_from(f"view:{view.get('id')}")
        if action is None:
            return  # the submission was refused: nothing stored, nothing to announce
        form = lb.ActionForm(owner=action.owner, due=dt.date.fromisoformat(action.due), plan=action.plan,
                             effect=action.expected_effect)
        if meta.get("channel") and meta.get("ts"):
            self._post(meta["channel"], meta["ts"], lb.action_announcement(user, form, meta.get("lang") or "en"))
        self.refresh_notice(action.alert_id, meta.get("channel"))

    def submit_expected(self, view: dict[str, Any], user: str) -> Submission:
        """Validate a mark-as-expected; when valid, store the 'expected' adjustment for the alert's day."""
        meta = lb.read_metadata(view)
        reason, errors = lb.read_expected_reason(view, meta.get("lang") or "en")
        alert = self.store.get_alert(int(meta.get("alert") or 0))
        if reason is None or alert is None:
            return Submission(errors or {lb.REASON_INPUT: say("alert_gone", meta.get("lang") or "en")})
        source = f"view:{view.get('id')}"
        self._mark_expected(alert, reason, user, source)
        return Submission({}, source)

    def _mark_expected(self, alert: Alert, reason: str, user: str, source: str) -> None:
        payload = {"day": alert.day, "reason": reason, "alert_id": alert.id, "slice": alert.slice,
                   "direction": alert.direction}
        self.store.record_adjustment(alert.metric, "expected", payload, user, source=source)
        if alert.status != "resolved":
            self.store.set_alert_status(alert.id, "resolved")  # an expected day is no longer an open problem

    def announce_expected(self, view: dict[str, Any], user: str) -> None:
        """Post the expected mark in the notice's thread and show it on the notice."""
        meta = lb.read_metadata(view)
        adjustment = self.store.adjustment_from(f"view:{view.get('id')}")
        alert = self.store.get_alert(int(meta.get("alert") or 0))
        if adjustment is None or alert is None:
            return
        lang = meta.get("lang") or "en"
        if meta.get("channel") and meta.get("ts"):
            text = lb.expected_announcement(user, self.facts(alert, lang), adjustment.payload.get("reason", ""), lang)
            self._post(meta["channel"], meta["ts"], text)
        self.refresh_notice(alert.id, meta.get("channel"))

    # -- replies in a loop thread -----------------------------------------------------------------------
    def is_loop_reply(self, question: Question | None) -> bool:
        """Whether a message is a reply in a notice's or digest's thread (cheap: one or two indexed reads)."""
        return bool(question and question.in_thread and self.thread(question.channel, question.thread_ts))

    def take_reply(self, question: Question) -> None:
        """Store a reply as the owner's adjustment or someone's comment, and confirm exactly what was recorded."""
        thread = self.thread(question.channel, question.thread_ts)
        if thread is None:
            return
        lang = "zh" if has_cjk(question.text) else thread.language  # a Chinese reply is answered in Chinese
        source = f"msg:{question.channel}:{question.ts}"
        named = [m for m in thread.metrics if _names(question.text, m, self.metric(m))]
        owned = [m for m in thread.metrics if self._owns(question.user, m)]
        target = _pick(owned, named)
        if target is None:
            for metric in named or thread.metrics:
                self.store.add_comment(metric, question.user, question.text, channel=question.channel,
                                       thread_ts=question.thread_ts, source=source,
                                       alert_id=thread.alert.id if thread.alert else None)
            self._audit(question, "comment", {"text": question.text, "metrics": list(named or thread.metrics)},
                        source)
            text = say("adj_which_metric", lang, metrics=", ".join(owned)) if len(owned) > 1 else say(
                "adj_comment", lang, user=f"<@{question.user}>", metric=self._labels(named or thread.metrics, lang),
                owner=self._owners(named or thread.metrics))
            self._post(question.channel, question.thread_ts, text)
            return
        parsed = parse_reply(question.text, today=self.today())
        payload = dict(parsed.payload)
        if parsed.kind == "expected":
            payload.update({k: v for k, v in (("day", thread.day), ("alert_id", thread.alert and thread.alert.id),
                                              ("slice", thread.alert and thread.alert.slice)) if v is not None})
        if thread.alert is not None:
            payload.setdefault("alert_id", thread.alert.id)
        self.store.record_adjustment(target, parsed.kind, payload, question.user, source=source)
        self._audit(question, "adjustment", {"text": question.text, "metrics": [target], "adjustment": parsed.kind,
                                             "payload": payload}, source)
        if parsed.kind == "expected" and thread.alert is not None and thread.alert.status != "resolved":
            self.store.set_alert_status(thread.alert.id, "resolved")
        self._post(question.channel, question.thread_ts, self.confirmation(parsed, target, thread.day, lang))
        if parsed.kind == "expected" and thread.alert is not None:
            self.refresh_notice(thread.alert.id)

    def confirmation(self, parsed: ParsedReply, metric_name: str, day: str | None, lang: str) -> str:
        """Exactly what was recorded, in the thread's language."""
        metric = self.metric(metric_name)
        label = lb.esc(metric_label(metric, metric_name, lang))
        p = parsed.payload
        if parsed.kind == "target":
            fmt = NumberFormat(kind="percent") if p.get("unit") == "percent" else (metric.meta.format if metric
                                                                                    else None)
            per = say(f"per_{p['period']}", lang) if p.get("period") else ""
            return say("adj_target", lang, metric=label, value=format_value(p["value"], fmt, lang, compact=True),
                       per=per)
        if parsed.kind == "threshold" and "sensitivity" in p:
            return say("adj_sensitivity", lang, metric=label, level=say(f"sensitivity_{p['sensitivity']}", lang))
        if parsed.kind == "threshold":
            return say("adj_snooze", lang, metric=label, days=p["snooze_days"], until=p.get("until", "—"))
        reason = lb.esc(p.get("reason") or "—")
        if parsed.kind == "expected":
            return say("adj_expected", lang, metric=label, day=day, reason=reason) if day else say(
                "adj_expected_undated", lang, metric=label, reason=reason)
        if not parsed.understood and parsed.form:
            return say("adj_unreadable", lang, metric=label, text=lb.esc(p.get("text", "")),
                       form=say(f"form_{parsed.form}", lang), example=say(f"example_{parsed.form}", lang))
        return say("adj_note", lang, metric=label, text=lb.esc(p.get("text", "")))

    def _audit(self, question: Question, kind: str, detail: dict[str, Any], source: str) -> None:
        """A reply in a loop thread, and what it became, into the audit trail (queued; never raises)."""
        try:
            trail_for(self.store).record(question.user, kind, detail, channel=question.channel, source=source)
        except Exception:  # noqa: BLE001 - the reply is stored and confirmed whatever happens to its audit entry
            log.warning("could not audit a thread reply", exc_info=True)

    def _owns(self, user: str, metric_name: str) -> bool:
        metric = self.metric(metric_name)
        return bool(metric and self.people.is_person(user, metric.meta.owner))

    def _labels(self, names: tuple[str, ...] | list[str], lang: str) -> str:
        return ", ".join(lb.esc(metric_label(self.metric(n), n, lang)) for n in names)

    def _owners(self, names: tuple[str, ...] | list[str]) -> str:
        owners = {self.people.mention(m.meta.owner) for n in names if (m := self.metric(n)) and m.meta.owner}
        return ", ".join(sorted(owners)) or "—"


def _names(text: str, name: str, metric: Metric | None) -> bool:
    """Whether a reply names a metric (its name or label as whole words)."""
    words = {name, name.replace("_", " ")} | ({metric.display_name} if metric else set())
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE) for w in words if w)


def _pick(owned: list[str], named: list[str]) -> str | None:
    """The one metric an owner's reply is about: the only one they own, or the one they named."""
    chosen = [m for m in owned if m in named] if named else owned
    return chosen[0] if len(chosen) == 1 else None
