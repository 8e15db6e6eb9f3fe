"""Answer → Slack Block Kit, built with slack_sdk's model classes. Pure (no Web API calls).

Layout of an answer: header (interpretation) · summary sentence · table (Slack's table block, or
section fields) · truncation note · context (metric, owner, period) · "Show SQL" button.
`check_block_limits` holds the limits Slack enforces that slack_sdk's models do not; the tests and
the fake Slack server both use it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Literal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
    TableBlock,
)
from slack_sdk.models.blocks.basic_components import RawTextObject, TableBlockColumnSettings

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.core.loop.word_gaps import gap_of
from metricloop.core.present.formatting import format_range, metric_label, table_view
from metricloop.core.present.result_notes import has_data
from metricloop.core.present.summary import summarize
from metricloop.slack import messages as msg
from metricloop.slack.limits import (
    ACTION_ID_MAX,
    ACTIONS_ELEMENTS_MAX,
    BLOCK_ID_MAX,
    BUTTON_TEXT_MAX,
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    FIELD_MAX,
    FIELDS_MAX,
    HEADER_MAX,
    MAX_BLOCKS,
    SECTION_MAX,
    TABLE_COLUMNS_MAX,
    TABLE_ROWS_MAX,
)
from metricloop.slack.teaching_blocks import TEACH_OPEN_ACTION, teach_value

SHOW_SQL_ACTION = "show_sql"
CLARIFY_ACTION = "clarify_pick"
# Slack rejects duplicate action_ids inside one block, so option buttons carry an index suffix.
CLARIFY_ACTION_RE = re.compile(rf"^{CLARIFY_ACTION}(:\d+)?$")
DEFAULT_ROWS = 20
_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _esc(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lang(answer: Answer, lang: str | None) -> str:
    return lang or answer.language or "en"


def _section(text: str, block_id: str | None = None) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=_clip(text, SECTION_MAX)), block_id=block_id).to_dict()


def _context(parts: Sequence[str], block_id: str | None = None) -> dict:
    elements = [MarkdownTextObject(text=_clip(p, SECTION_MAX)) for p in parts[:CONTEXT_ELEMENTS_MAX]]
    return ContextBlock(elements=elements, block_id=block_id).to_dict()


def _button(label: str, action_id: str, value: str | None, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=_clip(label, BUTTON_TEXT_MAX), action_id=action_id,
                         value=value[:BUTTON_VALUE_MAX] if value else None, style=style)


def _owner(owner: str) -> str:
    return f"<@{owner}>" if _SLACK_ID.match(owner) else _esc(owner)


def table_block(answer: Answer, metrics: dict[str, Metric], lang: str, max_rows: int) -> dict:
    """Slack's table block: a header row then data rows, numbers right-aligned."""
    headers, body, numeric = table_view(answer, metrics, lang, max_rows, TABLE_COLUMNS_MAX)
    rows = [[RawTextObject(text=cell or "—") for cell in row] for row in [headers, *body]]
    settings = [TableBlockColumnSettings(align="right") if n
                else TableBlockColumnSettings(align="left", is_wrapped=True) for n in numeric]
    return TableBlock(rows=rows, column_settings=settings, block_id="ml_table").to_dict()


def field_blocks(answer: Answer, metrics: dict[str, Metric], lang: str, max_rows: int) -> list[dict]:
    """The fallback: one section field per row ('*East*' then its values), ten fields per section."""
    headers, body, numeric = table_view(answer, metrics, lang, max_rows, TABLE_COLUMNS_MAX)
    fields = []
    for row in body:
        keys = [c for c, n in zip(row, numeric, strict=False) if not n] or [headers[0]]
        values = [f"{h}: {c}" for h, c, n in zip(headers, row, numeric, strict=False) if n]
        text = f"*{_esc(' · '.join(keys))}*\n{_esc(' · '.join(values))}"
        fields.append(MarkdownTextObject(text=_clip(text, FIELD_MAX)))
    return [SectionBlock(fields=fields[i: i + FIELDS_MAX], block_id=f"ml_fields_{i // FIELDS_MAX}").to_dict()
            for i in range(0, len(fields), FIELDS_MAX)]


