"""Chinese time expressions: 今天/昨天/前天, 本周/上周, 本月/上个月, 本季度/上季度, 今年/去年/前年, 最近7天,
过去三个月, 3天前, 年初至今, 2025年3月1日, 3月1日, 2025年3月, 三月, 2024年第三季度, 第三季度, 上半年, 2024年.

Numbers may be Arabic or Chinese (一二三…十, 两, 十二, 三十). Chinese has no spaces, so rules need no word
boundaries; digit guards keep "7日留存" or "3个月" (a count, not March) from being read as dates.
"""
from __future__ import annotations

import datetime as dt
import re

from metricloop.core.time import calendar as cal
from metricloop.core.time import english

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = r"[零一二两三四五六七八九十]{1,3}"
NUM = r"(\d{1,3}|" + CN_NUM + r")"
UNITS = {"天": "day", "日": "day", "周": "week", "星期": "week", "礼拜": "week", "月": "month", "季度": "quarter",
         "季": "quarter", "年": "year"}
UNIT = r"(?:个)?(星期|礼拜|季度|天|日|周|月|季|年)"
UNIT_LABEL = {"day": "天", "week": "周", "month": "个月", "quarter": "个季度", "year": "年"}
QUARTER = r"([一二三四1-4])"
THIS = r"(?:本|这个|这|当|今)"


def cn_int(text: str) -> int | None:
    """'7' → 7, '三' → 3, '十二' → 12, '三十' → 30, '两' → 2; None if it is not a number."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        return CN_DIGITS.get(tens, 0 if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(text) if len(text) == 1 else None


def _fixed(grain, how: str, label: str, back: int = 1):  # noqa: ANN001
    """A handler for a fixed phrase: the current period so far, or the period `back` periods ago."""
    def handler(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
        if how == "current":
            if grain == "day":
                return today, today, label, "day", "date"
            return (*cal.to_date(today, grain), label, grain, "current")
        if grain == "day":
            d = today - dt.timedelta(days=back)
            return d, d, label, "day", "date"
        return (*cal.periods_ago(today, grain, back), label, grain, "period")
    return handler


def _last_n(m: re.Match[str], today: dt.date):
    n, grain = cn_int(m.group(1)), UNITS[m.group(2)]
    if not n:
        return None
    if n == 1 and grain == "month":  # 最近一个月, 过去一个月: the last 30 days (上个月 is the calendar month)
        return _recently(m, today)
    return (*cal.last_n(today, grain, n), f"最近{n}{UNIT_LABEL[grain]}", grain, "last_n")


def _half_year(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    """近半年, 过去半年: the last six full months (最近6个月)."""
    return (*cal.last_n(today, "month", 6), "最近6个月", "month", "last_n")


def _ago(m: re.Match[str], today: dt.date):
    n, grain = cn_int(m.group(1)), UNITS[m.group(2)]
    if not n:
        return None
    return (*cal.periods_ago(today, grain, n), f"{n}{UNIT_LABEL[grain]}前", grain, "ago")


def _ymd(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    d = cal.safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return cal.INVALID if d is None else (d, d, cal.describe(d, d, "zh"), "day", "date")


def _md(m: re.Match[str], today: dt.date):
    month, day = cn_int(m.group(1)), cn_int(m.group(2))
    if not month or not day or cal.safe_date(2024, month, day) is None:
        return cal.INVALID

    def in_year(year: int):
        d = cal.safe_date(year, month, day) or dt.date(year, month, day - 1)
        return d, d

    start, end = cal.most_recent(today, in_year)
    return start, end, cal.describe(start, end, "zh"), "day", "date", in_year


def _md_range(m: re.Match[str], today: dt.date):
    """11月1日到15日: days of one month, the second without its month."""
    month, first, last = cn_int(m.group(1)), cn_int(m.group(2)), cn_int(m.group(3))
    if not month or not first or not last or first > last or cal.safe_date(2024, month, first) is None \
            or cal.safe_date(2024, month, last) is None:
        return cal.INVALID

    def in_year(year: int):
        start = cal.safe_date(year, month, first) or dt.date(year, month, first - 1)
        return start, cal.safe_date(year, month, last) or dt.date(year, month, last - 1)

    start, end = cal.most_recent(today, in_year)
    start, end = cal.clip(start, end, today)
    return start, end, cal.describe(start, end, "zh"), "day", "range", in_year


def _ym(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    month = cn_int(m.group(2))
    if not month or month > 12:
        return None
    start, end = cal.month_range(int(m.group(1)), month)
    return start, end, cal.describe(start, end, "zh"), "month", "period"


def _month(m: re.Match[str], today: dt.date):
    month = cn_int(m.group(1))
    if not month or month > 12:
        return None

    def in_year(year: int):
        return cal.month_range(year, month)

    start, end = cal.most_recent(today, in_year)
    return start, end, cal.describe(start, end, "zh"), "month", "period", in_year


_YEAR_BACK = {"今年": 0, "本年": 0, "去年": 1, "前年": 2}


def _relative_ym(m: re.Match[str], today: dt.date):
    """今年3月, 去年十二月: a month of a year named relative to today."""
    month = cn_int(m.group(2))
    if not month or month > 12:
        return None
    start, end = cal.month_range(today.year - _YEAR_BACK[m.group(1)], month)
    return start, end, cal.describe(start, end, "zh"), "month", "period"


def _season(m: re.Match[str], today: dt.date):
    """今年夏天, 去年夏季, 2025年秋天: the season's three months of that year (冬天 straddles two: not read)."""
    year = int(m.group(1)[:4]) if m.group(1)[:1].isdigit() else today.year - _YEAR_BACK[m.group(1)]
    start, end = cal.season_range(year, m.group(2))
    return start, end, cal.describe(start, end, "zh"), "quarter", "period"


