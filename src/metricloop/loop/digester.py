"""Digests: governed queries per metric → core/loop/digest content → Slack (or the terminal), once per day.

Every number comes from a MetricQuery run through `MetricService.query`, the compiler and engine answers use,
under the recipient's access rules (a channel digest as the channel, a user's as the user); a metric the
recipient may not see is left out. Per metric, two queries:

- the recent periods at the digest's grain with `compare: year_over_year` — the latest complete period, the
  one before it (change vs the previous period), its value a year earlier, and the sparkline;
- when the metric has a target (catalog or an owner's adjustment), its value over the target's period so far.

Sending is idempotent: the store claims (target, day) before posting, so a re-run of the job, a second
process or `metricloop digest` after the scheduler never sends a digest twice; an empty digest is recorded
and never sent.

Who reads a digest decides what is in it: with an `audience` (the Slack runtime passes
slack/audience.Audience.for_target), a channel's digest is run under the intersection of its members' policies,
so it holds nothing some member may not see; a user's digest under that user's policy. Without one (the
terminal), the target is read as itself (a user id, or a channel loop.yml's `access:` may name).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from metricloop.core.loop.digest import Digest, Reading, build_digest, effective_target, latest_complete
from metricloop.core.present.formatting import metric_label
from metricloop.core.present.sparkline import sparklines_spec
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.core.time import calendar as cal
from metricloop.errors import log_internal_error
from metricloop.loop.digest_targets import DigestTarget, digest_grain, digest_targets

log = logging.getLogger(__name__)

SPARK_PERIODS = {"day": 28, "week": 12, "month": 12, "quarter": 8, "year": 5}
MAX_SPARKLINES = 12


class DigestPoster(Protocol):
    """Where digests go: Slack (slack/digest_blocks.SlackDigestPoster) or the terminal."""

    def post(self, channel: str, digest: Digest, lang: str, chart: dict[str, Any] | None) -> tuple[str, str]:
        """Post `digest` (and its chart spec, if any) to `channel`; return the (channel id, ts) it landed at."""
        ...


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass
class Digester:
    """Builds digests, and sends them through `poster` (None: build only)."""

    service: Any  # metricloop.service.MetricService
    store: Any  # adapters.store.SQLiteStore (follows, alerts, actions, adjustments, digests sent)
    poster: DigestPoster | None = None
    audience: Callable[[str], Any] | None = None  # a target's key -> the Policy of everyone who reads it

    @property
    def catalog(self) -> Any:
        return self.service.catalog

    def targets(self) -> list[DigestTarget]:
        """Everyone who gets a digest (see loop/digest_targets.py)."""
        return digest_targets(self.catalog, self.store)

    # -- content ------------------------------------------------------------------------------------------
    def build(self, target: DigestTarget, day: dt.date) -> Digest:
        """The digest `target` gets on `day` (reporting the latest complete period before it)."""
        grain = digest_grain(self.catalog)
        alerts, overdue = self._open_items(day)
        readings, adjustments = [], {}
        reader = self.reader(target)
        for name in target.metrics:
            metric = self.catalog.metric(name)
            if metric is None:
                log.warning("digest for %s names an unknown metric %r", target.key, name)
                continue
            payloads = [a.payload for a in self.store.adjustments(name, kind="target")]
            adjustments[name] = payloads
            reading = self._reading(name, target, reader, day, grain, effective_target(metric, payloads))
            if reading is not None:
                readings.append(replace(reading, open_alerts=alerts[name], overdue_actions=overdue[name]))
        return build_digest(self.catalog, target.key, day, readings, adjustments=adjustments, grain=grain)

    def reader(self, target: DigestTarget) -> Any:
        """Whose access rules the target's digest runs under: everyone reading it (with an `audience`)."""
        return self.audience(target.key) if self.audience is not None else target.identity

    def _run(self, query: MetricQuery, target: DigestTarget, reader: Any, day: dt.date) -> Any:
        answer = self.service.query(query, user=reader, lang=target.language, today=day)
        if answer.status != "answered":
            # denied: the recipient may not see it; error: logged by the service; either way it is left out
            log.info("digest %s: %s for %s (%s)", target.key, answer.status, query.metrics[0], answer.message)
            return None
        return answer

    def _reading(self, name: str, target: DigestTarget, reader: Any, day: dt.date, grain: str,
                 goal: Any) -> Reading | None:
        start, end = latest_complete(day, grain)
        first = cal.add_periods(start, grain, -(SPARK_PERIODS.get(grain, 12) - 1))  # type: ignore[arg-type]
        series_q = MetricQuery(metrics=(name,), grain=grain, time_range=TimeRange(start=first, end=end),
                               compare="year_over_year")
        answer = self._run(series_q, target, reader, day)
        if answer is None:
            return None
        roles = {c.role: i for i, c in enumerate(answer.columns)}
        values = {_date(r[roles["time"]]): _number(r[roles["metric"]]) for r in answer.rows}
        year_ago = {_date(r[roles["time"]]): _number(r[roles["previous"]]) for r in answer.rows}
        previous_start = cal.add_periods(start, grain, -1)  # type: ignore[arg-type]
        to_date = None
        if goal is not None:
            since = cal.period_start(end, goal.period)
            total = self._run(MetricQuery(metrics=(name,), time_range=TimeRange(start=since, end=end)), target, reader,
                              day)
            if total is not None and total.rows:
                to_date = _number(total.rows[0][[c.role for c in total.columns].index("metric")])
        series = tuple(sorted(values.items()))
        return Reading(metric=name, period=start, value=values.get(start), previous=values.get(previous_start),
                       year_ago=year_ago.get(start), to_date=to_date, series=series,
                       missing=values.get(start) is None and any(v is not None for v in values.values()))

    def _open_items(self, day: dt.date) -> tuple[Counter[str], Counter[str]]:
        """Open (unresolved) alerts and overdue open actions, counted per metric."""
        alerts = Counter(a.metric for a in self.store.alerts() if a.status != "resolved")
        overdue: Counter[str] = Counter()
        for action in self.store.actions(status="open", due_on_or_before=day - cal.ONE_DAY):
            alert = self.store.get_alert(action.alert_id)
            if alert is not None:
                overdue[alert.metric] += 1
        return alerts, overdue

    # -- sending ------------------------------------------------------------------------------------------
    def send(self, target: DigestTarget, day: dt.date, now: dt.datetime, digest: Digest | None = None) -> str:
        """Send `target`'s digest for `day` once: 'sent', 'empty' (nothing to say, not sent) or 'already'.
        `digest`: one already built for them (the CLI prints what it sends)."""
        if not self.store.claim_digest(target.key, day, now):
            return "already"
        try:
            digest = digest or self.build(target, day)
            if digest.empty:
                self.store.finish_digest(target.key, day, empty=True)
                return "empty"
            if self.poster is None:
                raise RuntimeError("this Digester was built without a poster")
            lang = target.language
            channel, ts = self.poster.post(target.key, digest, lang, self.sparklines(digest, lang))
        except Exception:
            self.store.release_digest(target.key, day)  # not sent: a later run may try again
            raise
        self.store.finish_digest(target.key, day, channel=channel, ts=ts)
        # replies in the digest's thread are owners' adjustments: the thread knows its metrics and language
        # ...and which definition version of each metric produced its numbers (the changelog's hashes)
        metrics = [line.metric for line in digest.lines]
        self.store.save_thread(channel, ts, {"kind": "digest", "day": day.isoformat(), "language": lang,
                                             "metrics": metrics, "definitions": self.service.definitions(metrics)})
        return "sent"

    def send_all(self, day: dt.date, now: dt.datetime | None = None) -> dict[str, str]:
        """Send every target's digest for `day`; one failing target does not stop the others."""
        now = now or self.service.clock.now()
        outcomes = {}
        for target in self.targets():
            try:
                outcomes[target.key] = self.send(target, day, now)
            except Exception as exc:  # noqa: BLE001 - logged with an id; the next target still gets its digest
                outcomes[target.key] = "failed:" + log_internal_error(exc, f"digest for {target.key} on {day}")
        return outcomes

    def sparklines(self, digest: Digest, lang: str) -> dict[str, Any] | None:
        """The digest's sparkline chart spec (None when no line has a series)."""
        rows = [(metric_label(self.catalog.metric(line.metric), line.metric, lang), line.reading.series)
                for line in digest.lines if line.reading.series][:MAX_SPARKLINES]
        if not rows:
            return None
        count = max(len(series) for _, series in rows)
        unit = say(f"unit_{digest.grain}", lang)
        return sparklines_spec(rows, say("digest_chart_title", lang, count=count, unit=unit))
