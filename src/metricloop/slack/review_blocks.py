"""Block Kit for an action review (verdict, numbers, plan, Close / Extend buttons) and its poster.

The verdict goes in the alert notice's thread, with a chart of actual vs expected since the alert. The
buttons carry the action id; slack/listeners/review.py handles them and rewrites the message in place.
"""
from __future__ import annotations

from typing import Any

from metricloop.core.catalog.model import Catalog
from metricloop.core.present.formatting import format_value, metric_label
from metricloop.core.present.sparkline import actual_vs_expected_spec
from metricloop.core.present.texts import say
from metricloop.errors import log_internal_error
from metricloop.loop.reviewer import Review
from metricloop.slack.channel_ids import ChannelIds
from metricloop.slack.limits import HEADER_MAX, SECTION_MAX

CLOSE_ACTION = "ml_review_close"
EXTEND_ACTION = "ml_review_extend"
EXTEND_DAYS = 7
_OUTCOME_KEYS = {"recovered": "review_recovered", "partly": "review_partly", "not_yet": "review_not_yet",
                 "no_data": "review_no_data"}


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": text[:SECTION_MAX]}}


def review_blocks(catalog: Catalog, review: Review, *, status: str | None = None) -> list[dict[str, Any]]:
    """The verdict message. With `status` (closed / extended line) the buttons give way to that line."""
    lang, v, alert, action = review.language, review.verdict, review.alert, review.action
    metric = catalog.metric(alert.metric)
    fmt = metric.meta.format if metric is not None else None
    label = metric_label(metric, alert.metric, lang)
    closed = "—" if v.closed is None else f"{v.closed:.0%}"
    blocks: list[dict[str, Any]] = [
        {"type": "header",
         "text": {"type": "plain_text", "text": say("review_title", lang, metric=label)[:HEADER_MAX]}},
        _section("verdict", say(_OUTCOME_KEYS[v.outcome], lang, closed=closed)),
    ]
    if v.days:
        blocks.append(_section("numbers", say(
            "review_numbers", lang, start=review.start.isoformat(), days=v.days,
            actual=format_value(v.actual, fmt, lang), expected=format_value(v.expected, fmt, lang),
            alert_day=alert.day, value_then=format_value(alert.value, fmt, lang),
            expected_then=format_value(alert.expected, fmt, lang))))
    blocks.append({"type": "context", "block_id": "plan", "elements": [{"type": "mrkdwn", "text": say(
        "review_plan", lang, plan=action.plan, owner=action.owner, due=action.due)[:SECTION_MAX]}]})
    if status:
        blocks.append({"type": "context", "block_id": "status", "elements": [{"type": "mrkdwn", "text": status}]})
    else:
        blocks.append({"type": "actions", "block_id": "review_buttons", "elements": [
            {"type": "button", "action_id": CLOSE_ACTION, "value": str(action.id), "style": "primary",
             "text": {"type": "plain_text", "text": say("review_close", lang)}},
            {"type": "button", "action_id": EXTEND_ACTION, "value": str(action.id),
             "text": {"type": "plain_text", "text": say("review_extend", lang, days=EXTEND_DAYS)}},
        ]})
    return blocks


def with_status(blocks: list[dict[str, Any]], status: str) -> list[dict[str, Any]]:
    """A posted verdict's blocks with its buttons replaced by `status` (who closed or extended the action)."""
    kept = [b for b in blocks if b.get("block_id") not in ("review_buttons", "status")]
    return [*kept, {"type": "context", "block_id": "status", "elements": [{"type": "mrkdwn", "text": status}]}]


def review_chart(catalog: Catalog, review: Review) -> dict[str, Any]:
    """Actual vs expected since the alert, with the alert day and the action's start marked."""
    lang, alert = review.language, review.alert
    metric = catalog.metric(alert.metric)
    label = metric_label(metric, alert.metric, lang)
    marks = [(review.points[0][0], say("review_mark_alert", lang)), (review.start, say("review_mark_action", lang))]
    return actual_vs_expected_spec(review.points, title=say("review_title", lang, metric=label),
                                   actual_label=say("review_actual", lang), expected_label=say("review_expected", lang),
                                   marks=marks, fmt=metric.meta.format if metric else None, lang=lang)


class SlackReviewPoster:
    """Posts a verdict in the notice's thread, and its chart."""

    def __init__(self, client: Any, catalog: Catalog, chart_renderer: Any = None,
                 channels: ChannelIds | None = None) -> None:
        self.client, self.catalog, self.chart_renderer = client, catalog, chart_renderer
        self.channels = channels or ChannelIds(client)

    def post(self, review: Review) -> tuple[str, str]:
        """Post the verdict (and chart) in the alert notice's thread; return (channel, ts). A notice recorded
        under its ``#name`` (before names were resolved) is found by id: the chart upload takes ids only."""
        channel, thread = self.channels.resolve(review.alert.channel), review.alert.ts
        posted = self.client.chat_postMessage(channel=channel, thread_ts=thread,
                                              text=say(_OUTCOME_KEYS[review.verdict.outcome], review.language,
                                                       closed="—" if review.verdict.closed is None
                                                       else f"{review.verdict.closed:.0%}"),
                                              blocks=review_blocks(self.catalog, review))
        if self.chart_renderer is not None and review.points:
            spec = review_chart(self.catalog, review)
            try:
                self.client.files_upload_v2(channel=channel, thread_ts=thread, filename="review.png",
                                            content=self.chart_renderer.render_png(spec),
                                            title=spec["title"]["text"], alt_txt=spec["title"]["text"])
            except Exception as exc:  # noqa: BLE001 - the verdict is posted; a missing chart is only logged
                log_internal_error(exc, f"review chart upload to {channel}/{thread}")
        return posted["channel"], posted["ts"]
