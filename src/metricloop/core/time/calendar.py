"""The one calendar: every piece of date arithmetic in metricloop, and the `Atom` record shared by the
English and Chinese time recognisers.

Ground floor of core: imports only the standard library. Period starts and ends (ISO weeks start
Monday, calendar quarters), shifting by whole months and days with end-of-month clamping, "the N full
periods before the current one", and how to name a range. The compiler, the phrase rules and the loop
all take their dates from here, so a week or a month means the same everywhere.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Literal

Grain = Literal["day", "week", "month", "quarter", "year"]
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
ONE_DAY = dt.timedelta(days=1)
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
ZH_QUARTERS = "一二三四"


def period_start(d: dt.date, grain: str) -> dt.date:
    """First day of the period of `grain` containing `d` (weeks start Monday; day = the date itself)."""
    if grain == "day":
        return d
    if grain == "week":
        return d - dt.timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    if grain == "quarter":
        return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return dt.date(d.year, 1, 1)


def add_months(d: dt.date, n: int) -> dt.date:
    """`d` moved by n months, the day clamped to the target month's length (Mar 31 - 1 → Feb 28)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add(d: dt.date, months: int = 0, days: int = 0) -> dt.date:
    """`d` moved by whole months (clamped to the month's end) and then by days."""
    return add_months(d, months) + dt.timedelta(days=days)


def add_periods(d: dt.date, grain: Grain, n: int) -> dt.date:
    """`d` moved by n periods of `grain`."""
    if grain == "day":
        return d + dt.timedelta(days=n)
    if grain == "week":
        return d + dt.timedelta(days=7 * n)
    return add_months(d, n * {"month": 1, "quarter": 3, "year": 12}[grain])


def period_end(d: dt.date, grain: Grain) -> dt.date:
    """Last day of the period of `grain` containing `d`."""
    return add_periods(period_start(d, grain), grain, 1) - ONE_DAY


def full_period(d: dt.date, grain: Grain) -> tuple[dt.date, dt.date]:
    return period_start(d, grain), period_end(d, grain)


def last_n(today: dt.date, grain: Grain, n: int) -> tuple[dt.date, dt.date]:
    """The last n days end yesterday (no partial today); other grains are n full periods before the current."""
    if grain == "day":
        return today - dt.timedelta(days=n), today - ONE_DAY
    current = period_start(today, grain)
    return add_periods(current, grain, -n), current - ONE_DAY


def periods_ago(today: dt.date, grain: Grain, n: int) -> tuple[dt.date, dt.date]:
    """The single period n periods before the current one ("3 months ago", "上上周")."""
    return full_period(add_periods(today, grain, -n), grain)


def to_date(today: dt.date, grain: Grain) -> tuple[dt.date, dt.date]:
    """The current period from its start to today inclusive ("this month", "MTD", 本月)."""
    return period_start(today, grain), today


