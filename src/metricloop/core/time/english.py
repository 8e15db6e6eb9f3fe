"""English time expressions: relative periods, to-date periods, dates, months, quarters, halves and years.

Each rule is a regex plus a handler that turns a match into a calendar range (see time/calendar).
English words are bounded by non-letters rather than `\\b`, so "上个月revenue" or "last month的收入" still
match. Guards keep numbers that are not dates out: "top 5", "30 day retention", "over 2000 orders", and
"may" the verb (a month name without a year or day needs a preposition such as "in May").
"""
from __future__ import annotations

import datetime as dt
import re

from metricloop.core.time import calendar as cal

B, E = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
UNIT = r"(day|week|month|quarter|year)s?"
NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "eighteen": 18,
    "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
}
NUM = r"(\d{1,3}|" + "|".join(sorted(NUM_WORDS, key=len, reverse=True)) + ")"
ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
ORD = r"(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)"
MONTH_NAMES = {name.lower(): i + 1 for i, name in enumerate(cal.MONTHS_EN)}
MONTH_NAMES.update({name[:3].lower(): i + 1 for i, name in enumerate(cal.MONTHS_EN)})
MONTH_NAMES.update({"sept": 9})
MON = r"(" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
YEAR4 = r"((?:19|20)\d\d)"
# a month name alone must follow one of these (or lead into a range), so "may I see" is not May
MONTH_CONTEXT = re.compile(
    r"(?:in|since|from|during|for|of|until|till|through|to|between|and|starting|before|after|thru|"
    r"vs\.?|versus|early|late|mid)\s+(?:the\s+month\s+of\s+)?$", re.I)
RANGE_AHEAD = re.compile(r"\s*(?:[-–—~]|to|through|thru|until|till|and)\s*[A-Za-z]{3}", re.I)
# a bare year after these is a quantity, not a period ("over 2000 orders", "top 2024")
QUANTITY_BEFORE = re.compile(r"(?:over|above|below|under|than|top|bottom|least|most|exceeding|exceeds|"
                             r"about|around|#|\$|>|<|=|No\.)\s*$", re.I)


def _num(word: str) -> int:
    return int(word) if word.isdigit() else NUM_WORDS[word.lower()]


def _unit(word: str):
    return word.lower().rstrip("s")


def _rx(body: str) -> re.Pattern[str]:
    return re.compile(B + body + E, re.I)


def _day_words(m: re.Match[str], today: dt.date):
    word = m.group(0).lower()
    back = 2 if "before" in word else (1 if "yesterday" in word else 0)
    d = today - dt.timedelta(days=back)
    label = {0: "today", 1: "yesterday", 2: "the day before yesterday"}[back]
    return d, d, label, "day", "date"


def _current(m: re.Match[str], today: dt.date):
    grain = _unit(m.group("u"))
    label = f"{grain} to date" if m.group(0).lower().endswith("date") else f"this {grain}"
    return (*cal.to_date(today, grain), label, grain, "current")


def _to_date_abbr(m: re.Match[str], today: dt.date):
    grain = {"w": "week", "m": "month", "q": "quarter", "y": "year"}[m.group(1)[0].lower()]
    return (*cal.to_date(today, grain), f"{grain} to date", grain, "current")


def _previous(m: re.Match[str], today: dt.date):
    grain = _unit(m.group("u"))
    back = 2 if m.group("before") else 1
    label = f"the {grain} before last" if back == 2 else f"last {grain}"
    return (*cal.periods_ago(today, grain, back), label, grain, "period")


def _last_n(m: re.Match[str], today: dt.date):
    n, grain = _num(m.group("n")), _unit(m.group("u"))
    if n < 1 or n > 3660:
        return None
    return (*cal.last_n(today, grain, n), f"last {n} {grain}{'s' if n > 1 else ''}", grain, "last_n")