def _context_parts(answer: Answer, metrics: dict[str, Metric], lang: str) -> list[str]:
    names = answer.metrics or sorted({c.metric for c in answer.columns if c.metric})
    labels = ", ".join(f"{_esc(metric_label(metrics.get(n), n, lang))} (`{n}`)" for n in names)
    parts = [msg.context_metric(labels, lang)] if labels else []
    owners = list(dict.fromkeys(m.meta.owner for n in names if (m := metrics.get(n)) and m.meta.owner))
    if owners:
        parts.append(msg.context_owner(", ".join(_owner(o) for o in owners), lang))
    if answer.query is not None:
        parts.append(msg.context_period(format_range(answer.query.time_range, lang), lang))
    if answer.elapsed_ms:
        parts.append(msg.context_elapsed(answer.elapsed_ms, lang))
    return parts


def _header(answer: Answer, metrics: dict[str, Metric], lang: str) -> dict:
    title = answer.interpretation or ", ".join(metric_label(metrics.get(n), n, lang) for n in answer.metrics)
    return HeaderBlock(text=_clip(title or "metricloop", HEADER_MAX), block_id="ml_header").to_dict()


def answer_blocks(answer: Answer, metrics: dict[str, Metric], *, show_sql_button: bool = True,
                  sql_ref: str | None = None, table: Literal["table", "fields"] = "table",
                  max_rows: int = DEFAULT_ROWS, lang: str | None = None) -> list[dict]:
    """Blocks for an answered question. The Show SQL button's value is the SQL itself when it fits
    (so it survives restarts), else `sql_ref` for the caller to resolve (no value without one)."""
    lang = _lang(answer, lang)
    blocks = [_header(answer, metrics, lang), _section(_esc(summarize(answer, metrics, lang)), "ml_summary")]
    if answer.rows and answer.columns and has_data(answer):  # no table of "—" when there is no data
        max_rows = min(max_rows, TABLE_ROWS_MAX - 1)  # the header row counts against the table's 100
        blocks += [table_block(answer, metrics, lang, max_rows)] if table == "table" else \
            field_blocks(answer, metrics, lang, max_rows)
        notes = []
        if len(answer.rows) > max_rows:
            notes.append(msg.rows_shown(max_rows, len(answer.rows), lang))
        if answer.truncated:
            notes.append(_esc(answer.message) if answer.message else msg.rows_capped(lang))
        if len(answer.columns) > TABLE_COLUMNS_MAX:
            notes.append(msg.columns_shown(TABLE_COLUMNS_MAX, len(answer.columns), lang))
        if notes:
            blocks.append(_context([f"_{n}_" for n in notes], "ml_truncated"))
    elif not answer.rows and not answer.message:  # a message (no data, not yet) is already the summary
        blocks.append(_section(msg.no_rows(lang), "ml_no_rows"))
    blocks.append(_context(_context_parts(answer, metrics, lang) or ["metricloop"], "ml_context"))
    if show_sql_button and answer.sql:
        value = answer.sql if len(answer.sql) <= BUTTON_VALUE_MAX else sql_ref
        blocks.append(ActionsBlock(elements=[_button(msg.show_sql_button(lang), SHOW_SQL_ACTION, value)],
                                   block_id="ml_actions").to_dict())
    return blocks


def clarify_value(metric: str, question: str | None) -> str:
    """A button value carrying the chosen metric and the original question, within Slack's 2000 chars."""
    payload = {"m": metric, "q": question or ""}
    value = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    while len(value) > BUTTON_VALUE_MAX:  # shorten the question, never the metric
        payload["q"] = payload["q"][: len(payload["q"]) - (len(value) - BUTTON_VALUE_MAX) - 1]
        value = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return value


def parse_clarify_value(value: str) -> tuple[str, str | None]:
    """(metric, question) from a clarify button's value; a bare metric name is accepted too."""
    try:
        data = json.loads(value)
    except ValueError:
        return value, None
    if isinstance(data, dict) and isinstance(data.get("m"), str):
        return data["m"], data.get("q") or None
    return value, None


def _option_buttons(answer: Answer, metrics: dict[str, Metric], question: str | None, lang: str) -> list[dict]:
    buttons = [
        _button(metric_label(metrics.get(o.metric), o.metric, lang) if o.metric in metrics else o.label,
                f"{CLARIFY_ACTION}:{i}", clarify_value(o.metric, question), style="primary" if i == 0 else None)
        for i, o in enumerate(answer.options[:ACTIONS_ELEMENTS_MAX])
    ]
    return [ActionsBlock(elements=buttons, block_id="ml_options").to_dict()] if buttons else []


def clarify_blocks(answer: Answer, metrics: dict[str, Metric] | None = None, *, question: str | None = None,
                   lang: str | None = None) -> list[dict]:
    """'Did you mean' with one button per candidate metric."""
    lang, metrics = _lang(answer, lang), metrics or {}
    intro = _esc(answer.message) if answer.message else msg.clarify_intro(lang)
    return [_section(f"{intro}\n*{msg.did_you_mean(lang)}*", "ml_clarify"),
            *_option_buttons(answer, metrics, question, lang), *_teach_hint(answer, metrics, lang)]


