"""How numbers, changes and periods read to people, in English and Chinese. Pure.

Conventions (shared with the chart and Slack renderers):
- a `percent` metric holds a fraction (0.123 → "12.3%");
- a `change` is a fraction too (0.081 → "+8.1%"); where a row has both the current and the previous
  value, the change is recomputed from them so the display never depends on the compiler's scale;
- periods arrive as 'YYYY-MM-DD' strings holding the period start; ISO weeks start on Monday.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from metricloop.core.answer import Answer, Column
from metricloop.core.catalog.model import Metric, NumberFormat
from metricloop.core.present.texts import say
from metricloop.core.query import TimeRange
from metricloop.core.text import first_chinese
from metricloop.core.time.calendar import Grain

MISSING = "—"
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "RMB": "¥", "INR": "₹", "KRW": "₩"}
_EN_COMPACT = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_ZH_COMPACT = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _default_decimals(value: float, fmt: NumberFormat) -> int:
    if fmt.kind == "percent":
        return 1
    if fmt.kind == "currency":
        return 0 if abs(value) >= 10_000 else 2
    # Counts stay whole; averages and scores keep two places until they are big enough not to matter.
    return 0 if float(value).is_integer() or abs(value) >= 1000 else 2


def _compact(value: float, lang: str) -> str | None:
    """1234567 → '1.23M' (en) or '123.5万' (zh); None when the value is too small to abbreviate."""
    if lang != "zh" and abs(value) < 10_000:
        return None  # '3,456' reads better than '3.46K'
    for size, suffix in _ZH_COMPACT if lang == "zh" else _EN_COMPACT:
        if abs(value) >= size:
            scaled = value / size
            # three significant digits: 1.23M, 12.3M, 123M
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            text = f"{scaled:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{scaled:,.0f}"
            return text + suffix
    return None


def format_value(value: Any, fmt: NumberFormat | None, lang: str = "en", compact: bool = False) -> str:
    """A metric value as text: '$1,234.50', '12.3%', '1,234', or compact '$1.23M' / '¥123.5万'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if not _is_number(value):
        return str(value)
    fmt = fmt or NumberFormat()
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    sign = "-" if value < 0 else ""
    number = abs(value) * (100 if fmt.kind == "percent" else 1)
    decimals = fmt.decimals if fmt.decimals is not None else _default_decimals(number, fmt)
    text = _compact(number, lang) if compact and fmt.kind != "percent" else None
    if text is None:
        text = f"{number:,.{decimals}f}"
    if fmt.kind == "percent":
        return f"{sign}{text}%"
    if fmt.kind == "currency":
        symbol = CURRENCY_SYMBOLS.get(fmt.currency.upper())
        return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {fmt.currency.upper()}"
    return sign + text


def format_change(change: float | None, lang: str = "en") -> str:  # noqa: ARG001 - one signature with format_value
    """A relative change (a fraction) as '+8.1%', '-3.0%' or '0.0%'; '—' when unknown."""
    if change is None or not _is_number(change) or math.isnan(change) or math.isinf(change):
        return MISSING
    pct = round(change * 100, 1)
    if pct == 0:
        return "0.0%"
    return f"{'+' if pct > 0 else '-'}{abs(pct):,.1f}%"


def change_between(current: Any, previous: Any) -> float | None:
    """(current - previous) / |previous|, or None when it is undefined (missing or zero base)."""
    if not (_is_number(current) and _is_number(previous)) or previous == 0:
        return None
    return (current - previous) / abs(previous)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_period(value: str, grain: Grain | None, lang: str = "en", short: bool = False) -> str:
    """A period start as people say it: 'Apr 2025' / '2025年4月'; short forms '2025-04', '2025-W15', '2025-Q2'."""
    day = _parse_date(value)
    if day is None:
        return str(value)
    grain = grain or "day"
    iso_year, iso_week, _ = day.isocalendar()
    quarter = (day.month - 1) // 3 + 1
    if short:
        return {
            "day": day.isoformat(),
            "week": f"{iso_year}-W{iso_week:02d}",
            "month": f"{day.year}-{day.month:02d}",
            "quarter": f"{day.year}-Q{quarter}",
            "year": str(day.year),
        }[grain]
    if lang == "zh":
        return {
            "day": f"{day.year}年{day.month}月{day.day}日",
            "week": f"{iso_year}年第{iso_week}周",
            "month": f"{day.year}年{day.month}月",
            "quarter": f"{day.year}年第{'一二三四'[quarter - 1]}季度",
            "year": f"{day.year}年",
        }[grain]
    return {
        "day": f"{_MONTHS[day.month - 1]} {day.day}, {day.year}",
        "week": f"Week of {_MONTHS[day.month - 1]} {day.day}, {day.year}",
        "month": f"{_MONTHS[day.month - 1]} {day.year}",
        "quarter": f"Q{quarter} {day.year}",
        "year": str(day.year),
    }[grain]


def _whole_period(tr: TimeRange) -> Grain | None:
    """The calendar grain a range covers exactly (one month, quarter or year), if any."""
    start, end = tr.start, tr.end
    nxt = end + dt.timedelta(days=1)
    if start.day != 1 or nxt.day != 1:
        return "week" if start.weekday() == 0 and tr.days == 7 else ("day" if tr.days == 1 else None)
    months = (nxt.year - start.year) * 12 + nxt.month - start.month
    if months == 1:
        return "month"
    if months == 3 and start.month % 3 == 1:
        return "quarter"
    if months == 12 and start.month == 1:
        return "year"
    return None


