"""Grain words ("by month", "weekly", 按月, 每周, 逐日, 月度) and comparison words ("vs last month", "YoY", 环比, 同比).

Both return the first match in the text with its character span, so the caller can remove the words.
"over time" and "trend" decide no grain on purpose: the caller picks one from the period's length.
"""
from __future__ import annotations

import re

from metricloop.core.query import Compare
from metricloop.core.time.calendar import Grain

B, E = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
# "daily active users", "monthly recurring revenue", "annual contract value" are metric names, not grains
# ... and "on annual billing", "monthly plans", "for yearly subscriptions" name a billing interval, not a grain
NOT_A_METRIC = (r"(?!\s+(?:active|recurring|contracts?|run[- ]rate|billing|plans?|subscriptions?|subs?|pricing"
                r"|memberships?|passes|pass|payments?|invoices?|invoicing|cycles?|intervals?|renewals?|terms?|customers?|accounts?"
                r"|subscribers?|members?)\b)")
_EN_GRAIN = {
    # ("by day of week" groups by weekday, which no grain is: it is asked about, not answered day by day)
    "day": r"daily|day[- ]by[- ]day|(?:by|per|each|every)\s+(?:calendar\s+)?(?:day|date)(?!\s+of\s+(?:the\s+)?week)",
    "week": r"weekly|week[- ]by[- ]week|(?:by|per|each|every)\s+(?:calendar\s+|iso\s+)?week",
    "month": r"monthly|month[- ]by[- ]month|(?:by|per|each|every)\s+(?:calendar\s+)?month",
    "quarter": r"quarterly|quarter[- ]by[- ]quarter|(?:by|per|each|every)\s+(?:calendar\s+)?quarter",
    "year": r"yearly|annual(?:ly)?|year[- ]by[- ]year|(?:by|per|each|every)\s+(?:calendar\s+)?year",
}
_ZH_GRAIN = {
    "day": r"(?:按|每|逐|分)(?:天|日)|日度",
    "week": r"(?:按|每|逐|分)(?:个)?(?:周|星期)(?![一二三四五六日天1-7几])|周度",  # 每周一: Mondays; 按星期几: weekdays
    "month": r"(?:按|每|逐|分)(?:个)?月(?:份)?|月度",
    "quarter": r"(?:按|每|逐|分)(?:个)?季度?|(?<![本上下这当第一二三四1-4个前今去])季度",
    "year": r"(?:按|每|逐|分)年(?:度|份)?|(?<![\d本上下这当今去前])年度",
}
GRAIN_PATTERNS: list[tuple[re.Pattern[str], Grain]] = [
    (re.compile(B + r"(?:" + body + r")" + E + NOT_A_METRIC, re.I), grain)  # type: ignore[misc]
    for grain, body in _EN_GRAIN.items()
] + [
    # 每月活跃 (MAU) is a metric; 月度/季度 after 本/上/第… are periods (本季度), not grains
    # 按年龄段 is by age group, 每月会费 a monthly fee: a word that starts with 年/月 is no grain
    (re.compile(r"(?:" + body + r")(?!活跃|经常|龄|纪|轻|限|薪|费|卡|租|会|票)"), grain)  # type: ignore[misc]
    for grain, body in _ZH_GRAIN.items()
]

# Grains finer than a day, which no metric is kept at ("trips per online hour" is a metric's name, and
# a "per <word> hour" is not matched here).
_FINER = re.compile(B + r"(?:(?:by|per|each|every)\s+(?:the\s+)?(?P<en>hour|minute|second)s?|(?P<ly>hour)ly"
                    r"|(?P<by>hour|minute)[- ]by[- ](?:hour|minute))" + E
                    + r"|(?:按|每|逐|分)(?:个)?(?P<zh>小时|钟头|分钟)"
                    # a time of day ("between 8am and 9am", 早上8点到9点): a part of a day, which no daily row holds
                    r"|\b(?P<clock>\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.))(?![a-z])"
                    r"|(?P<zhclock>(?:早上|上午|中午|下午|晚上|凌晨|夜里)\d{1,2}点"
                    r"|(?<![\d.])\d{1,2}点(?:钟|半|到|至|之间|以前|以后|之前|之后|前|后))", re.I)
_FINER_ZH = {"小时": "hour", "钟头": "hour", "分钟": "minute"}


def finer_grain_match(text: str) -> tuple[str, int, int] | None:
    """A grain finer than a day ("by hour", "hourly", 按小时): (hour | minute | second, start, end)."""
    m = _FINER.search(text)
    if m is None:
        return None
    if m.group("clock") or m.group("zhclock"):
        return "hour", m.start(), m.end()
    word = m.group("en") or m.group("ly") or m.group("by") or _FINER_ZH[m.group("zh")]
    return word.lower(), m.start(), m.end()


