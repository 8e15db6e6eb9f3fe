"""A digest in words, English or Chinese, with the same number formats as answers. Pure.

Slack (slack/digest_blocks.py) lays these parts out as blocks; the CLI prints `digest_text`.
"""
from __future__ import annotations

from dataclasses import dataclass

from metricloop.core.catalog.model import Catalog, NumberFormat
from metricloop.core.loop.digest import Digest, DigestLine, Progress, latest_complete
from metricloop.core.present.formatting import format_change, format_period, format_value, metric_label
from metricloop.core.present.texts import say

_ARROWS = {1: "▲", -1: "▼", 0: "■"}


@dataclass(frozen=True)
class LineText:
    """One metric's line in words: its name, its value, and the details after it."""

    name: str
    value: str
    details: tuple[str, ...]
    notes: tuple[str, ...]  # open alerts, overdue actions, missing data


def _percent(share: float) -> str:
    return f"{share:.0%}"


def progress_text(p: Progress, fmt: NumberFormat | None, lang: str = "en") -> str:
    """'$6.1M of the $8M month target (76%, 90% of the month gone): behind' — for digests and answers alike."""
    status = say("digest_on_track" if p.on_track else "digest_behind", lang)
    fields = {"actual": format_value(p.actual, fmt, lang, compact=True),
              "target": format_value(p.target.value, fmt, lang, compact=True),
              "unit": say(f"unit_{p.target.period}", lang), "share": _percent(p.share), "status": status}
    if p.pace is not None:
        return say("digest_target_pace", lang, pace=_percent(p.pace), **fields)
    return say("digest_target_level", lang, **fields)


def line_text(catalog: Catalog, line: DigestLine, grain: str, lang: str = "en") -> LineText:
    """The words for one digest line."""
    metric = catalog.metric(line.metric)
    fmt = metric.meta.format if metric is not None else None
    r = line.reading
    unit = say(f"unit_{grain}", lang)
    details = []
    if line.change is not None:
        sign = (line.change > 0) - (line.change < 0)
        details.append(f"{_ARROWS[sign]} " + say("digest_vs_previous", lang, change=format_change(line.change, lang),
                                                  unit=unit))
    if line.change_year is not None:
        details.append(say("digest_vs_year", lang, change=format_change(line.change_year, lang)))
    if line.progress is not None:
        details.append(progress_text(line.progress, fmt, lang))
    notes = []
    if r.missing:
        notes.append(say("digest_missing", lang, period=format_period(r.period.isoformat(), grain, lang)))
    if r.open_alerts:
        notes.append(say("digest_open_alerts", lang, count=r.open_alerts))
    if r.overdue_actions:
        notes.append(say("digest_overdue_actions", lang, count=r.overdue_actions))
    return LineText(name=metric_label(metric, line.metric, lang), value=format_value(r.value, fmt, lang),
                    details=tuple(details), notes=tuple(notes))


def digest_title(digest: Digest, lang: str = "en") -> str:
    """'Metrics digest · Mar 10, 2026': the period the digest reports."""
    start, _ = latest_complete(digest.day, digest.grain)
    return say("digest_title", lang, period=format_period(start.isoformat(), digest.grain, lang))


def digest_text(catalog: Catalog, digest: Digest, lang: str = "en") -> str:
    """The whole digest as plain text (the CLI's `metricloop digest`)."""
    out = [digest_title(digest, lang)]
    for tier, lines in digest.sections:
        out.append("")
        out.append(say(f"tier_{tier}", lang))
        for line in lines:
            words = line_text(catalog, line, digest.grain, lang)
            out.append(f"  {words.name}: {words.value}")
            out.extend(f"    {part}" for part in (*words.details, *words.notes))
    return "\n".join(out)
