"""An owner's reply in a notice's or digest's thread → the adjustment it asks for. Pure.

Structured forms (English and Chinese), each keyed by a leading word so that ordinary prose is never
mistaken for one:

    target 1.2M per month        目标 120万/月          → target    {value, period}
    sensitivity low              灵敏度 低              → threshold {sensitivity}
    snooze 3 days                暂停提醒 3 天          → threshold {snooze_days, until}
    expected: spring promo       预期内：春季促销       → expected  {reason}

Anything else is an annotation carrying the text. A reply that starts like a structured form but
cannot be read ("target soon") is also an annotation, with ``understood=False`` and ``form`` naming
what was attempted, so the confirmation can say the text was kept as a note. Nothing is dropped:
every payload keeps the reply's original text.

The kinds are the store's adjustment kinds (annotation, target, threshold, expected); sensitivity
and snooze are both thresholds of the alerting, told apart by their payload keys.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.time.chinese import cn_int

SENSITIVITIES = ("low", "medium", "high")
PERIODS = ("day", "week", "month", "quarter", "year")
MAX_SNOOZE_DAYS = 365  # a longer silence is a decision for the catalog, not a thread reply

_SEP = r"\s*[:：\-–—=]?\s*"
_LEAD = {
    "target": re.compile(r"^(?:new\s+)?(?:target|goal)\b" + _SEP + r"|^(?:目标(?:值)?|指标目标)" + _SEP, re.I),
    "sensitivity": re.compile(r"^(?:sensitivity|alert\s+sensitivity)\b" + _SEP + r"|^(?:灵敏度|敏感度)" + _SEP, re.I),
    "snooze": re.compile(r"^(?:snooze|mute|silence)\b(?:\s+(?:alerts?|for))*" + _SEP
                         + r"|^(?:暂停提醒|暂停告警|暂停报警|静音|免打扰)" + _SEP, re.I),
    # "expected" needs its colon (or to stand alone): "expected more from East" is prose, not a mark.
    "expected": re.compile(r"^(?:expected|as\s+expected|known\s+event)\s*(?:[:：\-–—]\s*|$)"
                           r"|^(?:预期内|预期之内|符合预期|预期|已知事件)\s*(?:[:：\-–—]\s*|$)", re.I),
}
# Magnitude suffixes: English SI-ish words, Chinese counting units (万 = 10^4, 亿 = 10^8).
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
          "billion": 1e9, "千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_NUMBER = re.compile(r"^[$¥€£]?\s*(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*(百万|千万|千|万|亿|thousand|million|billion|"
                     r"mm|mn|bn|[kmb](?![a-z]))?\s*(%|元|块|美元|dollars?|usd|rmb)?", re.I)
_PERIOD_WORDS = {
    "day": r"(?:per|a|each|every|/)\s*day|daily|/\s*d\b|每天|每日|/\s*[天日]|一天",
    "week": r"(?:per|a|each|every|/)\s*week|weekly|/\s*wk\b|每周|每星期|/\s*周|一周",
    "month": r"(?:per|a|each|every|/)\s*month|monthly|/\s*mo\b|每月|每个月|/\s*月|一个月",
    "quarter": r"(?:per|a|each|every|/)\s*quarter|quarterly|/\s*q\b|每季度?|每个季度|/\s*季度?",
    "year": r"(?:per|a|each|every|/)\s*year|yearly|annual(?:ly)?|/\s*y(?:r)?\b|每年|/\s*年|一年",
}
_SENSITIVITY_WORDS = {"low": "low", "lower": "low", "less": "low", "低": "low", "较低": "low", "降低": "low",
                      "medium": "medium", "normal": "medium", "default": "medium", "中": "medium", "中等": "medium",
                      "正常": "medium", "默认": "medium", "high": "high", "higher": "high", "more": "high",
                      "高": "high", "较高": "high", "提高": "high", "调低": "low", "调高": "high"}
_DURATION = re.compile(r"^(?:for\s+)?(\d{1,3}|[零一二两三四五六七八九十]{1,3}|an?|one)?\s*(?:个)?"
                       r"(days?|weeks?|months?|d|w|天|日|周|星期|礼拜|月)", re.I)
_UNIT_DAYS = {"day": 1, "days": 1, "d": 1, "天": 1, "日": 1, "week": 7, "weeks": 7, "w": 7, "周": 7, "星期": 7,
              "礼拜": 7, "month": 30, "months": 30, "月": 30}


@dataclass(frozen=True)
class ParsedReply:
    """What a thread reply asks for: a store adjustment kind and its payload."""

    kind: str  # annotation | target | threshold | expected
    payload: dict[str, Any] = field(default_factory=dict)
    form: str | None = None  # the structured form recognised or attempted: target, sensitivity, snooze, expected
    understood: bool = True  # False: it looked structured but could not be read, so it is kept as an annotation


def parse_reply(text: str, today: dt.date | None = None) -> ParsedReply:
    """Parse one reply; ``today`` anchors a snooze's end date (omitted: no ``until`` in the payload)."""
    raw = (text or "").strip()
    for form, lead in _LEAD.items():
        match = lead.match(raw)
        if match is None:
            continue
        rest = raw[match.end():].strip()
        parsed = _PARSERS[form](rest, today)
        if parsed is None:
            return ParsedReply("annotation", {"text": raw}, form=form, understood=False)
        kind, payload = parsed
        return ParsedReply(kind, {**payload, "text": raw}, form=form)
    return ParsedReply("annotation", {"text": raw})