_VS = r"(?:vs\.?|v\.?s\.?|versus|compared\s+(?:to|with)|comparing\s+(?:to|with)|in\s+comparison\s+(?:to|with)|" \
      r"compare\s+(?:it\s+|that\s+|this\s+)?(?:to|with|against)|against|relative\s+to)\s+"
_N = r"(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
_PREV_OBJ = r"(?:the\s+)?(?:(?:previous|prior|last|preceding)\s+(?:" + _N + r")?(?:period|day|week|month|quarter)s?|" \
            r"(?:" + _N + r")?(?:day|week|month|quarter|period)s?\s+(?:before|prior|earlier)|yesterday|" \
            r"a\s+(?:day|week|month|quarter)\s+(?:ago|earlier|before))"
# ("vs the same quarter a year ago": the whole of it names the comparison, "a year ago" no second period of its own)
_YOY_OBJ = r"(?:the\s+)?(?:(?:previous|prior|last|preceding)\s+year(?:'s)?|year\s+before|" \
           r"a\s+year\s+(?:ago|earlier|before)|same\s+(?:period|time|day|week|month|quarter)\s+" \
           r"(?:(?:of\s+)?last|a|the\s+previous|the\s+prior)\s+year(?:\s+(?:ago|earlier|before))?)"
# (再前一周, 再上一个月: "the one before that", said after the period asked)
_ZH_PREV_OBJ = r"(?:再?上一?个?(?:月|周|星期|季度|季|期)|再?前一个?(?:天|日|周|星期|月|季度|季|期)|昨天|昨日)"
_ZH_YOY_OBJ = r"(?:去年(?:同期)?|上一?年(?:同期)?|前一年)"
# (与, 和, 跟, 同 ending a word are no "vs": 合同上个月 is a contract before "last month", 参与上周 participation)
_ZH_VS = r"(?:环比|同比|(?<![参给赋])与|(?<![总温缓平饱调共暖])和|(?<![脚鞋])跟|(?<![合共相不协陪连如等认赞雷])同" \
         r"|对比|相比(?:于)?|相较(?:于)?|较|比)"
COMPARE_PATTERNS: list[tuple[re.Pattern[str], Compare]] = [
    (re.compile(B + _VS + _YOY_OBJ + E, re.I), "year_over_year"),
    (re.compile(B + _VS + _PREV_OBJ + E, re.I), "previous_period"),
    (re.compile(B + r"(?:same\s+(?:period|time|day|week|month|quarter)\s+(?:of\s+)?last\s+year|"
                r"year[- ](?:over|on)[- ]year|y/y|yoy)" + E, re.I), "year_over_year"),
    (re.compile(B + r"(?:YoY|YOY|Yoy)" + E), "year_over_year"),
    (re.compile(B + r"(?:(?:day|week|month|quarter|period)[- ](?:over|on)[- ](?:day|week|month|quarter|period)|"
                r"qoq|sequential(?:ly)?)" + E, re.I), "previous_period"),
    # "wow", "mom" and "pop" are also ordinary words: only their capitalised forms count
    (re.compile(B + r"(?:WoW|WOW|MoM|MOM|QoQ|QOQ|DoD|DOD|PoP|POP)" + E), "previous_period"),
    # ... and in lower case after a word and at the end or before a period ("net sales wow", "orders mom last month")
    (re.compile(r"(?<=\w )(?:wow|mom|dod|pop)(?=\s*(?:$|[?.!]|(?:this|last|for|in|since|over|growth|change)\b))"),
     "previous_period"),
    (re.compile(_ZH_VS + r"\s*" + _ZH_YOY_OBJ + r"(?:相比|比较|对比|比)?"), "year_over_year"),
    (re.compile(_ZH_VS + r"\s*" + _ZH_PREV_OBJ + r"(?:相比|比较|对比|比)?"), "previous_period"),
    (re.compile(r"同比(?:增长|下降|变化)?|去年同期"), "year_over_year"),
    (re.compile(r"环比(?:增长|下降|变化)?"), "previous_period"),
]


def _first(patterns, text: str):  # noqa: ANN001
    """The earliest match across patterns; the longest one when two start at the same place."""
    best = None
    for pattern, value in patterns:
        m = pattern.search(text)
        if m and (best is None or (m.start(), -m.end()) < (best[0].start(), -best[0].end())):
            best = (m, value)
    return best


def grain_match(text: str) -> tuple[Grain, int, int] | None:
    got = _first(GRAIN_PATTERNS, text)
    return None if got is None else (got[1], got[0].start(), got[0].end())


def compare_match(text: str) -> tuple[Compare, int, int] | None:
    got = _first(COMPARE_PATTERNS, text)
    return None if got is None else (got[1], got[0].start(), got[0].end())
