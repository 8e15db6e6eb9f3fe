"""The App Home tab: the metrics a user follows (latest value and change), their open alerts and actions.

`collect_home` gathers the figures through the service (the same governed path as every answer);
`home_view` turns them into a Home view, built with slack_sdk models and pure.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from metricloop.core.answer import Answer
from metricloop.core.present.formatting import change_text, format_value, metric_label
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.slack import messages as msg

log = logging.getLogger(__name__)
LOOKBACK_DAYS = 7
MAX_ITEMS = 25  # per section; keeps the view well under Slack's 100 blocks


@dataclass(frozen=True)
class FollowedFigure:
    """One followed metric over the last week: value, previous week's value, change."""

    metric: str
    label: str
    value: str
    change: str
    answered: bool = True


@dataclass
class HomeData:
    figures: list[FollowedFigure] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)  # store Alert rows
    actions: list[Any] = field(default_factory=list)  # store CorrectiveAction rows
    lang: str = "en"


def _first_value(answer: Answer, role: str, metric: str) -> Any:
    for i, col in enumerate(answer.columns):
        if col.role == role and col.metric in (metric, None):
            return answer.rows[0][i] if answer.rows else None
    return None


def figure_for(service: Any, metric: str, today: dt.date, user: Any, lang: str = "en") -> FollowedFigure:
    """The last 7 days (ending yesterday, the last complete day) against the 7 days before."""
    end = today - dt.timedelta(days=1)
    window = TimeRange(start=end - dt.timedelta(days=LOOKBACK_DAYS - 1), end=end)
    definition = service.catalog.metric(metric)
    label = metric_label(definition, metric, lang)
    answer = service.query(MetricQuery(metrics=(metric,), time_range=window, compare="previous_period"),
                           user=user, lang=lang)
    if answer.status != "answered" or not answer.rows:
        return FollowedFigure(metric, label, msg.home("unavailable", lang), "", answered=False)
    current = _first_value(answer, "metric", metric)
    previous = _first_value(answer, "previous", metric)
    fmt = definition.meta.format if definition else None
    return FollowedFigure(metric, label, format_value(current, fmt, lang, compact=True),
                          change_text(current, previous, fmt, lang))  # a rate moves in points


def collect_home(service: Any, store: Any, user: str, lang: str = "en", policy: Any = None) -> HomeData:
    """Followed metrics with their figures, open alerts on them, and the user's open actions.

    `policy` (core/catalog/access.Policy) is what the user may see: figures are queried under it, and an
    alert shows only on a metric they see without row filters (its values are of the whole metric)."""
    followed = store.follows(user)
    today = service.today()
    viewer = policy if policy is not None else user
    figures = [figure_for(service, m, today, viewer, lang) for m in followed[:MAX_ITEMS]]
    alerts = [a for a in store.alerts(status="open") if a.metric in followed
              and (policy is None or (policy.can_see(a.metric) and not policy.row_filters))][:MAX_ITEMS]
    actions = [a for a in store.actions(status="open") if a.owner == user][:MAX_ITEMS]
    return HomeData(figures=figures, alerts=alerts, actions=actions, lang=lang)


def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000])).to_dict()


def home_view(data: HomeData) -> dict:
    """The Home tab view (type "home")."""
    lang = data.lang
    blocks: list[dict] = [HeaderBlock(text=msg.home("title", lang)).to_dict()]
    if not data.figures:
        blocks.append(_section(msg.home("empty", lang)))
    for f in data.figures:
        change = f"  ({f.change})" if f.change else ""
        blocks.append(_section(f"*{f.label}* `{f.metric}`\n{f.value}{change}"))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=msg.home("last_7_days", lang))]).to_dict())
    blocks += [DividerBlock().to_dict(), HeaderBlock(text=msg.home("alerts", lang)).to_dict()]
    if not data.alerts:
        blocks.append(_section(msg.home("no_alerts", lang)))
    for a in data.alerts:
        arrow = "↑" if a.direction == "up" else "↓"
        blocks.append(_section(f"{arrow} *{a.metric}* {a.day}"
                               + (f" — {a.value:,.2f} vs {a.expected:,.2f}" if a.value is not None
                                  and a.expected is not None else "")))
    blocks += [DividerBlock().to_dict(), HeaderBlock(text=msg.home("actions", lang)).to_dict()]
    if not data.actions:
        blocks.append(_section(msg.home("no_actions", lang)))
    for action in data.actions:
        blocks.append(_section(f"• {action.plan} — due {action.due} (alert #{action.alert_id})"))
    return View(type="home", blocks=blocks).to_dict()
