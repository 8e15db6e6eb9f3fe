"""Action reviews: on an action's due date, the metric since the action against the baseline it should follow.

The metric's daily series (for the alert's slice, when it had one) comes from a governed MetricQuery run
through `MetricService.query`. Each day since the action started gets the detector's expected value, fitted
only on days before the anomaly (core/loop/detect.expected_value), so the incident does not lower the bar;
core/loop/review turns actual vs expected into recovered / partly / not yet. The verdict is posted in the
notice's thread with a chart and buttons to close or extend the action, and stored as the action's
`review_result` (JSON), so each due action is reviewed once; extending clears it for the new date.

The verdict's numbers are read under the policy of everyone in the notice's thread (`audience`: the Slack
runtime passes slack/audience.Audience.for_target) — the owner's DM when the notice went there privately. When
they may not see the metric any more, nothing is posted (logged; the next day's run tries again).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from metricloop.core.loop.detect import DetectorSettings, expected_value
from metricloop.core.loop.review import Verdict, review
from metricloop.core.loop.routing import channel_language
from metricloop.core.query import Filter, MetricQuery, TimeRange
from metricloop.core.time.calendar import ONE_DAY
from metricloop.errors import log_internal_error

log = logging.getLogger(__name__)

HISTORY_DAYS = 70  # before the alert: the detector's 8-week window and a little more
# a review weeks after the alert still has two weeks of pre-alert history inside the detector's window
BASELINE = DetectorSettings(min_history=14)


@dataclass(frozen=True)
class Review:
    """One reviewed action: the verdict, the days behind it, and where the verdict goes."""

    action: Any  # adapters.store_schema.CorrectiveAction
    alert: Any  # adapters.store_schema.Alert
    verdict: Verdict
    points: tuple[tuple[dt.date, float | None, float | None], ...]  # (day, actual, expected), alert window on
    start: dt.date  # first day counted (the day after the alert, or the action's start if later)
    language: str = "en"


class ReviewPoster(Protocol):
    """Where verdicts go: the notice's thread in Slack (slack/review_blocks.SlackReviewPoster)."""

    def post(self, review: Review) -> tuple[str, str]:
        """Post the verdict in the alert's notice thread; return (channel, ts) of the posted message."""
        ...


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])


@dataclass
class Reviewer:
    """Reviews due actions and posts each verdict once (`poster` None: judge only, for the CLI)."""

    service: Any  # metricloop.service.MetricService
    store: Any
    poster: ReviewPoster | None = None
    audience: Callable[[str], Any] | None = None  # a channel -> the Policy of everyone who reads it

    def reader(self, alert: Any) -> Any:
        """Whose access rules the review of `alert` runs under: everyone in its notice's channel (None: the
        operator, when there is no audience or the notice was never posted)."""
        return self.audience(alert.channel) if self.audience is not None and alert.channel else None

    def due(self, day: dt.date) -> list[Any]:
        """Open actions due on or before `day` that have no verdict yet."""
        return [a for a in self.store.actions(status="open", due_on_or_before=day) if a.review_result is None]

    def review(self, action: Any, day: dt.date) -> Review | None:
        """Judge `action` with data up to the day before `day`; None when its alert is gone or the notice's
        readers may not see its metric."""
        alert = self.store.get_alert(action.alert_id)
        if alert is None:
            return None
        alert_day = _day(alert.day)
        start = max(alert_day + ONE_DAY, _day(action.created_at))
        end = max(day - ONE_DAY, start)
        where = tuple(Filter(dimension=k, values=(v,)) for k, v in sorted((alert.slice or {}).items()))
        query = MetricQuery(metrics=(alert.metric,), grain="day", where=where,
                            time_range=TimeRange(start=alert_day - dt.timedelta(days=HISTORY_DAYS), end=end))
        answer = self.service.query(query, user=self.reader(alert), today=day)
        values: dict[dt.date, float | None] = {}
        if answer.status == "denied":  # the thread's readers may not see it: no verdict (it would carry numbers)
            log.info("review of action %s withheld: %s", action.id, answer.message)
            return None
        if answer.status == "answered":
            roles = {c.role: i for i, c in enumerate(answer.columns)}
            values = {_day(r[roles["time"]]): r[roles["metric"]] for r in answer.rows}
        else:
            log.warning("review of action %s: %s (%s)", action.id, answer.status, answer.message)
        before = sorted((d, v) for d, v in values.items() if d < alert_day)
        days, history = [d for d, _ in before], [v for _, v in before]
        points = []
        d = alert_day
        while d <= end:
            baseline = expected_value(days, history, d, BASELINE) if days else None
            points.append((d, values.get(d), baseline))
            d += ONE_DAY
        counted = [p for p in points if p[0] >= start]
        verdict = review(counted, value_then=float(alert.value or 0.0),
                         expected_then=float(alert.expected if alert.expected is not None else alert.value or 0.0))
        lang = self._language(alert)
        return Review(action, alert, verdict, tuple(points), start, lang)

    def _language(self, alert: Any) -> str:
        """The notice thread's language as the notifier saved it (its channel is stored by id, while loop.yml
        may set a language by #name), else what loop.yml says about the stored channel."""
        state = (self.store.load_thread(alert.channel, alert.ts) or {}) if alert.channel and alert.ts else {}
        return state.get("language") or channel_language(self.service.catalog.loop, alert.channel)

    def review_due(self, day: dt.date) -> dict[int, str]:
        """Review every due action, post and store each verdict; returns action id → outcome (or failed:<id>)."""
        outcomes = {}
        for action in self.due(day):
            try:
                result = self.review(action, day)
                if result is None:
                    continue
                if self.poster is not None and result.alert.channel and result.alert.ts:
                    self.poster.post(result)
                stored = {**result.verdict.to_json(), "reviewed_on": day.isoformat(), "start": result.start.isoformat()}
                self.store.update_action(action.id, review_result=json.dumps(stored))
                outcomes[action.id] = result.verdict.outcome
            except Exception as exc:  # noqa: BLE001 - one action's failure must not stop the other reviews
                outcomes[action.id] = "failed:" + log_internal_error(exc, f"review of action {action.id}")
        return outcomes
