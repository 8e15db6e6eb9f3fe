"""Time words in questions, English and Chinese: the period asked about, the grain, and the comparison.

Pure: the clock is passed in as `today`. Conventions (quoted by the README):

- ISO weeks start on Monday; quarters are calendar quarters; fiscal years ("FY2024") are calendar years.
- "today" is today; "yesterday" is today − 1; 前天 / "the day before yesterday" is today − 2.
- "this week/month/quarter/year", "so far", "X to date", MTD/QTD/YTD, 本月, 今年以来, 年初至今 run from the
  start of the current period to today inclusive — never past today.
- "last week" (上周) is the previous full Monday–Sunday week; "last month/quarter/year" the previous full one.
- "last N weeks/months/quarters/years" (过去三个月) are the N full periods before the current one.
- "last N days" (最近7天, "past 30 days") are the N days ending yesterday, so no partial today is mixed in.
- "N months ago" (3天前) is the single period N periods back.
- A month, quarter, half or day named without a year ("in March", "Q3", 第三季度, 3月1日) is the most recent one
  that has started; in a range the other end lends its year ("Jan to Mar 2025").
- No range reaches past today: a period that contains today ends today. A wholly future period is kept as is.
- "since X" / "X onwards" / X以来 / X至今 run from the start of X to today; "from X to Y", "between X and Y",
  "X – Y", 从X到Y, X至Y run from the start of X to the end of Y.
- Dates: 2025-03-01, 2025/03/01, 3/1/2025 (US month/day/year unless the first number exceeds 12),
  "March 1 2025", "1 March 2025", 2025年3月1日. An impossible date ("Feb 30 2025") is no period at all.
- ISO week numbers: "week 12", "2025-W12", 第12周 (Monday–Sunday; without a year, the most recent started).
- A bare number is never a period ("top 5", "30 day retention"); a bare year needs no quantity word before
  it ("over 2000 orders" is not 2000); "may" is May only after words like "in", "since" or with a day/year.
- Words inside a comparison ("vs last year", 和去年相比) name the comparison, not the period asked about.
- grain_hint is the natural grain of the period words ("last 6 months" → month), not a request to group;
  "over time" decides no grain.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

from metricloop.core.query import Compare, TimeRange
from metricloop.core.time import calendar as cal
from metricloop.core.time import chinese, english
from metricloop.core.time.calendar import GRAINS, Grain
from metricloop.core.time.words import compare_match, finer_grain_match, grain_match

__all__ = [
    "Span", "TimeMatch", "find_time_range", "find_grain", "find_compare", "describe_range",
    "detect_language", "find_invalid_dates", "find_finer_grain",
]


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) of the matched words in the text."""

    start: int
    end: int


@dataclass(frozen=True)
class TimeMatch:
    range: TimeRange
    span: Span
    label: str  # how to restate it: "Q2 2025", "last 7 days", "上个月"
    grain_hint: Grain | None  # the natural grain of the period words, not a request to group
    kind: str  # date | period | current | last_n | ago | range | since


_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# words that lead into a period and belong to it when the caller removes the matched words
_LEAD_EN = re.compile(r"(?:\b(?:in|during|for|over|within|of)\s+(?:the\s+)?)$", re.I)
_LEAD_ZH = re.compile(r"(?:在)$")
_FROM_EN = re.compile(r"(?:\b(?:from|between)\s+(?:the\s+)?)$", re.I)
_FROM_ZH = re.compile(r"(?:从|自|由|在)\s*$")
_TO = re.compile(r"^\s*(?:to|through|thru|until|till|and|[-–—~～至到])\s*(?:the\s+)?$", re.I)
# ("since the start of last year": from the start of that year)
_SINCE_EN = re.compile(r"(?:\b(?:since|starting(?:\s+(?:from|in|on))?|beginning(?:\s+(?:in|on))?)\s+(?:the\s+)?"
                       r"(?:(?:start|beginning)\s+of\s+(?:the\s+)?)?"
                       # ("since last March": the month named, from its first day; "last" is no period of its own)
                       r"(?:(?:last|this|past|previous)\s+)?)$", re.I)
_SINCE_ZH = re.compile(r"(?:自从|自|从)\s*$")
_ONWARDS_EN = re.compile(r"^\s*(?:onwards?|and\s+(?:after|later)|to\s+(?:date|now|today|present)|"
                         r"until\s+(?:now|today)|through\s+today)\b", re.I)