def most_recent(today: dt.date, make: Callable[[int], tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    """A period named without a year ("March", "Q3", 3月1日): the most recent one that has started."""
    start, end = make(today.year)
    return (start, end) if start <= today else make(today.year - 1)


def weekday_of(today: dt.date, weekday: int, week: str) -> dt.date:
    """A day of the week (0 = Monday): of the week before (`week="last"`: 上周五; two weeks back: "before_last"), of
    this week ("this": 本周一, "this Monday"), the most recent one before today ("previous": "last Friday"), or the
    most recent one up to today ("recent": "on Monday", 周三)."""
    monday = today - dt.timedelta(days=today.weekday())
    if week in ("last", "before_last"):
        return monday - dt.timedelta(days=7 if week == "last" else 14) + dt.timedelta(days=weekday)
    if week == "this":
        return monday + dt.timedelta(days=weekday)
    back = (today.weekday() - weekday) % 7
    return today - dt.timedelta(days=back or (7 if week == "previous" else 0))


def weekend_of(today: dt.date, week: str) -> tuple[dt.date, dt.date]:
    """Saturday and Sunday of a week: of the week before ("last": 上周末, "last weekend"; "before_last"), of this week
    ("this": 本周末), or the most recent one that has begun ("recent": "over the weekend", 周末)."""
    saturday = weekday_of(today, 5, week)
    return saturday, saturday + ONE_DAY


def clip(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """Never reach past today: a period that contains today ends today."""
    return (start, today) if start <= today < end else (start, end)


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return full_period(dt.date(year, month, 1), "month")


def quarter_range(year: int, q: int) -> tuple[dt.date, dt.date]:
    return full_period(dt.date(year, 3 * q - 2, 1), "quarter")


def half_range(year: int, half: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 1 if half == 1 else 7, 1)
    return start, add_months(start, 6) - ONE_DAY


# the seasons as three whole months (meteorological, northern hemisphere: "this summer" is June to August); winter
# straddles two years, so which year it is in is asked, never guessed
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "春": 3, "夏": 6, "秋": 9}


def season_range(year: int, season: str) -> tuple[dt.date, dt.date]:
    """The three months of `season` (a key of SEASON_MONTHS) in `year`."""
    start = dt.date(year, SEASON_MONTHS[season], 1)
    return start, add_months(start, 3) - ONE_DAY


def iso_week_range(year: int, week: int) -> tuple[dt.date, dt.date] | None:
    """Monday–Sunday of ISO week `week` of ISO year `year`, or None when the year has no such week."""
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return start, start + dt.timedelta(days=6)


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_full(start: dt.date, end: dt.date, grain: Grain) -> bool:
    """True when [start, end] is exactly whole periods of `grain`."""
    return period_start(start, grain) == start and period_end(end, grain) == end


def aligned_grain(start: dt.date, end: dt.date) -> Grain:
    """The coarsest grain whose whole periods tile [start, end] exactly (day always does)."""
    for grain in reversed(GRAINS):
        if is_full(start, end, grain):  # type: ignore[arg-type]
            return grain  # type: ignore[return-value]
    return "day"


def to_date_grain(start: dt.date, end: dt.date) -> Grain | None:
    """The grain of a period-so-far range (month/quarter/year that starts at `start` and contains `end`)."""
    for grain in ("month", "quarter", "year"):
        if period_start(start, grain) == start and end < add_periods(start, grain, 1):  # type: ignore[arg-type]
            return grain  # type: ignore[return-value]
    return None


def describe(start: dt.date, end: dt.date, lang: str = "en") -> str:
    """A short name: one day, month, quarter or year by its name, anything else as 'start – end'."""
    zh = lang == "zh"
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日" if zh else start.isoformat()
    if start.year == end.year:
        if is_full(start, end, "year"):
            return f"{start.year}年" if zh else str(start.year)
        if is_full(start, end, "quarter") and start.month == end.month - 2:
            q = (start.month - 1) // 3 + 1
            return f"{start.year}年第{ZH_QUARTERS[q - 1]}季度" if zh else f"Q{q} {start.year}"
        if is_full(start, end, "month") and start.month == end.month:
            return f"{start.year}年{start.month}月" if zh else f"{MONTHS_EN[start.month - 1]} {start.year}"
    if is_full(start, end, "year"):
        return f"{start.year}年至{end.year}年" if zh else f"{start.year} – {end.year}"
    if is_full(start, end, "month"):  # whole months: "March – May 2026", 2026年3月至5月
        same = start.year == end.year
        if zh:
            return f"{start.year}年{start.month}月至" + ("" if same else f"{end.year}年") + f"{end.month}月"
        first = MONTHS_EN[start.month - 1] + ("" if same else f" {start.year}")
        return f"{first} – {MONTHS_EN[end.month - 1]} {end.year}"
    return f"{start} 至 {end}" if zh else f"{start} – {end}"


@dataclass(frozen=True)
class Atom:
    """One recognised time expression before ranges ("from A to B") and "since A" are composed."""

    start: dt.date
    end: dt.date
    label: str
    grain: Grain
    kind: str  # date | period | current | last_n | ago
    begin: int  # character offsets in the text
    stop: int
    lang: str
    # for names without a year ("March", 3月1日): the same period in a given year, so a range can lend
    # its year to the other end ("Jan to Mar 2025")
    in_year: Callable[[int], tuple[dt.date, dt.date]] | None = None

    def rebased(self, year: int) -> Atom:
        if self.in_year is None:
            return self
        start, end = self.in_year(year)
        return replace(self, start=start, end=end, label=describe(start, end, self.lang), in_year=None)


INVALID = "invalid"
# A recogniser: a compiled pattern and a handler returning (start, end, label, grain, kind[, in_year]).
Handler = Callable[[re.Match[str], dt.date], tuple | None]
Rule = tuple[re.Pattern[str], Handler]


def run_rules(rules: Iterable[Rule], text: str, today: dt.date, lang: str) -> list[Atom]:
    """Every match of every rule whose handler accepts it, as Atoms (overlaps resolved by the caller)."""
    atoms: list[Atom] = []
    for pattern, handler in rules:
        for m in pattern.finditer(text):
            got = handler(m, today)
            if got is None:
                continue
            if got == INVALID:  # an impossible date ("Feb 30 2025") blocks the shorter readings inside it
                atoms.append(Atom(today, today, "", "day", INVALID, m.start(), m.end(), lang))
                continue
            start, end, label, grain, kind, *rest = got
            atoms.append(Atom(start, end, label, grain, kind, m.start(), m.end(), lang, rest[0] if rest else None))
    return atoms