def _teach_hint(answer: Answer, metrics: dict[str, Metric], lang: str) -> list[dict]:
    # the way out of a word the catalog does not have: its owner teaches it once (slack/teaching.py) — in two
    # fields prefilled from this reply where it names the words (slack/teaching_blocks.py)
    hint = _context([msg.text("teach_hint", lang)], "ml_teach_hint")
    phrase, kind = gap_of(answer.message)
    if not phrase:
        return [hint]
    # (the metric asked back about first; a no-match's nearest metrics are no reading of the words)
    first = metrics.get(answer.options[0].metric) if answer.options and kind == "metric" \
        and answer.status == "clarify" else None
    value = teach_value(phrase, first.display_name if first else "", lang)
    button = _button(msg.text("teach_button", lang), TEACH_OPEN_ACTION, value)
    return [hint, ActionsBlock(elements=[button], block_id="ml_teach").to_dict()]


def no_match_blocks(answer: Answer, metrics: dict[str, Metric] | None = None, *, question: str | None = None,
                    lang: str | None = None) -> list[dict]:
    """A plain 'no governed metric fits', with the nearest metrics offered as buttons."""
    lang, metrics = _lang(answer, lang), metrics or {}
    head = _esc(answer.message) if answer.message else msg.no_match(lang)
    if not answer.options:
        return [_section(f"{head}\n{msg.no_match_none(lang)}", "ml_no_match"), *_teach_hint(answer, metrics, lang)]
    return [_section(f"{head}\n{msg.no_match_suggest(lang)}", "ml_no_match"),
            *_option_buttons(answer, metrics, question, lang), *_teach_hint(answer, metrics, lang)]


def error_blocks(message: str | None, error_id: str | None = None, lang: str = "en") -> list[dict]:
    """A short apology (or the UserError's message) and, for internal errors, the id to quote."""
    blocks = [_section(f":warning: {_esc(message or msg.error_generic(lang))}", "ml_error")]
    if error_id:
        blocks.append(_context([msg.error_id(error_id, lang)], "ml_error_id"))
    return blocks


def timeout_blocks(seconds: float | None, sql: str | None = None, lang: str = "en") -> list[dict]:
    """The timeout reply, with the SQL that was stopped so an analyst can take it further."""
    return error_blocks(msg.timeout(seconds, lang), lang=lang) + (sql_blocks(sql, lang) if sql else [])


def sql_blocks(sql: str, lang: str = "en") -> list[dict]:
    """The compiled SQL as a code block; shortened (with a note) if it would not fit one section."""
    room = SECTION_MAX - len(msg.sql_title(lang)) - 16  # the title line and the ``` fences
    shown = sql if len(sql) <= room else sql[:room]
    blocks = [_section(f"*{msg.sql_title(lang)}*\n```{_esc(shown)}```", "ml_sql")]
    if len(_esc(shown)) > room:  # escaping can lengthen it; re-cut so the section stays valid
        shown = shown[: room - (len(_esc(shown)) - len(shown))]
        blocks = [_section(f"*{msg.sql_title(lang)}*\n```{_esc(shown)}```", "ml_sql")]
    if len(shown) < len(sql):
        blocks.append(_context([msg.sql_truncated(len(shown), len(sql), lang)], "ml_sql_note"))
    return blocks


def blocks_for(answer: Answer, metrics: dict[str, Metric], *, question: str | None = None,
               show_sql_button: bool = True, error_id: str | None = None) -> list[dict]:
    """Pick the layout by the answer's status."""
    lang = answer.language
    if answer.status == "answered":
        return answer_blocks(answer, metrics, show_sql_button=show_sql_button)
    if answer.status == "clarify":
        return clarify_blocks(answer, metrics, question=question)
    if answer.status == "no_match":
        return no_match_blocks(answer, metrics, question=question)
    if answer.status == "denied":
        return error_blocks(answer.message or msg.denied(lang), lang=lang)
    return error_blocks(answer.message, error_id, lang)


def fallback_text(answer: Answer, metrics: dict[str, Metric] | None = None) -> str:
    """The message's `text`: what notifications and screen readers get. It is mrkdwn, so whatever it
    repeats of the question (the restatement, a reason quoting the words) is escaped: a typed
    `<!channel>` or `<http://x|label>` must come back as text, never as a ping or a disguised link."""
    return _esc(_fallback(answer, metrics or {}))