_ONWARDS_ZH = re.compile(r"^\s*(?:以来|至今|到现在|到今天|到目前为止|到目前|迄今|开始|起"
                          r"|截[至止]到?(?:今天|今日|目前|现在|当前)为?止?)")  # 本月截至今天
_RANGE_TAIL_ZH = re.compile(r"^\s*(?:之间|期间)")


def detect_language(text: str) -> Literal["en", "zh"]:
    """'zh' when Han characters outnumber Latin words ("上个月revenue" is zh, "revenue in 华东" is en)."""
    han = len(_HAN.findall(text))
    return "zh" if han and han >= len(_LATIN_WORD.findall(text)) else "en"


def describe_range(rng: TimeRange, lang: str = "en") -> str:
    """'2025-03-01', 'March 2025', 'Q2 2025', '2025', else '2025-04-01 – 2025-06-30'.

    In Chinese: 2025年3月, 2025年第二季度….
    """
    return cal.describe(rng.start, rng.end, lang)


def find_grain(text: str) -> tuple[Grain, Span] | None:
    """The grain the question asks to group by ("by month", "weekly", 按月, 每周, 逐日, 月度), or None."""
    got = grain_match(text)
    return None if got is None else (got[0], Span(got[1], got[2]))


def find_finer_grain(text: str) -> tuple[str, Span] | None:
    """A grain finer than a day ("by hour", "hourly", "per minute", 按小时, 每分钟): metrics are kept by
    day at the finest, so the caller says so instead of answering by day or in total."""
    got = finer_grain_match(text)
    return None if got is None else (got[0], Span(got[1], got[2]))


def find_compare(text: str) -> tuple[Compare, Span] | None:
    """A comparison ("vs last month", "YoY", 环比, 同比, 和去年相比): previous_period or year_over_year."""
    got = compare_match(text)
    return None if got is None else (got[0], Span(got[1], got[2]))


def _all_atoms(text: str, today: dt.date) -> list[cal.Atom]:
    """All time expressions (impossible dates included), longest first where they overlap, minus those
    inside comparison words."""
    found = cal.run_rules(english.RULES, text, today, "en") + cal.run_rules(chinese.RULES, text, today,
                                                                                   "zh")
    compare = compare_match(text)
    if compare:
        found = [a for a in found if a.stop <= compare[1] or a.begin >= compare[2]]
    chosen: list[cal.Atom] = []
    for atom in sorted(found, key=lambda a: (a.begin - a.stop, a.begin)):
        if all(atom.stop <= c.begin or atom.begin >= c.stop for c in chosen):
            chosen.append(atom)
    return sorted(chosen, key=lambda a: a.begin)


def _atoms(text: str, today: dt.date) -> list[cal.Atom]:
    return [a for a in _all_atoms(text, today) if a.kind != cal.INVALID]


def find_invalid_dates(text: str, today: dt.date) -> list[Span]:
    """Dates that cannot exist ("2026-13-01", "Feb 30 2025", 2025年2月30日): the question names a period
    no calendar has, and must be asked back rather than answered over all time."""
    return [Span(a.begin, a.stop) for a in _all_atoms(text, today) if a.kind == cal.INVALID]


def _finer(a: Grain, b: Grain) -> Grain:
    return a if GRAINS.index(a) <= GRAINS.index(b) else b


def _pair(text: str, a: cal.Atom, b: cal.Atom) -> cal.Atom | None:
    """'from A to B', 'between A and B', 'A – B', 从A到B, A至B, 'April and May' → one range, or None."""
    gap = text[a.stop:b.begin]
    before = text[:a.begin]
    if not _TO.match(gap):
        return None
    lead = _FROM_EN.search(before) or _FROM_ZH.search(before)
    joined = gap.strip().lower() in ("and", "&") and not (lead and "between" in lead.group(0).lower())
    if a.in_year and not b.in_year:
        a = a.rebased(b.start.year)
        if a.start > b.start:
            a = a.rebased(b.start.year - 1)
    elif b.in_year and not a.in_year:
        b = b.rebased(a.start.year)
        if b.end < a.start:
            b = b.rebased(a.start.year + 1)
    elif a.in_year and b.in_year and a.start > b.end:  # "December to February": into the next year
        b = b.rebased(b.start.year + 1)
    if a.start > b.end:
        return None
    if joined and not (a.grain == b.grain == "month" and a.end + cal.ONE_DAY == b.start):
        # "March and May" names two periods; "April and May", one month after the other, is both months ("Q3 and
        # Q4", "2024 and 2025" may ask for each: asked back)
        return None
    begin = lead.start() if lead else a.begin
    tail = _RANGE_TAIL_ZH.match(text, b.stop)
    stop = tail.end() if tail else b.stop
    return cal.Atom(a.start, b.end, cal.describe(a.start, b.end, a.lang), _finer(a.grain, b.grain), "range",
                    begin, stop, a.lang)


