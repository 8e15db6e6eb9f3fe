"""What an answer says about its own completeness: cut by the row cap, empty, or about a period that has not
happened yet. Pure.

The service puts the note in the answer's `message` (so `--json` carries it), and the summary, the terminal
and Slack read the same helpers, so no front end shows "—" for "no data" or a partial table as a whole one.
"""
from __future__ import annotations

import datetime as dt

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.core.present.formatting import format_range, metric_label
from metricloop.core.present.texts import say
from metricloop.core.query import MetricQuery


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