def parse_amount(text: str) -> tuple[float, str, str] | None:
    """A leading amount ("1.2M", "$500k", "120万", "5%") → (value, unit, rest); unit is "%" or ""."""
    match = _NUMBER.match(text.strip())
    if match is None:
        return None
    number, scale, unit = match.groups()
    value = float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
    if unit == "%":
        return value / 100.0, "%", text.strip()[match.end():].strip()
    return value, "", text.strip()[match.end():].strip()


def _target(rest: str, _today: dt.date | None) -> tuple[str, dict[str, Any]] | None:
    period, rest = _leading_period(rest)  # 每月 120万
    amount = parse_amount(rest)
    if amount is None:
        return None
    value, unit, tail = amount
    if period is None:
        period, tail = _leading_period(tail)  # 120万/月, 1.2M per month
    if tail.strip(" .。!！"):
        return None  # words we cannot place ("target 5 per cent of visitors"): keep it as a note
    payload: dict[str, Any] = {"value": value, "period": period}
    if unit == "%":
        payload["unit"] = "percent"
    return "target", payload


def _leading_period(text: str) -> tuple[str | None, str]:
    for name, pattern in _PERIOD_WORDS.items():
        match = re.match(r"^(?:" + pattern + r")", text, re.I)
        if match is not None:
            return name, text[match.end():].strip()
    return None, text


def _sensitivity(rest: str, _today: dt.date | None) -> tuple[str, dict[str, Any]] | None:
    level = _SENSITIVITY_WORDS.get(rest.strip(" .。!！").lower())
    return None if level is None else ("threshold", {"sensitivity": level})


def _snooze(rest: str, today: dt.date | None) -> tuple[str, dict[str, Any]] | None:
    match = _DURATION.match(rest.strip())
    if match is None or rest.strip()[match.end():].strip(" .。!！"):
        return None
    count_text, unit = match.groups()
    if count_text is None or count_text.lower() in ("a", "an", "one"):
        count = 1
    else:
        count = int(count_text) if count_text.isdigit() else cn_int(count_text)
    if not count or count < 1:
        return None
    days = count * _UNIT_DAYS[unit.lower()]
    if days > MAX_SNOOZE_DAYS:
        return None
    payload: dict[str, Any] = {"snooze_days": days}
    if today is not None:
        payload["until"] = (today + dt.timedelta(days=days)).isoformat()
    return "threshold", payload


def _expected(rest: str, _today: dt.date | None) -> tuple[str, dict[str, Any]] | None:
    return "expected", {"reason": rest.strip()}


_PARSERS = {"target": _target, "sensitivity": _sensitivity, "snooze": _snooze, "expected": _expected}
