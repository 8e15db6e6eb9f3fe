"""Answer → rich renderables for `metricloop ask/query/chat`: title, summary, table, chart path, SQL.

Uses the same formatting and the same text table (core/present/texts) as Slack, so both front ends say
the same thing.
"""
from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.core.present.formatting import format_range, metric_label, table_view
from metricloop.core.present.result_notes import has_data
from metricloop.core.present.summary import summarize
from metricloop.core.present.texts import say

TERMINAL_ROWS = 50


def answer_table(answer: Answer, metrics: dict[str, Metric], max_rows: int = TERMINAL_ROWS) -> Table:
    """The result as a rich Table, numbers right-aligned."""
    headers, body, numeric = table_view(answer, metrics, answer.language, max_rows)
    table = Table(show_header=True, header_style="bold", show_edge=False, pad_edge=False)
    for header, num in zip(headers, numeric, strict=False):
        table.add_column(header, justify="right" if num else "left", no_wrap=num)
    for row in body:
        table.add_row(*row)
    return table


def _options(answer: Answer, metrics: dict[str, Metric], lead: str) -> list[RenderableType]:
    lines = [Text(lead, style="bold")]
    for i, o in enumerate(answer.options, 1):
        label = metric_label(metrics.get(o.metric), o.metric, answer.language) if o.metric in metrics else o.label
        lines.append(Text.assemble(f"  {i}. ", (label, "cyan"), f"  ({o.metric})"))
    return lines


def render_answer(answer: Answer, metrics: dict[str, Metric], *, chart_path: str | Path | None = None,
                  show_sql: bool = False, max_rows: int = TERMINAL_ROWS) -> Group:
    """Everything to print for one answer, as one rich Group."""
    lang = answer.language
    parts: list[RenderableType] = []
    if answer.status == "answered":
        title = answer.interpretation or ", ".join(answer.metrics)
        if title:
            parts.append(Text(title, style="bold underline"))
        parts.append(Text(summarize(answer, metrics, lang)))
        if answer.rows and answer.columns and has_data(answer):  # no table of "—" when there is no data
            parts.append(answer_table(answer, metrics, max_rows))
            if len(answer.rows) > max_rows:
                parts.append(Text(say("rows_shown", lang, shown=max_rows, total=len(answer.rows)), style="dim italic"))
        if answer.truncated:
            parts.append(Text(answer.message or say("rows_capped", lang), style="dim italic"))
        context = [say("context_metric", lang, metrics=", ".join(answer.metrics))] if answer.metrics else []
        owners = list(dict.fromkeys(m.meta.owner for n in answer.metrics if (m := metrics.get(n)) and m.meta.owner))
        if owners:
            context.append(say("context_owner", lang, owner=", ".join(owners)))
        if answer.query is not None:
            context.append(say("context_period", lang, period=format_range(answer.query.time_range, lang)))
        if context:
            parts.append(Text(" · ".join(context), style="dim"))
        if chart_path:
            parts.append(Text(say("chart_path", lang, path=str(chart_path)), style="dim"))
    elif answer.status == "clarify":
        parts.append(Text(answer.message or say("clarify_intro", lang), style="yellow"))
        parts += _options(answer, metrics, say("did_you_mean", lang))
    elif answer.status == "no_match":
        parts.append(Text(answer.message or say("no_match", lang), style="yellow"))
        parts += _options(answer, metrics, say("no_match_suggest", lang)) if answer.options else \
            [Text(say("no_match_none_terminal", lang), style="dim")]  # a terminal has no /metrics command
    elif answer.status == "denied":
        parts.append(Text(answer.message or say("denied", lang), style="red"))
    else:
        parts.append(Text(answer.message or say("error_generic", lang), style="red"))
    if show_sql and answer.sql:
        parts.append(Text(say("sql_title", lang), style="bold"))
        parts.append(Syntax(answer.sql, "sql", word_wrap=True, theme="ansi_dark"))
    return Group(*parts)


def print_answer(console: Console, answer: Answer, metrics: dict[str, Metric], **options) -> None:  # noqa: ANN003
    """Print `render_answer(...)` to `console` (options as for render_answer)."""
    console.print(render_answer(answer, metrics, **options))