def _since(text: str, a: cal.Atom, today: dt.date) -> cal.Atom | None:
    """'since A', 'A onwards', 'from A to date', A以来, 自A起, A至今 → from the start of A to today."""
    before, after = text[:a.begin], text[a.stop:]
    lead = _SINCE_EN.search(before) or _SINCE_ZH.search(before)
    onwards = _ONWARDS_EN.match(after) or _ONWARDS_ZH.match(after)
    if onwards and not lead:
        lead = _FROM_EN.search(before) or _FROM_ZH.search(before)
    if not (lead or onwards) or a.start > today:
        return None
    if a.lang == "zh":
        label = a.label + ("至今" if onwards and onwards.group(0).strip()[:1] in "至到迄截" else "以来")
    else:
        label = f"since {a.label}"
    begin = lead.start() if lead else a.begin
    stop = a.stop + (onwards.end() if onwards else 0)
    return cal.Atom(a.start, today, label, a.grain, "since", begin, stop, a.lang)


def _candidates(text: str, today: dt.date) -> list[cal.Atom]:
    atoms = _atoms(text, today)
    out: list[cal.Atom] = []
    i = 0
    while i < len(atoms):
        pair = _pair(text, atoms[i], atoms[i + 1]) if i + 1 < len(atoms) else None
        if pair:
            out.append(pair)
            i += 2
            continue
        out.append(_since(text, atoms[i], today) or atoms[i])
        i += 1
    return out


def _to_date(atom: cal.Atom) -> bool:
    """A period running from the start of the current one to today ("month to date", "YTD", 年初至今)."""
    return atom.kind in ("current", "since") and atom.label.endswith(("to date", "至今", "以来"))


def _with_lead(text: str, atom: cal.Atom) -> cal.Atom:
    """Widen the span over a leading 'in the' / 'during' / 在 so the caller removes it with the period."""
    lead = (_LEAD_ZH if atom.lang == "zh" else _LEAD_EN).search(text[:atom.begin])
    return replace(atom, begin=lead.start()) if lead else atom


def other_periods(text: str, today: dt.date, chosen: Span) -> list[TimeMatch]:
    """Named periods and dates of `text` outside the period chosen ("revenue in March and May": May) — not a
    window ("rolling 90 day", "lately": a window metric's own words, or the same period said twice) nor a current
    period ("当月累计": a running total's)."""
    return [_matched(a, today) for a in _candidates(text, today)
            if (a.stop <= chosen.start or a.begin >= chosen.end) and a.kind in ("period", "range", "date")]


def _matched(atom: cal.Atom, today: dt.date) -> TimeMatch:
    start, end = cal.clip(atom.start, atom.end, today)
    # a range is named by its dates, after clipping, so the label never promises days past today
    label = cal.describe(start, end, atom.lang) if atom.kind == "range" else atom.label
    return TimeMatch(TimeRange(start=start, end=end), Span(atom.begin, atom.stop), label, atom.grain, atom.kind)


def find_time_range(text: str, today: dt.date) -> TimeMatch | None:
    """The period the question asks about, or None. The longest time expression wins (the first on a tie)."""
    candidates = _candidates(text, today)
    if not candidates:
        return None
    named = [a for a in candidates if a.kind == "period"]
    if named:  # "running month-to-date hours for October, day by day": the month is the period, the to-date
        # words are the running total over it (read with the metric), not a second, conflicting period
        candidates = [a for a in candidates if not _to_date(a)] or candidates
    return _matched(_with_lead(text, min(candidates, key=lambda a: (a.begin - a.stop, a.begin))), today)