def format_range(tr: TimeRange | None, lang: str = "en") -> str:
    """'Q2 2025', 'Apr 2025', or '2025-04-03 – 2025-05-09' for ranges that are not one calendar period."""
    if tr is None:
        return say("all_time", lang)
    grain = _whole_period(tr)
    if grain is not None:
        return format_period(tr.start.isoformat(), grain, lang)
    return f"{tr.start.isoformat()} – {tr.end.isoformat()}"


def metric_label(metric: Metric | None, name: str, lang: str = "en") -> str:
    """A metric's name for people; in Chinese, the first Chinese synonym when the catalog has one."""
    if metric is None:
        return name.replace("_", " ").capitalize()
    return (lang == "zh" and first_chinese(metric.meta.synonyms)) or metric.display_name


def metric_format(metrics: dict[str, Metric], name: str | None) -> NumberFormat | None:
    metric = metrics.get(name) if name else None
    return metric.meta.format if metric else None


def _row_values(answer: Answer, row: list[Any], metric: str | None) -> tuple[Any, Any, Any]:
    """`metric`'s current value, previous value and given change in one row (None where absent)."""
    found: dict[str, Any] = {}
    for col, value in zip(answer.columns, row, strict=False):
        if col.metric == metric and col.role in ("metric", "previous", "change"):
            found[col.role] = value
    return found.get("metric"), found.get("previous"), found.get("change")


def row_change(answer: Answer, row: list[Any], metric: str) -> float | None:
    """The change of `metric` in one row: recomputed from current and previous when both exist."""
    current, previous, given = _row_values(answer, row, metric)
    computed = change_between(current, previous)
    if computed is not None:
        return computed
    return given if _is_number(given) else None


def rate_points(fmt: NumberFormat | None, current: Any, previous: Any) -> float | None:
    """A rate's change in percentage points, as a fraction (0.009 for 4.12% → 5.06%); None for a metric that is
    not a rate or a value that is missing."""
    if fmt is None or fmt.kind != "percent" or not (_is_number(current) and _is_number(previous)):
        return None
    return float(current) - float(previous)


def format_points(points: float, lang: str = "en") -> str:
    """A change of a rate in percentage points: '+0.9 pts' / '+0.9 个百分点'."""
    value = round(points * 100, 1)
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return f"{sign}{abs(value):,.1f} {'个百分点' if lang == 'zh' else 'pts'}"


def change_text(current: Any, previous: Any, fmt: NumberFormat | None, lang: str = "en") -> str:
    """The change from `previous` to `current` as people read it: points for a rate, else a relative change."""
    points = rate_points(fmt, current, previous)
    return format_points(points, lang) if points is not None else format_change(change_between(current, previous),
                                                                                   lang)


def column_format(fmt: NumberFormat | None, values: list[Any]) -> NumberFormat:
    """The column's format with decimals fixed for the whole column, so '$9,000.00' never sits above '$10,000'."""
    fmt = fmt or NumberFormat()
    numbers = [abs(v) for v in values if _is_number(v) and math.isfinite(v)]
    if fmt.decimals is not None or not numbers:
        return fmt
    scale = 100 if fmt.kind == "percent" else 1
    if fmt.kind == "number" and all(float(v).is_integer() for v in numbers):
        return fmt.model_copy(update={"decimals": 0})
    return fmt.model_copy(update={"decimals": _default_decimals(max(numbers) * scale, fmt)})


def format_cell(answer: Answer, col: Column, row: list[Any], value: Any, metrics: dict[str, Metric],
                lang: str = "en", compact: bool = False, fmt: NumberFormat | None = None) -> str:
    """One table cell as text, by the column's role (`fmt` overrides the metric's format)."""
    grain = answer.query.grain if answer.query else None
    if col.role == "time":
        return MISSING if value is None else format_period(str(value), grain, lang, short=True)
    if col.role == "change":
        current, previous, _ = _row_values(answer, row, col.metric)
        points = rate_points(metric_format(metrics, col.metric), current, previous)
        if points is not None:  # a rate moves in points, as the summary says it
            return format_points(points, lang)
        return format_change(row_change(answer, row, col.metric) if col.metric else value, lang)
    if col.role in ("metric", "previous"):
        return format_value(value, fmt or metric_format(metrics, col.metric), lang, compact)
    return MISSING if value is None else str(value)


def column_label(col: Column, metrics: dict[str, Metric], lang: str = "en") -> str:
    """A column header; metric columns use the catalog label (Chinese synonym in zh)."""
    if col.metric and col.role in ("metric", "previous", "change"):
        base = metric_label(metrics.get(col.metric), col.metric, lang)
        if col.role == "metric":
            return base
        suffix = {("previous", "en"): " (previous)", ("previous", "zh"): "（上期）",
                  ("change", "en"): " change", ("change", "zh"): "变化"}
        return base + suffix[(col.role, "zh" if lang == "zh" else "en")]
    return col.label


def table_view(answer: Answer, metrics: dict[str, Metric], lang: str = "en", max_rows: int | None = None,
               max_columns: int | None = None) -> tuple[list[str], list[list[str]], list[bool]]:
    """Headers, formatted rows and which columns are numeric (to right-align) for any table renderer."""
    cols = answer.columns[:max_columns] if max_columns else answer.columns
    rows = answer.rows[:max_rows] if max_rows is not None else answer.rows
    headers = [column_label(c, metrics, lang) for c in cols]
    fmts = [column_format(metric_format(metrics, c.metric), [r[i] for r in rows])
            if c.role in ("metric", "previous") else None for i, c in enumerate(cols)]
    body = [[format_cell(answer, c, row, v, metrics, lang, fmt=f) for c, v, f in zip(cols, row, fmts, strict=False)]
            for row in rows]
    numeric = [c.role in ("metric", "previous", "change") for c in cols]
    return headers, body, numeric


# ---- one-sentence summaries -------------------------------------------------------------------

