"""What an answer says about its own completeness: cut by the row cap, empty, about a period that has not
happened yet, or reaching days whose data has not (fully) arrived. Pure.

The service puts the note in the answer's `message` (so `--json` carries it), and the summary, the terminal
and Slack read the same helpers, so no front end shows "—" for "no data" or a partial table as a whole one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from metricloop.core.answer import Answer, PartialData
from metricloop.core.catalog.model import Metric
from metricloop.core.present.formatting import format_period, format_range, metric_label
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery
from metricloop.core.time.calendar import period_end

DAY = dt.timedelta(days=1)
Span = tuple[dt.date, dt.date]  # first and last day, inclusive


def has_data(answer: Answer) -> bool:
    """Whether any metric cell holds a value: an aggregate over no rows comes back as one row of NULLs."""
    metric_idx = [i for i, c in enumerate(answer.columns) if c.role == "metric"]
    if not metric_idx:
        return bool(answer.rows)
    return any(row[i] is not None for row in answer.rows for i in metric_idx if i < len(row))


def _labels(names: tuple[str, ...] | list[str], metrics: dict[str, Metric], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(metric_label(metrics.get(n), n, lang) for n in names)


def result_note(answer: Answer, metrics: dict[str, Metric], lang: str = "en") -> str | None:
    """The sentence an answered query carries about its rows: cut by the row cap, or no data; else None."""
    if answer.status != "answered":
        return answer.message
    if answer.truncated:
        return say("truncated_result", lang, rows=f"{len(answer.rows):,}")
    if has_data(answer):
        return None
    names = _labels(answer.metrics, metrics, lang)
    time_range = answer.query.time_range if answer.query else None
    if time_range is None:
        return say("no_data_ever", lang, metrics=names)
    return say("no_data_for", lang, metrics=names, period=format_range(time_range, lang))


def not_yet_note(query: MetricQuery, today: dt.date, lang: str = "en") -> str | None:
    """'No data yet' when the whole period asked for lies after `today`; None when any of it has happened."""
    if query.time_range is None or query.time_range.start <= today:
        return None
    return say("no_data_yet", lang, period=format_range(query.time_range, lang))


@dataclass(frozen=True)
class Loaded:
    """How far one semantic model's data has arrived, as an answer's note reads it."""

    label: str  # the model as people call it ("Orders")
    latest: dt.date | None  # its latest day with rows, up to today (None: none found)
    complete_through: dt.date  # the last day that counts as complete: today minus loop.yml's complete_after_days


def _span(first: dt.date, last: dt.date) -> Span | None:
    return (first, last) if first <= last else None


def _days(span: Span, lang: str) -> str:
    first, last = (format_period(d.isoformat(), "day", lang) for d in span)
    return first if span[0] == span[1] else say("fresh_days", lang, first=first, last=last)


def _time_cells(answer: Answer) -> list[dt.date]:
    idx = next((i for i, c in enumerate(answer.columns) if c.role == "time"), None)
    if idx is None:
        return []
    return [dt.date.fromisoformat(str(r[idx])[:10]) for r in answer.rows if idx < len(r) and r[idx] is not None]


def _consequence(answer: Answer, first_incomplete: dt.date, nothing_in: bool, lang: str) -> str:
    """What the incomplete days do to the numbers shown: the last period of a series, or the one number
    (`nothing_in`: no day asked about has arrived, so a number shown — a day spine's 0 — counts nothing)."""
    if not has_data(answer):
        return ""  # no number is shown: the sentence about the days is the whole story
    if nothing_in:
        return say("fresh_none_counted", lang)
    if not any(c.role == "time" for c in answer.columns):
        return say("fresh_total_partial", lang)
    grain = (answer.query.grain if answer.query else None) or "day"
    periods = _time_cells(answer)
    if periods and period_end(max(periods), grain) >= first_incomplete:
        return say("fresh_last_partial", lang, unit=say(f"unit_{grain}", lang))
    return ""  # the series simply ends before the missing days


def freshness_note(answer: Answer, loaded: Sequence[Loaded], today: dt.date) -> PartialData | None:
    """The note an answered question carries when its period (up to `today`) reaches days after a model's latest
    loaded day, or days still inside its `complete_after_days`; None when every day asked about is complete.

    A period entirely after today is `not_yet_note`'s: days that have not happened are not late."""
    query, lang = answer.query, answer.language
    if answer.status != "answered" or query is None:
        return None
    start = query.time_range.start if query.time_range else dt.date.min
    end = min(query.time_range.end, today) if query.time_range else today
    groups: dict[tuple[dt.date, Span | None, Span | None], list[str]] = {}
    for model in loaded:
        if model.latest is None or start > end:
            continue  # nothing loaded at all is the "no data" note's to say
        missing = _span(max(start, model.latest + DAY), end)
        partial = _span(max(start, model.complete_through + DAY), min(end, model.latest))
        if missing or partial:
            groups.setdefault((model.latest, missing, partial), []).append(model.label)
    if not groups:
        return None
    sentences = []
    for (latest, missing, partial), labels in groups.items():
        text = say("fresh_loaded", lang, models=("、" if lang == "zh" else ", ").join(labels),
                   latest=format_period(latest.isoformat(), "day", lang))
        if partial:
            text += say("fresh_partial", lang, days=_days(partial, lang))
        if missing:
            text += say("fresh_missing_day" if missing[0] == missing[1] else "fresh_missing_days", lang,
                        days=_days(missing, lang))
        sentences.append(text)
    first = min(span[0] for _, missing, partial in groups for span in (missing, partial) if span)
    nothing_in = all(partial is None and missing == (start, end) for _, missing, partial in groups)
    end_mark = say("fresh_end", lang)
    note = ((end_mark + ("" if lang == "zh" else " ")).join(sentences) + _consequence(answer, first, nothing_in, lang)
            + end_mark)
    return PartialData(incomplete_from=first, note=note, nothing_in=nothing_in)


def with_freshness(answer: Answer, loaded: Sequence[Loaded], today: dt.date) -> Answer:
    """`answer` with its freshness note (see `freshness_note`) in `partial_data` and `message`; unchanged when
    every day it asks about is complete. An empty answer whose whole period is late says why instead of
    "no data"; any other note (the row cap) is kept beside it."""
    partial = freshness_note(answer, loaded, today)
    if partial is None:
        return answer
    query = answer.query
    whole_period_late = query.time_range is not None and partial.incomplete_from <= query.time_range.start
    if not has_data(answer) and whole_period_late:
        message = partial.note
    else:
        message = " ".join(m for m in (answer.message, partial.note) if m)
    return answer.model_copy(update={"partial_data": partial, "message": message})
