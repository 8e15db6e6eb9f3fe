"""An answer measured against its target, when the question asks ("revenue vs target this month", "are we on track
for orders", 本月收入完成目标了吗). Pure.

The number is the answer's own; the target is the metric's governed `meta.target` (or an owner's newer target
from the thread, given by the caller). A target is kept per period (a month, a quarter …): an answer over that
period, or that period so far, is compared with it — on pace for a total that builds up through the period, as
the digest judges it; a level (a rate, an average) against the target itself. A question about a target the
metric does not have, or over a period the target is not kept for, is told so — never left silent.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Catalog, Target
from metricloop.core.loop.digest import accumulates, effective_target, progress
from metricloop.core.loop.digest_text import progress_text
from metricloop.core.present.formatting import format_value, metric_label
from metricloop.core.present.texts import say
from metricloop.core.time import calendar as cal


def target_note(catalog: Catalog, answer: Answer, lang: str = "en",
                adjustments: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> str | None:
    """The sentence comparing an answered single value with its metric's target (see the module docstring)."""
    note = _note(catalog, answer, lang, adjustments)
    if note and not note.endswith((".", "。")):
        note += "。" if lang == "zh" else "."  # a sentence of its own beside the summary and the freshness note
    return note


def _note(catalog: Catalog, answer: Answer, lang: str,
          adjustments: Mapping[str, Sequence[Mapping[str, Any]]] | None) -> str | None:
    query = answer.query
    if answer.status != "answered" or query is None or len(query.metrics) != 1:
        return None
    name = query.metrics[0]
    metric = catalog.metric(name)
    if metric is None:
        return None
    label = metric_label(metric, name, lang)
    target = effective_target(metric, (adjustments or {}).get(name, ()))
    if target is None:
        return say("target_none", lang, metric=label)
    value = _single_value(answer)
    span = (query.time_range.start, query.time_range.end) if query.time_range else None
    if value is None or query.dimensions or span is None or not _within_one(span, target):
        fmt = metric.meta.format
        return say("target_per_period", lang, metric=label, unit=say(f"unit_{target.period}", lang),
                   target=format_value(target.value, fmt, lang, compact=True))
    done = progress(target, value, span[1], accumulating=accumulates(catalog, metric))
    if done is None:
        return None
    if done.pace is not None and done.pace < 1:  # the period is under way: judged on pace, as the digest does
        return progress_text(done, metric.meta.format, lang)
    fmt = metric.meta.format  # a whole period, or a level: the target is met or not
    return say("target_result", lang, actual=format_value(done.actual, fmt, lang, compact=True),
               target=format_value(target.value, fmt, lang, compact=True), unit=say(f"unit_{target.period}", lang),
               share=_share(done.share), status=say("target_met" if done.on_track else "target_missed", lang),
               better=say(f"target_{target.direction}", lang))


def _share(share: float) -> str:
    """"98%"; one decimal where whole percents would hide a miss or a hit ($7.99M of $8M is 99.9%, not 100%)."""
    whole = f"{share:.0%}"
    return f"{share:.1%}" if whole == "100%" and share != 1 else whole


def _single_value(answer: Answer) -> float | None:
    metric_idx = [i for i, c in enumerate(answer.columns) if c.role == "metric"]
    if len(answer.rows) != 1 or len(metric_idx) != 1:
        return None
    value = answer.rows[0][metric_idx[0]]
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _within_one(span: tuple[Any, Any], target: Target) -> bool:
    """The answer covers one period of the target's grain from its first day (to its end, or so far)."""
    start, end = cal.full_period(span[0], target.period)
    return span[0] == start and span[1] <= end