def _ttm(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    return (*cal.last_n(today, "month", 12), "last 12 months", "month", "last_n")


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(m: re.Match[str], today: dt.date):
    """"last Friday" (the one before today), "this Monday" (of this week), "on Monday" (the most recent one)."""
    weekday = next(i for i, d in enumerate(_WEEKDAYS) if m.group("wd").lower().startswith(d[:3]))
    which = (m.group("which") or "").lower()
    week = "previous" if which in ("last", "past", "previous") else "this" if which == "this" else "recent"
    day = cal.weekday_of(today, weekday, week)
    return day, day, day.isoformat(), "day", "date"


def _weekend(m: re.Match[str], today: dt.date):
    """"last weekend" (Saturday and Sunday of last week), "the weekend before last", "this weekend", "over the
    weekend" and "this past weekend" (the most recent one begun)."""
    said = m.group(0).lower()
    which = (m.group("which") or "").lower()
    week = "before_last" if m.group("before") else "recent" if "past" in said or not which \
        else "this" if which == "this" else "last"
    start, end = cal.weekend_of(today, week)
    return start, end, said, "day", "range"


def _half_year(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    """"the past half year" is the last six full months, as "the last 6 months" is."""
    return (*cal.last_n(today, "month", 6), "last 6 months", "month", "last_n")


def _ago(m: re.Match[str], today: dt.date):
    n, grain = _num(m.group("n")), _unit(m.group("u"))
    if n < 1:
        return None
    return (*cal.periods_ago(today, grain, n), f"{n} {grain}{'s' if n > 1 else ''} ago", grain, "ago")


def _date(year: int, month: int, day: int):
    d = cal.safe_date(year, month, day)
    return cal.INVALID if d is None else (d, d, d.isoformat(), "day", "date")


def _iso_date(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _us_date(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    # US order (month/day/year) unless the first number cannot be a month
    return _date(year, b, a) if a > 12 else _date(year, a, b)


def _month_day_year(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    g = m.groupdict()
    return _date(int(g["y"]), MONTH_NAMES[g["mon"].lower()], int(g["d"]))


def _month_day(m: re.Match[str], today: dt.date):
    g = m.groupdict()
    month, day = MONTH_NAMES[g["mon"].lower()], int(g["d"])
    if cal.safe_date(2024, month, day) is None:  # 2024: a leap year accepts Feb 29
        return cal.INVALID

    def in_year(year: int):
        d = cal.safe_date(year, month, day) or dt.date(year, month, day - 1)
        return d, d

    start, end = cal.most_recent(today, in_year)
    return start, end, start.isoformat(), "day", "date", in_year


def _month_year(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    start, end = cal.month_range(int(m.group("y")), int(m.group("m")) if m.group("m").isdigit()
                                 else MONTH_NAMES[m.group("m").lower()])
    return start, end, cal.describe(start, end), "month", "period"


def _bare_month(m: re.Match[str], today: dt.date):
    word = m.group("m").lower()
    text = m.string
    in_context = MONTH_CONTEXT.search(text, 0, m.start()) or RANGE_AHEAD.match(text, m.end())
    # full names other than "may" read as months anywhere; "may" and abbreviations need context
    if not in_context and (word == "may" or len(word) <= 4):
        return None
    month = MONTH_NAMES[word]

    def in_year(year: int):
        return cal.month_range(year, month)

    start, end = cal.most_recent(today, in_year)
    return start, end, cal.describe(start, end), "month", "period", in_year


def _quarter(year: int | None, q: int, today: dt.date):
    if year is None:
        start, end = cal.most_recent(today, lambda y: cal.quarter_range(y, q))
        return start, end, cal.describe(start, end), "quarter", "period", lambda y: cal.quarter_range(y, q)
    start, end = cal.quarter_range(year, q)
    return start, end, cal.describe(start, end), "quarter", "period"


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if len(text) == 4 else 2000 + int(text)


def _q_year(m: re.Match[str], today: dt.date):
    return _quarter(_year_of(m.group("y") or m.group("yy")), int(m.group("q")), today)


def _ord_quarter(m: re.Match[str], today: dt.date):
    return _quarter(_year_of(m.group("y")), ORDINAL[m.group("o").lower()], today)


def _last_quarter_of(m: re.Match[str], today: dt.date):
    return _quarter(int(m.group("y")), 4, today)


def iso_week(year: int | None, week: int, today: dt.date, lang: str = "en") -> tuple | str:
    """ISO week `week` of `year`, or of the most recent year in which it has started."""
    if year is None:
        year = today.isocalendar()[0]
        found = cal.iso_week_range(year, week)
        if found is None or found[0] > today:
            year -= 1
    found = cal.iso_week_range(year, week)
    if found is None:
        return cal.INVALID
    label = f"{year}年第{week}周" if lang == "zh" else f"{year}-W{week:02d}"
    return found[0], found[1], label, "week", "period"


def _iso_week(m: re.Match[str], today: dt.date):
    return iso_week(_year_of(m.group("y")), int(m.group("w")), today)


def _half(m: re.Match[str], today: dt.date):
    h = m.group("h").lower()
    half = 1 if h in ("h1", "first") else 2
    year = _year_of(m.group("y"))
    if year is None:
        start, end = cal.most_recent(today, lambda y: cal.half_range(y, half))
    else:
        start, end = cal.half_range(year, half)
    return start, end, f"H{half} {start.year}", "quarter", "period"


_PART = r"(?P<p>q[1-4]|h[12]|" + ORD + r"\s+(?:quarter|half)|" + MON[1:-4] + r")"
_REL_YEAR = r"(?P<r>last|this|previous|prior|the\s+previous|the\s+prior)\s+year"


def _part_of_year(m: re.Match[str], today: dt.date):
    """"Q4 last year", "March of last year", "last year's H1": a part of a year named relative to today."""
    year = today.year - (0 if m.group("r").lower() == "this" else 1)
    part = m.group("p").lower()
    if part[0] in "qh" and part[1:].isdigit():
        n, unit = int(part[1]), "quarter" if part[0] == "q" else "half"
    elif part.split()[0] in ORDINAL and len(part.split()) == 2:
        n, unit = ORDINAL[part.split()[0]], part.split()[1]
    else:
        start, end = cal.month_range(year, MONTH_NAMES[part.rstrip(".")])
        return start, end, cal.describe(start, end), "month", "period"
    if unit == "half":
        start, end = cal.half_range(year, n)
        return start, end, f"H{n} {year}", "quarter", "period"
    return _quarter(year, n, today)


def _week_of(m: re.Match[str], today: dt.date):
    """"the week of Nov 2", "week starting 2026-11-02": the Monday–Sunday week holding that day."""
    if m.group("iso"):
        day = cal.safe_date(*map(int, m.group("iso").split("-")))
    else:
        month, d = MONTH_NAMES[m.group("mon").lower().rstrip(".")], int(m.group("d"))
        if m.group("y"):
            day = cal.safe_date(int(m.group("y")), month, d)
        else:
            day = cal.safe_date(today.year, month, d)
            day = day if day is None or day <= today else cal.safe_date(today.year - 1, month, d)
    if day is None:
        return cal.INVALID
    start = cal.period_start(day, "week")
    end = start + dt.timedelta(days=6)
    return start, end, f"week of {start.isoformat()}", "week", "period"


def _year(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    year = _year_of(m.group("y"))
    text = m.string
    if m.group("fy") is None and QUANTITY_BEFORE.search(text, 0, m.start()):
        return None
    return (*cal.year_range(year), str(year), "year", "period")


_SEASON = r"(?P<s>spring|summer|autumn|fall)"


def _season(m: re.Match[str], today: dt.date):
    """"this summer", "summer 2025", "last year's summer": June to August of the year named (this year when none
    is). "last summer" is left unread: in November it is as much this year's as last year's."""
    g = m.groupdict()
    back = (g.get("r") or "this").lower() != "this"  # last, previous, prior: the year before
    year = int(g["y"]) if g.get("y") else today.year - back
    start, end = cal.season_range(year, g["s"].lower())
    return start, end, cal.describe(start, end), "quarter", "period"


def _recently(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    """"lately", "recently", "these days": the last 30 days (the README's convention)."""
    return (*cal.last_n(today, "day", 30), "last 30 days", "day", "last_n")


RULES: list[cal.Rule] = [
    (_rx(r"(?:the\s+)?(?:full|whole|entire|calendar)[\s-]+year\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)(?P<fy>)"), _year),
    (_rx(r"(?:the\s+)?week\s+(?:of|starting|beginning|commencing)\s+(?:(?P<iso>(?:19|20)\d\d-\d{2}-\d{2})|(?P<mon>"
         + MON[1:-4] + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?)"), _week_of),
    (_rx(_PART + r",?\s+(?:of\s+|in\s+)?" + _REL_YEAR), _part_of_year),
    (_rx(_REL_YEAR + r"(?:'s|s'|s)?\s+" + _PART), _part_of_year),
    (_rx(r"(?:today|the\s+day\s+before\s+yesterday|yesterday)"), _day_words),
    # "last Friday", "this Monday", "on Tuesday" (a day: "Mondays", "every Monday" are not)
    # ("since Monday": the most recent one, to today — "since" itself is read by phrases._since)
    (_rx(r"(?:(?P<which>last|past|previous|this)\s+|on\s+|(?<=since\s)(?![a-z]+\s+(?:of\s+)?(?:the\s+)?(?:last|this|next|previous|past|prior)\s+week))"
         r"(?P<wd>mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)"
         r"(?:day)?(?!s\b)\b"), _weekday),
    # "last weekend", "this weekend", "over the weekend", "this past weekend"
    # ("on the weekend", "weekends" are weekend days, maybe a dimension's value: not a period)
    (_rx(r"(?:(?P<which>last|previous|this)\s+(?:past\s+)?|past\s+|over\s+the\s+(?:past\s+)?|the\s+(?=week[\s-]?end"
         r"\s+before))week[\s-]?end(?P<before>\s+before\s+last)?(?!s)"), _weekend),
    (_rx(r"(?:lately|recently|these\s+days|nowadays|of\s+late|in\s+recent\s+(?:days|weeks))"), _recently),
    # ("did sales fall", "Spring Valley": a season word alone is no period — only with "this", a year, or a year's)
    (_rx(r"(?P<r>this)\s+" + _SEASON), _season),
    (_rx(_SEASON + r",?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)"), _season),
    (_rx(_SEASON + r",?\s+(?:of\s+)?" + _REL_YEAR), _season),
    (_rx(_REL_YEAR + r"(?:'s|s'|s)?\s+" + _SEASON), _season),
    (_rx(r"(?:so\s+far\s+)?(?:this|the\s+current|current)\s+(?:calendar\s+)?(?P<u>week|month|quarter|year)"
         r"(?:\s+(?:so\s+far|to\s+date))?"), _current),
    (_rx(r"(?:the\s+)?(?P<u>week|month|quarter|year)(?:[- ]to[- ]date|\s+so\s+far)"), _current),
    (_rx(r"since\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+(?P<u>week|month|quarter|year)"), _current),
    (_rx(r"([wmqy]td)"), _to_date_abbr),
    (_rx(r"(?:the\s+)?(?:last|previous|prior|past|preceding)\s+(?:full\s+|complete\s+|calendar\s+)?"
         r"(?P<u>week|month|quarter|year)(?P<before>)"), _previous),
    (_rx(r"the\s+(?P<u>week|month|quarter|year)\s+before\s+(?P<before>last)"), _previous),
    (_rx(r"(?:(?:in|over|during|for|within)\s+)?(?:the\s+)?(?:last|past|previous|prior|trailing|rolling)\s+"
         r"(?:full\s+|complete\s+)?(?P<n>" + NUM[1:-1] + r")\s+(?:full\s+|complete\s+|calendar\s+)?(?P<u>" +
         UNIT[1:-3] + r")s?"), _last_n),
    (_rx(r"(?:ttm|ltm|trailing\s+twelve\s+months)"), _ttm),
    (_rx(r"(?:(?:in|over|during|for|within)\s+)?(?:the\s+)?(?:last|past|previous|prior|trailing)\s+"
         r"half[- ](?:a[- ])?year"), _half_year),
    (_rx(r"(?P<n>" + NUM[1:-1] + r")\s+(?P<u>day|week|month|quarter|year)s?\s+ago"), _ago),
    (re.compile(r"(?<![\d/.-])" + YEAR4 + r"[-/.](\d{1,2})[-/.](\d{1,2})(?![\d/.-])"), _iso_date),
    (re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})/" + YEAR4 + r"(?![\d/])"), _us_date),
    (_rx(r"(?P<mon>" + MON[1:-4] + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)"),
     _month_day_year),
    (_rx(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + MON[1:-4] + r")\.?,?\s+(?P<y>(?:19|20)\d\d)"),
     _month_day_year),
    (_rx(r"(?P<mon>" + MON[1:-4] + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d:]|,?\s+(?:19|20)\d\d)"), _month_day),
    (_rx(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + MON[1:-4] + r")"), _month_day),
    (_rx(r"(?P<m>" + MON[1:-4] + r")\.?,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)"), _month_year),
    (re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])(?![\d-])"), _month_year),
    (_rx(r"(?P<m>" + MON[1:-4] + r")"), _bare_month),
    (_rx(r"(?P<fy>)q(?P<q>[1-4])(?:\s*(?:fy\s*|of\s+|,\s*)?\s*(?P<y>(?:19|20)\d\d)|\s*(?:'|fy\s*)(?P<yy>\d\d))?"),
     _q_year),
    (_rx(r"(?P<y>(?:19|20)\d\d)\s*[- ]?\s*q(?P<q>[1-4])(?P<yy>)"), _q_year),
    (_rx(r"(?:the\s+)?" + ORD + r"\s+quarter(?:\s+(?:of\s+)?(?:fy\s*)?(?P<y>(?:19|20)\d\d))?"), _ord_quarter),
    (_rx(r"(?:the\s+)?last\s+quarter\s+of\s+(?:fy\s*)?(?P<y>(?:19|20)\d\d)"), _last_quarter_of),
    (_rx(r"(?:(?:iso\s+)?week|wk)\s*(?P<w>\d{1,2})(?:,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d))?"), _iso_week),
    (_rx(r"(?P<y>(?:19|20)\d\d)-?w(?P<w>\d{1,2})"), _iso_week),
    (_rx(r"(?P<h>h[12])(?:\s*(?:fy\s*|of\s+|,\s*)?\s*(?P<y>(?:19|20)\d\d))?"), _half),
    (_rx(r"(?:the\s+)?(?P<h>first|second)\s+half(?:\s+of)?(?:\s+(?:the\s+year|(?P<y>(?:19|20)\d\d)))?"), _half),
    # a hyphen joins a year only to another year ("2024-2025"), never to a month ("2024-03")
    (re.compile(r"(?<![A-Za-z0-9/.,])(?:(?<!-)|(?<=(?:19|20)\d\d-))"
                r"(?:(?P<fy>fy|fiscal\s+year|fiscal|calendar\s+year|the\s+year)\s*)?"
                r"(?P<y>(?:19|20)\d\d)(?![A-Za-z0-9%/]|[.,]\d|-(?!(?:19|20)\d\d(?!\d)))", re.I), _year),
    (_rx(r"(?P<fy>fy)\s*(?P<y>\d\d)"), _year),
]
