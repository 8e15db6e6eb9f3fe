"""One-sentence summaries of an answer (the key number, its change, the leader and laggard). Pure."""
from __future__ import annotations

import datetime as dt
from typing import Any

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.core.present.formatting import (
    MISSING,
    _is_number,
    change_between,
    format_change,
    format_period,
    format_points,
    format_range,
    format_value,
    metric_format,
    metric_label,
    rate_points,
    row_change,
)
from metricloop.core.present.result_notes import has_data
from metricloop.core.present.texts import say
from metricloop.core.query import CHANGE
from metricloop.core.time.calendar import period_end


def _plural(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _change_clause(change: float | None, lang: str, compare: str | None, prev_label: str | None,
                   prev_text: str | None, points: float | None = None) -> str:
    """', up 8.1% vs the previous period (was $1.1M)' / '，环比增长 8.1%（上期 $1.1M）'; '' when unknown. A rate
    changes by `points` ("up 2.1 pts", 增长 2.1 个百分点): a relative change of a rate reads as something else."""
    zh = lang == "zh"
    if points is not None:
        change = points
        pct = format_points(points, lang).lstrip("+-")
    elif change is None:
        return ""
    else:
        pct = format_change(change, lang).lstrip("+-")
    if round(change * 100, 1) == 0:
        direction = "持平" if zh else "flat"
    elif change > 0:
        direction = f"增长 {pct}" if zh else f"up {pct}"
    else:
        direction = f"下降 {pct}" if zh else f"down {pct}"
    if compare == "year_over_year":
        against = "同比" if zh else "vs the same period last year"
    elif compare == "previous_period":
        against = "环比" if zh else "vs the previous period"
    else:
        against = f"较{prev_label}" if zh else f"from {prev_label}"
    if zh:
        was = f"（上期 {prev_text}）" if prev_text and compare else ""
        return f"，{against}{direction}{was}"
    was = f" (was {prev_text})" if prev_text and compare else ""
    return f", {direction} {against}{was}"


def _en_in(period: str) -> str:
    """'Week of Apr 7, 2025' → 'the week of Apr 7, 2025', so it reads after 'in'."""
    return "the w" + period[1:] if period.startswith("Week of") else period


def _cols(answer: Answer, role: str) -> list[int]:
    return [i for i, c in enumerate(answer.columns) if c.role == role]


def _previous_value(answer: Answer, row: list[Any], metric: str | None) -> Any:
    return next((v for c, v in zip(answer.columns, row, strict=False)
                 if c.role == "previous" and c.metric == metric), None)


def summarize(answer: Answer, metrics: dict[str, Metric], lang: str = "en") -> str:
    """One sentence with the key number and, when known, its change against the comparison period — and, when the
    question asked, how it stands against its target."""
    text = _summary(answer, metrics, lang)
    if answer.status == "answered" and answer.target_note and answer.target_note not in text:
        return f"{text} {answer.target_note}".strip()
    return text


def _summary(answer: Answer, metrics: dict[str, Metric], lang: str) -> str:
    zh = lang == "zh"
    if answer.status != "answered":
        return answer.message or ""
    if answer.truncated:  # part of the rows: never summarised as if they were all of them
        return _partial(answer, metrics, lang)
    if answer.partial_data is not None and has_data(answer):  # the latest days have not (fully) arrived
        return _incomplete(answer, metrics, lang)
    metric_idx = _cols(answer, "metric")
    if not answer.rows or not metric_idx or not has_data(answer):
        return answer.message or say("no_data", lang)
    query = answer.query
    compare = query.compare if query else None
    grain = query.grain if query else None
    time_idx = next(iter(_cols(answer, "time")), None)
    dim_idx = _cols(answer, "dimension")
    first = answer.columns[metric_idx[0]]
    name = first.metric or first.name
    label = metric_label(metrics.get(name), name, lang)

    def value_text(v: Any, metric: str | None = name) -> str:
        return format_value(v, metric_format(metrics, metric), lang, compact=True)

    if time_idx is None and not dim_idx:
        row = answer.rows[0]
        parts = []
        for i in metric_idx:
            col = answer.columns[i]
            lab = metric_label(metrics.get(col.metric or col.name), col.metric or col.name, lang)
            parts.append((lab, value_text(row[i], col.metric)))
        prev = _previous_value(answer, row, name)
        clause = _change_clause(row_change(answer, row, name), lang, compare or "previous_period", None,
                                value_text(prev) if prev is not None else None,
                                rate_points(metric_format(metrics, name), row[metric_idx[0]], prev))
        period = format_range(query.time_range if query else None, lang)
        if zh:
            return f"{period}，" + "，".join(f"{lab}为 {val}" for lab, val in parts) + clause + "。"
        listed = " and ".join(f"{lab} was {val}" for lab, val in parts)
        return f"{listed} in {period}{clause}."

    if not dim_idx:  # a single time series: the latest point, its change, and the high
        rows = sorted((r for r in answer.rows if r[time_idx] is not None), key=lambda r: str(r[time_idx]))
        if not rows:
            return say("no_data", lang)
        last, i = rows[-1], metric_idx[0]
        when = format_period(str(last[time_idx]), grain, lang)
        if compare:
            prev = _previous_value(answer, last, name)
            clause = _change_clause(row_change(answer, last, name), lang, compare, None, value_text(prev),
                                    rate_points(metric_format(metrics, name), last[i], prev))
        elif len(rows) > 1:
            before = rows[-2]
            before_text = format_period(str(before[time_idx]), grain, lang)
            clause = _change_clause(change_between(last[i], before[i]), lang, None,
                                    before_text if zh else _en_in(before_text), None,
                                    rate_points(metric_format(metrics, name), last[i], before[i]))
        else:
            clause = ""
        valued = [r for r in rows if _is_number(r[i])]
        high = max(valued, key=lambda r: r[i]) if len(valued) > 2 else None
        if zh:
            unit = {"day": "天", "week": "周", "month": "个月", "quarter": "个季度", "year": "年"}[grain or "day"]
            tail = (f"；{len(rows)}{unit}中最高为{format_period(str(high[time_idx]), grain, lang)}的 "
                    f"{value_text(high[i])}") if high is not None and high is not last else ""
            return f"{when}{label}为 {value_text(last[i])}{clause}{tail}。"
        tail = ""
        if high is not None and high is not last:
            tail = (f"; the high over {len(rows)} {_plural(grain or 'day')} was {value_text(high[i])} in "
                    f"{_en_in(format_period(str(high[time_idx]), grain, lang))}")
        return f"{label} was {value_text(last[i])} in {_en_in(when)}{clause}{tail}."

    # a breakdown (of the latest period, when it is also a time series): the leader and the laggard
    rows = answer.rows
    if time_idx is not None:
        latest = max(str(r[time_idx]) for r in rows if r[time_idx] is not None)
        rows = [r for r in rows if str(r[time_idx]) == latest]
        period = format_period(latest, grain, lang)
    else:
        period = format_range(query.time_range if query else None, lang)
    i = metric_idx[0]
    ranked = sorted((r for r in rows if _is_number(r[i])), key=lambda r: r[i], reverse=True)
    if not ranked:
        return say("no_data", lang)

    def who(r: list[Any]) -> str:
        return " · ".join(MISSING if r[d] is None else str(r[d]) for d in dim_idx)

    dim_label = " · ".join(answer.columns[d].label for d in dim_idx)
    order = query.order_by[0] if query and query.order_by else None
    if order is not None and order.field.endswith(CHANGE) and compare and len(rows) > 1:
        # "biggest drop in revenue by region": the rows come ranked by their change; the first one leads
        lead = rows[0]
        lead_prev = _previous_value(answer, lead, name)
        clause = _change_clause(row_change(answer, lead, name), lang, compare, None, value_text(lead_prev),
                                rate_points(metric_format(metrics, name), lead[i], lead_prev))
        if zh:
            most = "降幅最大" if not order.descending else "增幅最大"
            return f"{period}，{label}{most}的{dim_label}是{who(lead)}（{value_text(lead[i])}{clause}）。"
        most = "biggest fall" if not order.descending else "biggest rise"
        return f"In {_en_in(period)}, {who(lead)} had the {most} in {label}: {value_text(lead[i])}{clause}."
    top, bottom = ranked[0], ranked[-1]
    top_prev = _previous_value(answer, top, name)
    clause = _change_clause(row_change(answer, top, name), lang, compare, None, value_text(top_prev),
                            rate_points(metric_format(metrics, name), top[i], top_prev)) if compare else ""
    n = len(ranked)
    if n == 1:  # one group (e.g. filtered to one region): say its value, not that it "led" alone
        return (f"{period}，{who(top)}的{label}为 {value_text(top[i])}{clause}。" if zh else
                f"In {_en_in(period)}, {label} for {who(top)} was {value_text(top[i])}{clause}.")
    if zh:
        low = f"；最低的是{who(bottom)}（{value_text(bottom[i])}）" if n > 1 else ""
        return f"{period}，{label}最高的{dim_label}是{who(top)}（{value_text(top[i])}）{clause}{low}，共 {n} 个。"
    low = f"; the lowest was {who(bottom)} ({value_text(bottom[i])})" if n > 1 else ""
    noun = _plural(dim_label) if len(dim_idx) == 1 else "groups"
    return f"In {_en_in(period)}, {who(top)} had the highest {label} ({value_text(top[i])}) of {n} {noun}{clause}{low}."


def _partial(answer: Answer, metrics: dict[str, Metric], lang: str) -> str:
    """The summary of a result cut by the row cap. Rows come ordered by time first, so every period before the
    last one present is complete: those are summarised and the cut is named. A breakdown (or a time series
    in another order) is not: its highest, lowest and count would describe part of the groups as all."""
    zh = lang == "zh"
    query = answer.query
    grain = query.grain if query else None
    whole = answer.model_copy(update={"truncated": False, "message": None})
    time_idx = next(iter(_cols(answer, "time")), None)
    dim_idx = _cols(answer, "dimension")
    period = format_range(query.time_range if query else None, lang)
    if time_idx is not None and not (query and query.order_by):
        periods = sorted({str(r[time_idx]) for r in answer.rows if r[time_idx] is not None})
        complete = periods[:-1] if dim_idx else periods  # with groups, the last period may have lost some
        if complete:
            kept = [r for r in answer.rows if r[time_idx] is not None and str(r[time_idx]) <= complete[-1]]
            head = summarize(whole.model_copy(update={"rows": kept}), metrics, lang)
            last = format_period(complete[-1], grain, lang)
            return head + ("" if zh else " ") + say("partial_series", lang, last=last if zh else _en_in(last))
        if periods:
            period = format_period(periods[0], grain, lang)
    first = next((answer.columns[i] for i in _cols(answer, "metric")), None)
    name = (first.metric or first.name) if first else (answer.metrics or [""])[0]
    if time_idx is not None and (query and query.order_by):  # periods and groups in another order: just rows
        noun = "行" if zh else "rows"
    elif len(dim_idx) == 1:
        noun = answer.columns[dim_idx[0]].label if zh else _plural(answer.columns[dim_idx[0]].label)
    else:
        noun = "组" if zh else "groups"
    return say("partial_breakdown", lang, label=metric_label(metrics.get(name), name, lang),
               rows=f"{len(answer.rows):,}", noun=noun, period=period)


def _without_change(answer: Answer) -> Answer:
    """The answer without its comparison: a period whose data is partial is compared with nothing."""
    keep = [i for i, c in enumerate(answer.columns) if c.role not in ("previous", "change")]
    query = answer.query.model_copy(update={"compare": None}) if answer.query else None
    return answer.model_copy(update={"query": query, "columns": [answer.columns[i] for i in keep],
                                     "rows": [[r[i] for i in keep if i < len(r)] for r in answer.rows]})


def _incomplete(answer: Answer, metrics: dict[str, Metric], lang: str) -> str:
    """The summary of an answer whose latest days have not (fully) arrived, followed by the note naming them.

    A period holding such a day is never compared with a complete one (a late load is not a collapse): a series
    is summarised up to its latest complete period, and a lone partial period is given without any change."""
    partial = answer.partial_data
    if partial.nothing_in:  # no day asked about has arrived: whatever number is there (a spine's 0) is no number
        return partial.note
    whole = answer.model_copy(update={"partial_data": None, "message": None})
    time_idx = next(iter(_cols(answer, "time")), None)
    grain = (answer.query.grain if answer.query else None) or "day"
    if time_idx is None:
        head = summarize(_without_change(whole), metrics, lang)
    else:
        dated = [r for r in answer.rows if r[time_idx] is not None]
        kept = [r for r in dated
                if period_end(dt.date.fromisoformat(str(r[time_idx])[:10]), grain) < partial.incomplete_from]
        if not kept:  # only partial periods: the latest one alone, compared with nothing
            latest = max((str(r[time_idx]) for r in dated), default=None)
            kept = [r for r in dated if str(r[time_idx]) == latest]
            whole = _without_change(whole)
        head = summarize(whole.model_copy(update={"rows": kept}), metrics, lang)
    return head + ("" if lang == "zh" else " ") + partial.note