def _relative_ymd(m: re.Match[str], today: dt.date):
    """去年3月1日: a day of a year named relative to today."""
    month, day = cn_int(m.group(2)), cn_int(m.group(3))
    d = cal.safe_date(today.year - _YEAR_BACK[m.group(1)], month or 0, day or 0)
    return cal.INVALID if d is None else (d, d, cal.describe(d, d, "zh"), "day", "date")


def _relative_quarter(m: re.Match[str], today: dt.date):
    """去年第四季度, 今年Q1: a quarter of a year named relative to today."""
    q = cn_int(next(g for g in m.groups()[1:] if g))  # 第四季度, 四季度 or Q4
    if not q or q > 4:
        return None
    start, end = cal.quarter_range(today.year - _YEAR_BACK[m.group(1)], q)
    return start, end, cal.describe(start, end, "zh"), "quarter", "period"


def _quarter(m: re.Match[str], today: dt.date):
    year, q = m.group(1), cn_int(m.group(2))
    if year:
        start, end = cal.quarter_range(int(year), q)
        return start, end, cal.describe(start, end, "zh"), "quarter", "period"
    start, end = cal.most_recent(today, lambda y: cal.quarter_range(y, q))
    return start, end, cal.describe(start, end, "zh"), "quarter", "period", lambda y: cal.quarter_range(y, q)


def _week(m: re.Match[str], today: dt.date):
    week = cn_int(m.group(2))
    if not week:
        return None
    return english.iso_week(int(m.group(1)) if m.group(1) else None, week, today, "zh")


def _half(m: re.Match[str], today: dt.date):
    year_word, half = m.group(1), 1 if m.group(2) == "上" else 2
    if year_word and year_word[0].isdigit():
        year = int(year_word[:4])
    elif year_word:
        year = today.year - _YEAR_BACK[year_word]
    else:
        year = cal.most_recent(today, lambda y: cal.half_range(y, half))[0].year
    start, end = cal.half_range(year, half)
    return start, end, f"{year}年{m.group(2)}半年", "quarter", "period"


def _first_quarters(m: re.Match[str], today: dt.date):
    """今年前三季度, 前两个季度: from the start of the year to the end of its Nth quarter (this year unless said)."""
    year_word, n = m.group(1), cn_int(m.group(2))
    if not n or not 1 <= n <= 4:
        return None
    year = int(year_word[:4]) if year_word and year_word[0].isdigit() \
        else today.year - (_YEAR_BACK[year_word] if year_word else 0)
    start, end = cal.year_range(year)[0], cal.quarter_range(year, n)[1]
    return start, end, f"{year}年前{m.group(2)}季度", "quarter", "period"