def _fallback(answer: Answer, metrics: dict[str, Metric]) -> str:
    lang = answer.language
    if answer.status == "answered":
        head = answer.interpretation or ", ".join(answer.metrics)
        return _clip(f"{head}: {summarize(answer, metrics, lang)}" if head else summarize(answer, metrics, lang), 3000)
    if answer.status in ("clarify", "no_match") and answer.options:
        lead = msg.did_you_mean(lang) if answer.status == "clarify" else msg.no_match_suggest(lang)
        return " ".join(filter(None, [answer.message, lead, " · ".join(o.label for o in answer.options)]))
    return answer.message or (msg.no_match(lang) if answer.status == "no_match" else msg.error_generic(lang))


def check_block_limits(blocks: Sequence[dict[str, Any]]) -> list[str]:
    """Every way `blocks` breaks Slack's rules (model validation plus limits the models skip); [] if none."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks (max {MAX_BLOCKS})")
    block_ids: set[str] = set()
    tables = 0
    for i, b in enumerate(blocks):
        where = f"blocks[{i}] ({b.get('type')})"
        try:
            parsed = Block.parse(b)
            if parsed is None:
                problems.append(f"{where}: unknown block type")
                continue
            parsed.to_dict()  # runs slack_sdk's own validators
        except Exception as exc:  # noqa: BLE001 - report any model validation error as a finding
            problems.append(f"{where}: {exc}")
            continue
        if (bid := b.get("block_id")) is not None:
            if bid in block_ids:
                problems.append(f"{where}: duplicate block_id {bid!r}")
            if len(bid) > BLOCK_ID_MAX:
                problems.append(f"{where}: block_id longer than {BLOCK_ID_MAX}")
            block_ids.add(bid)
        problems += [f"{where}: {p}" for p in _check_one(b)]
        tables += b.get("type") == "table"
    if tables > 1:
        problems.append(f"{tables} table blocks (Slack allows one per message)")
    return problems


def _check_one(b: dict[str, Any]) -> list[str]:
    kind, out = b.get("type"), []
    if kind == "header" and len(b.get("text", {}).get("text", "")) > HEADER_MAX:
        out.append(f"header text longer than {HEADER_MAX}")
    if kind == "section":
        if not b.get("text") and not b.get("fields"):
            out.append("section needs text or fields")
        if len((b.get("text") or {}).get("text", "")) > SECTION_MAX:
            out.append(f"section text longer than {SECTION_MAX}")
        fields = b.get("fields") or []
        if len(fields) > FIELDS_MAX:
            out.append(f"{len(fields)} fields (max {FIELDS_MAX})")
        out += [f"field longer than {FIELD_MAX}" for f in fields if len(f.get("text", "")) > FIELD_MAX]
    if kind == "context" and len(b.get("elements", [])) > CONTEXT_ELEMENTS_MAX:
        out.append(f"context has more than {CONTEXT_ELEMENTS_MAX} elements")
    if kind == "actions":
        elements = b.get("elements", [])
        if len(elements) > ACTIONS_ELEMENTS_MAX:
            out.append(f"actions has more than {ACTIONS_ELEMENTS_MAX} elements")
        ids = [e.get("action_id") for e in elements if e.get("action_id")]
        if len(ids) != len(set(ids)):
            out.append("duplicate action_id in one block")
        for e in elements:
            if len((e.get("text") or {}).get("text", "")) > BUTTON_TEXT_MAX:
                out.append(f"button text longer than {BUTTON_TEXT_MAX}")
            if len(e.get("value") or "") > BUTTON_VALUE_MAX:
                out.append(f"button value longer than {BUTTON_VALUE_MAX}")
            if len(e.get("action_id") or "") > ACTION_ID_MAX:
                out.append(f"action_id longer than {ACTION_ID_MAX}")
    if kind == "table":
        rows = b.get("rows") or []
        if len(rows) > TABLE_ROWS_MAX:
            out.append(f"table has {len(rows)} rows (max {TABLE_ROWS_MAX})")
        if any(len(r) > TABLE_COLUMNS_MAX for r in rows):
            out.append(f"table row with more than {TABLE_COLUMNS_MAX} cells")
        if len({len(r) for r in rows}) > 1:
            out.append("table rows differ in length")
        if len(b.get("column_settings") or []) > TABLE_COLUMNS_MAX:
            out.append(f"more than {TABLE_COLUMNS_MAX} column_settings")
        if any(c.get("type") == "raw_text" and not c.get("text") for r in rows for c in r):
            out.append("empty raw_text cell")
    return out
