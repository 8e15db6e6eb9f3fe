"""The Slack Notifier: posts a stored notice (an anomaly or a data-freshness problem) to its channel.

Where: the metric's ``meta.channel``, else loop.yml ``alerts.channel``, else ``#metrics-alerts``
(core/loop/routing). The notice mentions the owner (e-mails resolved with users.lookupByEmail), speaks the
channel's language, and a chart of the last weeks with the anomaly marked follows in its thread. The caller
(loop/outbox.post_pending) records the returned (channel, ts) with ``mark_notice_posted``; the notice's
thread is remembered as a loop thread so replies in it become adjustments and comments.

Channels are written in the catalog as ``#name``; slack/channel_ids turns them into ids before anything is
posted, so the history search, the chart upload, chat.update and the stored (channel, ts) all use the id that
Slack's button clicks and thread replies carry. A channel Slack does not have (or the bot is not in) raises
``ChannelNotFound``: the notice stays in the outbox and ``channel_problems`` says why.

Every notice carries its outbox key in the message metadata (event type ``metricloop_notice``), so after a
crash between chat.postMessage and recording the post, ``find_posted`` finds the message in the channel's
recent history (conversations.history with include_all_metadata) instead of posting it a second time.

An anomaly notice is posted in its channel only when every member may see it (slack/audience: the intersection
of the members' policies shows the metric and its drivers, with no row filter — the notice's figures and
contributors are over all rows). Otherwise it goes privately to the metric's owner, saying why; with no owner
to reach, the channel gets a line saying a notice was withheld, with no figures.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from metricloop.core.catalog.access import OPERATOR
from metricloop.core.loop.routing import channel_language, notice_channel
from metricloop.core.present.formatting import metric_label
from metricloop.core.present.notice_chart import notice_chart_spec
from metricloop.core.present.texts import say
from metricloop.core.query import Filter, MetricQuery, TimeRange
from metricloop.errors import log_internal_error
from metricloop.slack import loop_blocks as lb
from metricloop.slack.audience import Audience
from metricloop.slack.changelog_blocks import changelog_channel, post_changelog
from metricloop.slack.channel_ids import ChannelIds
from metricloop.slack.people import People

log = logging.getLogger(__name__)
CHART_WEEKS = 6
NOTICE_EVENT = "metricloop_notice"  # message metadata event type; its payload is {"key": notice key}
HISTORY_PAGES = 5  # pages of 200 messages searched for an interrupted post (the notice is recent)
Points = Sequence[tuple[dt.date, float | None]]
SeriesSource = Callable[[str, dict[str, str], dt.date], Points]


def service_series(service: Any, weeks: int = CHART_WEEKS) -> SeriesSource:
    """The last ``weeks`` of a metric (or one slice of it) up to a day, through the governed query path."""
    def series(metric: str, slice_: dict[str, str], day: dt.date) -> Points:
        query = MetricQuery(metrics=(metric,), grain="day",
                            time_range=TimeRange(start=day - dt.timedelta(days=7 * weeks - 1), end=day),
                            where=tuple(Filter(dimension=k, values=(v,)) for k, v in sorted(slice_.items())))
        answer = service.query(query, user=None, today=day)
        if answer.status != "answered":
            return []
        t = next(i for i, c in enumerate(answer.columns) if c.role == "time")
        v = next(i for i, c in enumerate(answer.columns) if c.role == "metric")
        return [(dt.date.fromisoformat(str(row[t])[:10]), row[v]) for row in answer.rows]
    return series


@dataclass(frozen=True)
class Route:
    """Where an anomaly notice goes: `channel`; `kept_from` the channel it was kept from (None: posted there);
    `withheld`: posted in `channel` (`kept_from`'s id) without its figures (nobody to send it to privately).
    `channel` is an id; `kept_from` the channel as the catalog names it (said to the owner)."""

    channel: str
    kept_from: str | None = None
    withheld: bool = False


class SlackNotifier:
    """Posts anomaly and freshness notices; ``post(notice)`` returns where it went: (channel id, ts)."""

    def __init__(self, client: Any, store: Any, catalog: Callable[[], Any], *, people: People | None = None,
                 chart_renderer: Any = None, series: SeriesSource | None = None,
                 audience: Audience | None = None, channels: ChannelIds | None = None) -> None:
        self.client = client
        self.store = store
        self._catalog = catalog
        self.people = people or People(client)
        self.chart_renderer = chart_renderer
        self.series = series
        self.audience = audience  # None: every channel may see every notice (tests of posting alone)
        # one name → id cache with the audience's, so a notice costs no second conversations.list walk
        self.channels = channels or (audience.channels if audience is not None else ChannelIds(client))

    def post(self, notice: Any) -> tuple[str, str]:
        """Post one outbox notice (``kind`` anomaly or freshness, ``payload`` as the store queued it)."""
        meta = notice_metadata(notice.key)
        if notice.kind == "anomaly":
            return self.post_anomaly(notice.payload, metadata=meta)
        if notice.kind == "freshness":
            return self.post_freshness(notice.payload, metadata=meta)
        if notice.kind == "changelog":  # a definition change, to one follower's DM or the metric's channel
            return post_changelog(self.client, notice, self._catalog().loop, metadata=meta,
                                  resolve=self.channels.resolve)
        raise ValueError(f"the Slack notifier does not post {notice.kind!r} notices")

    def channel_for(self, notice: Any) -> str:
        """The channel id a notice is posted to (the same rule ``post`` follows)."""
        if notice.kind == "changelog":
            return changelog_channel(self.client, notice.payload["target"], self.channels.resolve)
        if notice.kind == "anomaly":
            return self.route(notice.payload).channel
        return self.channels.resolve(self._freshness_channel(notice.payload))

    def _freshness_channel(self, payload: dict[str, Any]) -> str:
        """A freshness notice's channel as configured: that of the model's first metric."""
        catalog = self._catalog()
        metrics = [m for name in payload.get("metrics") or () if (m := catalog.metric(name)) is not None]
        return notice_channel(metrics[0] if metrics else None, catalog.loop)

    def channel_problems(self, notices: Any = (), lang: str = "en") -> list[str]:
        """Why notices cannot be posted, for the operator (``metricloop scan``): each configured channel of
        `notices` — every metric's notice channel when none are given — that Slack lacks or the bot is not in."""
        catalog = self._catalog()
        names = []
        for notice in notices or ():
            if notice.kind == "anomaly":
                names.append(notice_channel(catalog.metric(notice.payload["metric"]), catalog.loop))
            elif notice.kind == "freshness":
                names.append(self._freshness_channel(notice.payload))
            elif notice.kind == "changelog" and notice.payload["target"][:1] not in ("U", "W"):
                names.append(notice.payload["target"])
        if not notices:
            names = [notice_channel(m, catalog.loop) for m in catalog.metrics]
        return self.channels.problems(names, lang)

    def find_posted(self, notice: Any) -> tuple[str, str] | None:
        """Where an earlier, interrupted attempt posted this notice: the channel's recent top-level messages
        searched for its key in the metadata. An anomaly notice found whose thread was never remembered gets
        its thread state (and chart) now, as the interrupted post would have."""
        channel = self.channel_for(notice)
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = self.client.conversations_history(channel=channel, include_all_metadata=True, limit=200,
                                                     cursor=cursor)
            for message in page.get("messages") or ():
                if notice_key(message) == notice.key:
                    where = channel  # an id: the one clicks on the message will carry
                    if notice.kind == "anomaly" and self.store.load_thread(where, message["ts"]) is None:
                        facts, lang = self._facts(notice.payload)
                        self._remember(facts, notice.payload, where, message["ts"], lang)
                    return where, message["ts"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return None

    def _facts(self, payload: dict[str, Any], channel: str | None = None) -> tuple[lb.NoticeFacts, str]:
        """The notice's facts in its channel's language (the channel: the metric's notice channel)."""
        catalog = self._catalog()
        metric = catalog.metric(payload["metric"])
        lang = channel_language(catalog.loop, channel or notice_channel(metric, catalog.loop))
        facts = lb.notice_facts(payload, label=metric_label(metric, payload["metric"], lang),
                                owner=self.people.mention(metric.meta.owner if metric else None),
                                fmt=metric.meta.format if metric else None,
                                label_of=lambda name: metric_label(catalog.metric(name), name, lang))
        return facts, lang

    def _remember(self, facts: lb.NoticeFacts, payload: dict[str, Any], channel: str, ts: str, lang: str) -> None:
        """The notice's thread becomes a loop thread (replies are adjustments), and its chart follows."""
        self.store.save_thread(channel, ts, {"kind": "notice", "alert": facts.alert_id, "day": facts.day,
                                             "language": lang, "metrics": [facts.metric]})
        self._chart(facts, payload, channel, ts, lang)

    def route(self, payload: dict[str, Any]) -> Route:
        """Where an anomaly notice goes: its channel when every member may see the metric, its drivers and all
        their rows; else the owner's DM; else (no owner in Slack) its channel, figures withheld."""
        catalog = self._catalog()
        metric = catalog.metric(payload["metric"])
        named = notice_channel(metric, catalog.loop)
        channel = self.channels.resolve(named)
        if self.audience is None:
            return Route(channel)
        shown = [payload["metric"], *(payload.get("drivers") or ())]
        if not self.audience.for_target(channel).narrower_than(OPERATOR, shown):
            return Route(channel)
        owner = self.people.user_id(metric.meta.owner if metric else None)
        if owner is None:
            return Route(channel, named, withheld=True)
        return Route(self.client.conversations_open(users=owner)["channel"]["id"], named)

    def post_anomaly(self, payload: dict[str, Any], *, metadata: dict[str, Any] | None = None) -> tuple[str, str]:
        """The notice with its buttons, then its chart in the thread (in the owner's DM when the channel's
        members may not all see it)."""
        route = self.route(payload)
        facts, lang = self._facts(payload)
        if route.withheld:
            posted = self.client.chat_postMessage(channel=route.channel, metadata=metadata,
                                                  text=say("notice_withheld", lang, owner=facts.owner))
            return posted["channel"], posted["ts"]
        text, blocks = lb.notice_text(facts, lang), lb.notice_blocks(facts, lang)
        if route.kept_from is not None:  # said first, so the owner knows why it came to them and not the channel
            why = say("notice_private", lang, channel=route.kept_from, metric=facts.label)
            text, blocks = f"{why}\n{text}", [_context("ml_notice_private", why), *blocks]
        posted = self.client.chat_postMessage(channel=route.channel, text=text, blocks=blocks, metadata=metadata)
        where, ts = posted["channel"], posted["ts"]
        self._remember(facts, payload, where, ts, lang)
        return where, ts

    def _chart(self, facts: lb.NoticeFacts, payload: dict[str, Any], channel: str, ts: str, lang: str) -> None:
        if self.chart_renderer is None or self.series is None or facts.value is None:
            return
        try:
            day = dt.date.fromisoformat(facts.day)
            spec = notice_chart_spec(self.series(facts.metric, facts.slice, day), day=day, value=facts.value,
                                     lower=facts.lower, upper=facts.upper, title=lb.subject(facts), fmt=facts.fmt,
                                     lang=lang)
            if spec is None:
                return
            self.client.files_upload_v2(channel=channel, thread_ts=ts, content=self.chart_renderer.render_png(spec),
                                        filename="notice.png", title=spec["title"],
                                        alt_txt=say("chart_alt", lang, title=spec["title"]))
        except Exception as exc:  # noqa: BLE001 - the notice is posted; a missing chart is logged, not fatal
            log_internal_error(exc, f"notice chart for alert {payload.get('alert_id')}")

    def post_freshness(self, payload: dict[str, Any], *, metadata: dict[str, Any] | None = None) -> tuple[str, str]:
        """One "orders not loaded since …" notice, in the channel of the model's first metric, to its owners."""
        catalog = self._catalog()
        metrics = [m for name in payload.get("metrics") or () if (m := catalog.metric(name)) is not None]
        named = self._freshness_channel(payload)
        channel, lang = self.channels.resolve(named), channel_language(catalog.loop, named)
        owners = sorted({self.people.mention(m.meta.owner) for m in metrics if m.meta.owner})
        labels = [metric_label(m, m.name, lang) for m in metrics] or list(payload.get("metrics") or ())
        blocks = lb.freshness_blocks(payload["model"], payload["expected_day"], payload.get("latest_day"), labels,
                                     owners, lang)
        posted = self.client.chat_postMessage(channel=channel, blocks=blocks, metadata=metadata,
                                              text=lb.freshness_text(payload["model"], payload.get("latest_day"), lang))
        return posted["channel"], posted["ts"]


def _context(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "context", "block_id": block_id, "elements": [{"type": "mrkdwn", "text": text}]}


def notice_metadata(key: str) -> dict[str, Any]:
    """Slack message metadata naming the outbox notice a message carries."""
    return {"event_type": NOTICE_EVENT, "event_payload": {"key": key}}


def notice_key(message: dict[str, Any]) -> str | None:
    """The outbox key a Slack message carries in its metadata (None for any other message)."""
    meta = message.get("metadata") or {}
    return (meta.get("event_payload") or {}).get("key") if meta.get("event_type") == NOTICE_EVENT else None


def build_notifier(client: Any, store: Any, service: Any, chart_renderer: Any = None,
                   audience: Audience | None = None) -> SlackNotifier:
    """The notifier as the runtime wires it: the service's catalog and governed series, the app's renderer, and
    the channels' members (`audience`, one is made when not given) deciding who may read each notice."""
    audience = audience or Audience(client, lambda: service.catalog)
    return SlackNotifier(client, store, lambda: service.catalog, chart_renderer=chart_renderer,
                         series=service_series(service), audience=audience)