def _year(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    year = int(m.group(1))
    return (*cal.year_range(year), f"{year}年", "year", "period")


def _rx(body: str) -> re.Pattern[str]:
    return re.compile(body, re.I)


_WEEKDAY_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": None}
_WEEK_ZH = {"上上": "before_last", "上": "last", "本": "this", "这": "this", "这个": "this", "": "recent"}


def _weekday(m: re.Match[str], today: dt.date):
    """上周五, 本周一, 周三: one day of a week (周三 alone is the most recent Wednesday)."""
    digit = m.group(2)
    weekday = int(digit) - 1 if digit.isdigit() else _WEEKDAY_ZH[digit]
    if weekday is None or weekday > 6:
        return None
    day = cal.weekday_of(today, weekday, _WEEK_ZH[m.group(1) or ""])
    return day, day, m.group(0), "day", "date"


def _weekend(m: re.Match[str], today: dt.date):
    """上周末, 本周末, 周末: Saturday and Sunday of a week (周末 alone: the most recent one begun)."""
    start, end = cal.weekend_of(today, _WEEK_ZH[m.group(1) or ""])
    return start, end, m.group(0), "day", "range"


def _recently(m: re.Match[str], today: dt.date):  # noqa: ARG001 - every phrase handler takes (match, today)
    """最近 / 近期 with no number: the last 30 days, as "lately" in English."""
    return (*cal.last_n(today, "day", 30), "最近30天", "day", "last_n")


# 去年全年, 前年一整年, 去年一年: the whole year, said so (去年一年级 is no year: 一年 of a grade, a term)
_WHOLE_YEAR = r"(?:\s*的?\s*(?:全年|整年|一整年|全年度|一年(?![级期半多内以来前后里度])))?"

RULES: list[cal.Rule] = [
    (_rx(r"今天|今日"), _fixed("day", "current", "今天")),
    (_rx(r"(?:最近|近期|近来|这段时间)(?!\s*(?:的)?\s*(?:\d|[一两二三四五六七八九十几]))"), _recently),
    (_rx(r"昨天|昨日"), _fixed("day", "ago", "昨天", 1)),
    (_rx(r"(?<!大)前天"), _fixed("day", "ago", "前天", 2)),
    (_rx(r"大前天"), _fixed("day", "ago", "大前天", 3)),
    (_rx(THIS + r"(?:周|星期|礼拜)"), _fixed("week", "current", "本周")),
    # (周末 alone is weekend days, maybe a dimension's value: not a period)
    (_rx(r"(?<!每)(上上|上|本|这个|这)(?:个|一)?(?:周|星期|礼拜)末"), _weekend),
    (_rx(r"上(?:个|一)?(?:周|星期|礼拜)"), _fixed("week", "ago", "上周")),
    (_rx(r"上上(?:个)?(?:周|星期|礼拜)"), _fixed("week", "ago", "上上周", 2)),
    # 上周五, 本周一, 周三 (每周一 is every Monday, not a day: see core/time/words)
    # (一共 is "in all", 日活 daily actives, 日料 Japanese food, 5G of 上周5G套餐: a weekday is not the start of another
    # word)
    (_rx(r"(?<!每)(上上|上|本|这个|这)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])(?![\d一二三四五六七八九十]*(?:周|个))"
         # (上周三家店 is last week's three shops: a number before a measure word counts things, no weekday)
         r"(?![家位名台辆种条张份件所间座艘架只款批户])"
         r"(?!(?<=[1-7])[a-zA-Z0-9])"
         r"(?!(?<=一)(?:共|起|直|样|致|般|下|些|点|次|定|切|律|同|并|道))(?!(?<=[日天])(?:活|均|料|报|常|志|期|度|内|用))"),
     _weekday),
    (_rx(r"(?:本|这个|这|当)月份?"), _fixed("month", "current", "本月")),
    (_rx(r"上(?:个|一)?月"), _fixed("month", "ago", "上个月")),
    (_rx(r"上上(?:个)?月"), _fixed("month", "ago", "上上个月", 2)),
    (_rx(r"(?:本|这个|这|当)季度?"), _fixed("quarter", "current", "本季度")),
    (_rx(r"上(?:个|一)?季度?"), _fixed("quarter", "ago", "上季度")),
    (_rx(r"(?:今年|本年度?|当年)"), _fixed("year", "current", "今年")),
    (_rx(r"(?:去年|上一?年度?)" + _WHOLE_YEAR), _fixed("year", "ago", "去年")),
    (_rx(r"前年" + _WHOLE_YEAR), _fixed("year", "ago", "前年", 2)),
    (_rx(r"(?:年初|今年年初)(?:至今|到现在|到今天|迄今)|今年迄今"), _fixed("year", "current", "年初至今")),
    (_rx(r"(?:季初|本季度初)(?:至今|到现在|到今天|迄今)"), _fixed("quarter", "current", "季初至今")),
    (_rx(r"(?:月初)(?:至今|到现在|到今天|迄今)"), _fixed("month", "current", "本月至今")),
    (_rx(r"(?:周初)(?:至今|到现在|到今天|迄今)"), _fixed("week", "current", "本周至今")),
    (_rx(r"(?:最近|近|过去|过往)的?\s*" + NUM + r"\s*" + UNIT + r"(?:内|以来|里)?"), _last_n),
    (_rx(r"(?:最近|近|过去|过往)的?\s*(?:一个)?半年(?:内|以来|里)?"), _half_year),
    (_rx(r"(?<![\d年月])" + NUM + r"\s*" + UNIT + r"(?:之|以)?前"), _ago),
    (_rx(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), _ymd),
    (_rx(r"(?<![\d年个])" + r"(\d{1,2}|" + CN_NUM + r")\s*月\s*(\d{1,2}|" + CN_NUM + r")\s*[日号]?"
         r"\s*(?:到|至|-|–|~|～)\s*(\d{1,2}|" + CN_NUM + r")\s*[日号](?:之间|为止)?"), _md_range),
    (_rx(r"(?<![\d年个])" + r"(\d{1,2}|" + CN_NUM + r")\s*月\s*(\d{1,2}|" + CN_NUM + r")\s*[日号]"), _md),
    (_rx(r"((?:19|20)\d\d)\s*年\s*(\d{1,2}|" + CN_NUM + r")\s*月份?"), _ym),
    (_rx(r"(今年|本年|去年|前年)\s*的?\s*(\d{1,2}|" + CN_NUM + r")\s*月\s*(\d{1,2}|" + CN_NUM + r")\s*[日号]"),
     _relative_ymd),
    (_rx(r"(今年|本年|去年|前年)\s*的?\s*(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?(?![\d日号度])"),
     _relative_ym),
    (_rx(r"(?<![\d年个近第前])(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?(?![\d日号度])"), _month),
    (_rx(r"((?:19|20)\d\d年|今年|本年|去年|前年)\s*的?\s*([春夏秋])(?:天|季)"), _season),
    (_rx(r"(今年|本年|去年|前年)\s*的?\s*(?:第\s*" + QUARTER + r"\s*(?:季度|季)|" + r"([一二三四])季度|Q([1-4]))"),
     _relative_quarter),
    (_rx(r"(?:((?:19|20)\d\d)\s*年\s*)?第" + QUARTER + r"(?:季度|季)"), _quarter),
    (_rx(r"(?:((?:19|20)\d\d)\s*年\s*)?(?<![第前近个上本这])" + r"([一二三四])季度"), _quarter),
    (_rx(r"((?:19|20)\d\d)\s*年\s*(?:第)?Q([1-4])"), _quarter),
    (_rx(r"(?:((?:19|20)\d\d)\s*年\s*)?第\s*(\d{1,2}|" + CN_NUM + r")\s*(?:周|星期)"), _week),
    (_rx(r"((?:19|20)\d\d年|今年|本年|去年|前年)?的?(上|下)半年"), _half),
    (_rx(r"((?:19|20)\d\d年|今年|本年|去年|前年)?的?前([二两三四2-4])个?季度"), _first_quarters),
    (_rx(r"(?<!\d)((?:19|20)\d\d)\s*(?:年度|年|财年)(?!\s*\d{1,2}\s*月)" + _WHOLE_YEAR), _year),
]
