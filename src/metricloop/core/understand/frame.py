"""The frame of a question: period, grain, comparison, ranking, sorting and the kind of request. Pure.

Everything here is language, never catalog: time words come from core/timeframes; ranking ("top 5",
前五), sorting, row-listing requests ("list all policies") and trend words are generic patterns
(negation lives in core/understand/negation). Each match records its character span so
metric/dimension matching can ignore those words.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from metricloop.core.query import Compare, TimeRange
from metricloop.core.time.calendar import Grain, add_periods
from metricloop.core.time.phrases import (
    Span,
    TimeMatch,
    find_compare,
    find_finer_grain,
    find_grain,
    find_invalid_dates,
    find_time_range,
    other_periods,
)
from metricloop.core.time.ranges import comparison_range
from metricloop.core.understand.units import asked_currency

_CN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TOP = re.compile(
    r"\b(?:(?P<dir>top|bottom|best|worst|highest|lowest|largest|smallest|biggest|leading)"
    r"(?:[\s-]+(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten))?)\b"
)
# "slowest 3 case types": a speed superlative with its count ranks as "top 3" (without one it is read below, with the
# span of time it asks)
_TOP_SPEED = re.compile(r"\b(?P<dir>slowest|fastest|longest|shortest|quickest)[\s-]+"
                        r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b")
_TOP_DOWN = ("bottom", "worst", "lowest", "smallest", "fastest", "shortest", "quickest", "后", "最低的", "倒数")
_TOP_ZH = re.compile(r"(?P<dir>前|后|最高的|最低的|排名前|倒数)(?P<n>\d{1,3}|[一两二三四五六七八九十])"
                     r"(?!个?(?:月|周|天|年|季|日|星期|小时))(?:个|名|大|位)?")
_MOST = re.compile(r"(?<!\bat\s)\b(?:the\s+)?(?P<dir>most|least|fewest|highest|lowest|largest|smallest|biggest|best"
                   r"|worst|weakest|strongest|fastest|quickest|shortest|slowest|longest)\b(?!\s+(?:of\s+(?:our|the|their|my|them|these|"
                   r"those)|folks|people)\b)")
# ("at least once", "at most twice" say how often, they rank nothing; nor does "most of our alarms", "most folks":
# the greater part of them)
_ASCENDING = ("least", "fewest", "lowest", "smallest", "worst", "weakest", "fastest", "quickest", "shortest",
              "最低", "最少", "最小", "最差", "最快", "最短")
# good or bad: depends on the metric's direction
_JUDGEMENT = ("best", "worst", "weakest", "strongest", "最好", "最差", "top", "bottom")
_MOST_ZH = re.compile(r"(?P<dir>最高|最多|最大|最好|最低|最少|最小|最差|最快|最慢|最长|最短)")
_MOST_BEFORE_ZH = re.compile(_MOST_ZH.pattern + r"的?$")
# the measure words that count ranked rows (最多的5个, 五辆车, 三家店)
RANK_CLASSIFIERS_ZH = "个名家位条款辆台座间所支种类只架艘部件门块片栋处组队场项"
_COUNT_ZH = re.compile(rf"的?(?P<n>\d{{1,3}}|[一两二三四五六七八九十])[{RANK_CLASSIFIERS_ZH}](?!月|星期|小时)")
# "the 5 carriers with the most lost parcels": a count before the ranked noun, the superlative after it
_COUNT_EN = re.compile(r"(?:^\s*|\bthe\s+)(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+"
                       r"(?:[a-z-]+\s+){1,3}(?:with|that|which|who|having|had|have|has|got|saw|[a-z]{3,}ing)\s+"
                       r"(?:[a-z]+\s+){0,2}(?:the\s+)?$")
_WHICH = re.compile(r"^\s*(?:which|what)\b|哪(?:个|些|一个|家|里)?")
_WHICH_N = re.compile(r"^\s*(?:which|what)\s+(?:are\s+the\s+)?(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine"
                      r"|ten)\b")
_SORT = re.compile(
    r"\b(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?)\s+(?:\w+\s+){0,3}?(?:by\s+)?(?:\w+\s+){0,2}?"
    r"(?P<dir>desc(?:ending)?|asc(?:ending)?|highest\s+first|lowest\s+first|largest\s+first|smallest\s+first)\b"
    r"|\bfrom\s+(?P<dir2>highest|lowest|largest|smallest)\s+to\s+(?:highest|lowest|largest|smallest)\b"
    r"|(?P<zh>从高到低|从大到小|降序|从低到高|从小到大|升序)"
)
_RANK = re.compile(r"\b(?:rank(?:ed|ing|s)?|leaderboard)\b|排名|排行")
_ROWS = re.compile(
    r"^\s*(?:please\s+)?(?:list|return|enumerate|dump|export)\b"
    r"|\b(?:list|show|give\s+me|return)\s+(?:me\s+)?(?:all|every|each)\b"
    r"|\bwhat\s+are\s+(?:all\s+)?(?:the\s+)?(?:all\b|every\b)"
    r"|\b(?:row|record)s?\s+(?:level|detail)|\bdetails?\s+of\s+(?:all|every|each)\b"
    r"|\braw\s+(?:\w+\s+)?(?:data|rows?|records?|events?|logs?|table)\b|\b\w+\s+logs?\s+(?:for|of|from)\b"
    r"|\bwho\s+(?:are|is|were|was)\b"
    # people's contact details are records, never a metric: "send me the emails of buyers who got refunds"
    r"|\bsend\s+me\s+(?:the\s+|a\s+)?(?:list|names|emails?|details|contacts?|spreadsheet|csv|file)\b"
    r"|\b(?:emails?|e-mail\s+addresses|phone\s+numbers?|contact\s+(?:details|info))\s+(?:of|for)\b"
    r"|列出|列一下|明细|清单|名单|逐条|所有的?(?:记录|订单明细)|每一条|导出|邮箱|电话号码|手机号|联系方式"
    # one record by its number: "show me contract 4417 details", "the alarm history for account 1042"
    r"|\b(?:order|contract|account|invoice|ticket|job|booking|reservation|policy|claim|case|customer|client|patient"
    r"|member|shipment|loan|transaction|visit)\s+(?:no\.?\s*|number\s+|#\s*|id\s+)?(?!(?:19|20)\d\d\b)\d{3,}\b"
)
# Questions about the future (forecasts, "next month"): governed metrics only describe what happened.
_FUTURE = re.compile(
    r"\b(?:next|coming|upcoming)\s+(?:\d+\s+|few\s+)?(?:day|week|month|quarter|year)s?\b|\btomorrow\b"
    r"|\b(?:forecast|predict|project(?:ed|ion))\w*|\bwill\s+(?:we|it|there|they|our|the)\b|\bgoing\s+to\s+(?:be|do|make|get)\b"
    # "will GMS hit 300k in December?": a number still to come ("are we on track" asks the target, answered)
    r"|^\s*will\b|\bwill\s+[\w$€£¥%.,\s-]{1,40}?\s+(?:be|hit|reach|exceed|top|pass|beat|cross|surpass|end|finish|land"
    r"|close|look|turn\s+out|come\s+in|grow|go)\b"
    r"|明天|明年|下个?(?:月|周|星期|季度)|预测|预计|将会|会是多少"
)
# Questions asking for a judgement or advice: the numbers are governed, the opinion is not metricloop's to give.
_OPINION = re.compile(
    r"\bshould\s+(?:we|i|they|our)\b|\b(?:too|way\s+too)\s+(?:low|high|much|many|little|few|slow|fast|expensive"
    r"|cheap)\b|\bis\s+(?:that|this|it|our\s+[\w\s]{2,30}?)\s+(?:good|bad|ok|okay|healthy|normal|acceptable|reasonable"
    r"|fine)\b|\bworth\s+it\b|\bwhat\s+do\s+you\s+(?:think|recommend|suggest)\b|\bdo\s+you\s+recommend\b"
    # "is a 30% completion rate good for online courses?": a figure of one's own, judged
    r"|^\s*(?:is|are|was|were)\s+(?:a|an|the)?\s*[\d$€£¥][\w\s%.,$€£¥-]{0,40}?\s+(?:good|bad|ok|okay|healthy|normal"
    r"|acceptable|reasonable|fine|decent|great|high|low)\b|算(?:高|低|好|正常|健康)吗|算不算"
    r"|应不应该|该不该|要不要|是否应该|应该(?:怎么|如何|提高|降低|增加|减少)|好不好|合理吗|正常吗|健康吗|太高了?吗|太低了?吗|有什么建议"
    # 是不是太低了, 是否偏高, 高不高, 够不够: asked whether a number is right, not what it is
    r"|(?:是不是|是否|会不会)(?:有点|有些)?(?:太|过|偏)(?:高|低|多|少|慢|快|贵|便宜|长|短)"
    # 是不是定得太高了, 价格是不是收得太低: a price judged
    r"|(?:是不是|是否|会不会)[\u4e00-\u9fff]{0,3}?[定设收卖标开]得(?:有点|有些)?(?:太|过|偏)(?:高|低|贵|便宜)"
    r"|(?:偏|太)(?:高|低|贵|慢)了?吗|高不高|低不低|贵不贵|够不够|正不正常|健不健康|合不合理"
)
# measured against others ("better than our competitors", 比竞争对手好吗): no governed number is theirs
_OUTSIDE = re.compile(
    r"\bstack(?:s|ing)?\s+up\s+(?:against|with)\s+(?!(?:last|the\s+(?:last|previous|prior|same))\b)"
    r"|\b(?:than|vs\.?|versus|against|compared\s+(?:to|with))\s+(?:the\s+|our\s+|other\s+)?(?:competitors?|competition"
    r"|rivals?|peers?|industry(?:\s+(?:average|benchmarks?|norms?))?|benchmarks?|market\s+average)\b"
    r"|竞争对手|竞品|同行|行业平均|行业水平|行业标杆")
# Questions asking for a cause ("why did work orders spike", 为什么退款率这么高): governed numbers show what changed and
# where, never why — answering the number alone would drop the question's point
_WHY = re.compile(r"^\s*(?:(?:hey|hi|ok|so|but|and)[\s,]+)?(?:why|how\s+come|what\s+(?:caused|drove|explains))\b"
                  r"|为什么|为啥|怎么回事|什么原因|原因是什么")
# A request to change data ("delete the cancelled transfers", "update the target to 50", 把上周的退单删掉): governed
# metrics are read, never written — answering with the number of the rows named would pretend to have done it
_WRITE = re.compile(
    r"^\s*(?:(?:hey|hi|ok|so|can\s+you|could\s+you|would\s+you|pls|please)[\s,]+)*"
    r"(?:(?:delete|erase|purge|wipe|truncate|insert|overwrite|rename|undo|approve)\b"
    r"|(?:update|edit|modify)\s+(?:the|all|those|these|our|my|every|each)\b)"
    # 删除的订单 are rows deleted (a count asked), 删除率 a rate: only the verb said to be done
    r"|(?:删除|删掉|清空|清除)(?![的率数量])"
)
# "at month end", 每月底: a value at each period's end — a series when the range holds several ("end of each month"
# needs no rule here: "each month" is already the grain)
_END_OF = re.compile(r"\b(?:at\s+)?(?:each\s+|every\s+|the\s+)?(?P<unit>week|month|quarter|year)[\s-]?ends?\b"
                     r"|每个?(?P<zh>月|季度|年)(?:底|末)")
_TREND = re.compile(r"\b(?:trend(?:s|ing|ed)?|over\s+time|time\s+series|history|evolution|evolv(?:e|ed|ing))\b"
                    r"|趋势|走势|变化情况")
_RANK_THEM = r"^\s*(?:re-?)?(?:rank|sort|order)\s+(?:them|those|these)\b"
_FOLLOW = re.compile(
    r"^\s*(?:and|also|plus|what\s+about|how\s+about|same\s+(?:for|but|with|thing)|now|then|ok(?:ay)?|but|"
    r"instead|only|just|break\s+(?:it|that)\s+down|split\s+(?:it|that))\b"
    r"|^\s*(?:那|再|换成|同样|改成|只看|仅看|只要|按|分|那么)"
    r"|^[^，,。.？?]{1,16}呢\s*[？?！!。]?\s*$"  # 客单价呢, 安卓呢: "what about …", the rest of the thread kept
    # "how many of those were no-shows", 其中可预防的有多少: the thread's rows, another number of them
    r"|\b(?:of|among)\s+(?:those|them|these)\b|^\s*其中"
    # "rank them by fee revenue", "sort those by …": the thread's rows, ranked by another number
    r"|" + _RANK_THEM
)
# A period relative to the thread's own ("and the month before?", "a year earlier", 前一个月): only a
# follow-up can use it; the unit is the word, "period" means "as long as the previous range".
_RELATIVE = re.compile(
    r"\b(?:the\s+|a\s+|one\s+)?(?P<unit>day|week|month|quarter|year|period)\s+(?:before|earlier|prior)\b"
    r"|\b(?:the\s+)?(?:previous|prior|preceding)\s+(?P<unit2>period)\b"
    # (再往前一个季度, 往前推一个月, 再前一周: one more such unit back)
    r"|(?:再?往?前推?|上)一(?P<zh>天|周|个?月|个?季度|年|期)(?!以来)"
)
# "same day last week", 上周同一天: the thread's period moved back one such unit (a year back is 去年同期, read
# as a comparison or a shift where the thread is known)
_SAME_SLOT = re.compile(
    r"\b(?:the\s+)?same\s+(?:day|weekday|date|week|month|time|period)\s+(?:of\s+)?(?:last|the\s+previous|previous|"
    r"the\s+prior|prior)\s+(?P<unit>week|month|quarter)\b"
    r"|(?P<zh>上周|上个?月|上个?季度)的?(?:同一天|同一日|同一时间|同期|今天|这一天|这天)"
)
_ZH_UNIT = {"天": "day", "周": "week", "月": "month", "个月": "month", "季度": "quarter", "个季度": "quarter",
            "年": "year", "期": "period"}
_SAME = re.compile(r"\bsame\s+(?:for|but|with|thing)\b|\binstead\b|换成|改成|同样|" + _RANK_THEM + r"\s+by\b")
# Words that introduce a breakdown but would otherwise look like values ("broken" = defective).
_GLUE = re.compile(r"\b(?:broken|break(?:ing)?|split(?:ting)?|cut(?!\s+of\b)|sliced?)\s+"
                   r"(?:it\s+|that\s+|this\s+)?(?:down|up|out)?\b")
# "total loss, which is the sum of loss payment, loss reserve ... by claim": the clause defines the
# metric asked about; its words are ingredients, not further metrics or breakdowns.
_DEFINITION = re.compile(
    r",?\s*\b(?:which|that|where)\s+(?:[\w-]+\s+){0,4}?(?:is|are|means|equals)\s+(?:the\s+|defined\s+as\s+)?"
    r"(?:the\s+)?(?:sum|total|ratio|average|mean|count|number|difference|product)\s+of\b.*?(?=\s+by\s+|[?？]|$)"
)
# A condition on an amount ("orders over $100", 金额大于100): a metric cannot be filtered that way.
_CONDITION = re.compile(
    r"\b(?:over|above|more\s+than|greater\s+than|less\s+than|fewer\s+than|under|below|at\s+least|at\s+most|"
    r"exceeding|bigger\s+than|smaller\s+than)\s+[$€£¥]?\s*(?!(?:19|20)\d\d\b)\d[\d,.]*\s*(?:k|m|%|percent|dollars?)?\b"
    r"|[<>]=?\s*[$€£¥]?\s*\d[\d,.]*"
    r"|(?:大于|超过|高于|低于|小于|不少于|不超过|多于|少于)\s*[$¥]?\s*\d[\d,.]*\s*(?:元|块|万|%)?"
)


def count_word(text: str | None) -> int | None:
    """The number a count word says ("5", "five", 五), or None."""
    return _num(text)


def _num(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    words = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    if text in words:
        return words.index(text) + 1
    return _CN_NUM.get(text)


# Words asking how a number stands against its goal (core/loop/target_note answers them). "plan" is left out: it
# is often a dimension (a pricing plan).
TARGET_ASKED = re.compile(r"\b(?:vs\.?\s+|versus\s+|against\s+|compared\s+(?:to|with)\s+)?(?:the\s+|our\s+)?"
                          r"(?:targets?|goals?|quota)\b|\b(?:are\s+we\s+)?on\s+(?:track|pace|target)\b"
                          r"|\bbehind\s+(?:plan|target)\b|(?:完成|达成)?目标|达标|完成率")


@dataclass
class Frame:
    """What the question says besides metrics and dimensions."""

    time: TimeMatch | None = None
    grain: Grain | None = None
    compare: Compare | None = None
    asks_target: bool = False  # "revenue vs target", 完成目标了吗: the answer is measured against the target
    compare_text: str = ""
    descending: bool | None = None  # ranking/sorting direction, None when not asked
    limit: int | None = None
    superlative: bool = False  # "which region had the most", no number
    trend: bool = False
    rows: bool = False  # a request to list records, not a metric
    future: bool = False  # a forecast or a period still to come
    opinion: bool = False  # "is our ADR too low?", "should we raise the fee": a judgement, not a number
    outside: bool = False  # "better than our competitors": measured against numbers the catalog does not have
    why: bool = False  # "why did orders drop": a cause, which no governed number states
    write: bool = False  # "delete the cancelled transfers": a change to data, which metricloop never makes
    currency: str | None = None  # "in Mexican pesos" (MXN), "in dollars" ($): the currency the money is asked in
    currency_span: tuple[int, int] | None = None  # (its words)
    followup: bool = False  # starts like a follow-up ("and by channel?", 那华东呢)
    replace_metric: bool = False  # "same for orders": keep the rest of the previous query
    shift_back: str | None = None  # "the month before": move the thread's period back one unit (or "period")
    judgement: bool = False  # "best"/"worst": which end is good depends on the metric (lower is better?)
    condition: str | None = None  # "over $100": an amount condition no governed filter can express
    invalid_time: str | None = None  # "2026-13-01": a date no calendar has (asked back, never all time)
    finer: str | None = None  # "by hour": a grain finer than the day metrics are kept at
    unpaired: str | None = None  # "2023 vs 2025": two periods compared that are not a year or a period apart
    unpaired_joined: bool = False  # ... or said together ("in Q3 and Q4"): each, or both as one period?
    spans: list[tuple[int, int]] = field(default_factory=list)
    growth: tuple[int, int] | None = None  # "growth", 增长: a change asked for with no comparison named
    # entity words said as where numbers come from ("from customers"): placed, but neither rows nor filter
    mentioned: list[tuple[int, int]] = field(default_factory=list)



_GROWTH = re.compile(r"\b(?:growth|grow|grew|grown|growing|change[sd]?|changing|increase[sd]?|decrease[sd]?"
                     r"|decline[sd]?|drop(?:ped|s)?|(?:fell|fall(?:en|ing)?)(?!\s+behind)|rose|rise[ns]?|jump(?:ed)?|dip(?:ped)?"
                     r"|go(?:ne)?\s+up|go(?:ne)?\s+down|went\s+(?:up|down)|trending\s+(?:up|down))\b"
                     # ("were picked up", "got shut down", "were set up": a verb's particle, no movement of a number)
                     r"|\b(?:is|are|was|were)\b[^?.]{1,40}?\b(?<!ed\s)(?<!shut\s)(?<!set\s)(?<!put\s)(?<!cut\s)"
                     r"(?<!made\s)(?<!held\s)(?<!shown\s)(?<!taken\s)(?<!broken\s)(?<!written\s)"
                     # ("keeping up with the plan", "caught up": keeping pace, no movement either)
                     r"(?<!keep\s)(?<!keeping\s)(?<!kept\s)(?<!catch\s)(?<!catching\s)(?<!caught\s)(?P<w>up|down)\b"
                     r"|增长|增幅|增加了?多少|减少了?多少|变化|涨了|跌了|上升了?|下降了?")


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


_VERSUS = re.compile(r"\s(?:vs\.?|versus|compared\s+(?:to|with)|against)\s|对比|相比|比较|和|与|跟"
                     r"|(?<![同环对相])比(?![例率重较])")  # 9月跟8月比, 9月比8月多吗
# "compare signups in H1 2026 with H1 2025", "compare 2024 and 2025": after a compare word, "with" and
# "and" join the two periods too
_COMPARE_WORD = re.compile(r"\bcompar(?:e|ed|ing|ison)\b")
_WITH = re.compile(r"\s(?:with|and|to)\s")
# "this March vs last March": the second names the same month a year earlier
_EARLIER = re.compile(r"\b(?:last|previous|prior)\b|去年|上一?年")


def _joiners(low: str) -> Iterator[re.Match[str]]:
    yield from _VERSUS.finditer(low)
    compare = _COMPARE_WORD.search(low)
    if compare:
        yield from _WITH.finditer(low, compare.end())


def _two_periods(f: Frame, raw: str, low: str, today: dt.date) -> bool:
    """"Q3 2026 vs Q3 2025", "2024 vs 2025", 今年和去年: the later period is asked about, the other names the
    comparison (a year earlier → year over year; the period just before → previous period). Two periods
    in neither relation ("2023 vs 2025") are kept in `unpaired`, to be asked about, never answered as one."""
    named = find_compare(raw)  # "vs the previous quarter" names a comparison itself (read below)
    for m in _joiners(low):
        left, right = find_time_range(raw[: m.start()], today), find_time_range(raw[m.end() :], today)
        if left is None or right is None:
            continue
        right = replace(right, span=Span(m.end() + right.span.start, m.end() + right.span.end))  # offsets in raw
        if named and named[1].start <= m.end() and m.start() <= named[1].end and right.span.end <= named[1].end:
            continue  # the comparison named itself ("vs last year"); 和去年上半年 names a whole second period
        spans = [(left.span.start, left.span.end), m.span(), (right.span.start, right.span.end)]
        if left.range == right.range and _EARLIER.search(raw, m.end(), right.span.end):
            f.time, f.compare, f.compare_text = left, "year_over_year", low[m.start() :]
            f.spans += spans
            return True
        _relate(f, left, right, low, m.start(), spans)
        return True
    return False


def _relate(f: Frame, left: TimeMatch, right: TimeMatch, low: str, joiner: int, spans: list[tuple[int, int]]) -> None:
    """Two periods said together: the one a comparison runs from (a year or one period before the other names
    the comparison), or both kept in `unpaired`, to be asked about."""
    f.spans += spans
    for current, other in ((left, right), (right, left)):
        for compare in ("year_over_year", "previous_period"):
            # the same start is enough: "this year vs last year" compares the same stretch of 2025
            if comparison_range(current.range, compare, current.grain_hint).start == other.range.start:
                f.time, f.compare = current, compare  # type: ignore[assignment]
                f.compare_text = low[joiner:]
                return
    f.unpaired = low[min(s for s, _ in spans) : max(e for _, e in spans)]


def read_frame(raw: str, low: str, today: dt.date, keep: list[tuple[int, int]] = ()) -> Frame:  # type: ignore[assignment]
    """Parse the frame; `raw` keeps case (WoW/MoM), `low` is the same text lower-cased (same offsets).

    `keep` are spans of metric names that contain time words ("YTD sales"): they are not time.
    """
    f = Frame()
    if keep:
        raw, low = _masked(raw, list(keep)), _masked(low, list(keep))
    if _two_periods(f, raw, low, today):
        raw, low = _masked(raw, f.spans), _masked(low, f.spans)
    got = find_compare(raw)
    if got:
        f.compare, span = got
        f.compare_text = low[span.start : span.end]
        f.spans.append((span.start, span.end))
    elif f.compare is None:
        m = _GROWTH.search(low)
        if m:  # "headcount growth this year": a change asked for — never the level alone
            f.growth = m.span("w") if m.group("w") else m.span()  # "is revenue up": the word is "up"
    slot = _SAME_SLOT.search(low) if f.time is None else None
    if slot:  # the period is the thread's, moved back
        f.shift_back = slot.group("unit") or _ZH_UNIT[slot.group("zh")[1:].lstrip("个")]
        f.spans.append(slot.span())
    else:
        f.time = f.time or find_time_range(raw, today)
        if f.time and (f.time.span.start, f.time.span.end) not in f.spans:
            f.spans.append((f.time.span.start, f.time.span.end))
            # (the same period said twice, "in October (last month)", is one period, said in both places)
            others = other_periods(raw, today, f.time.span)
            f.spans += [(o.span.start, o.span.end) for o in others if o.range == f.time.range]
            others = [o for o in others if o.range != f.time.range]
            if others and f.unpaired is None and f.compare is None and f.time.kind in ("period", "range", "date"):
                # "revenue April vs May", "in March and May": a second period, never dropped
                first, later = sorted((f.time, others[0]), key=lambda t: t.span.start)
                spans = [(t.span.start, t.span.end) for t in (first, later, *others[1:])]
                if _VERSUS.search(low, first.span.end, later.span.start) or _COMPARE_WORD.search(low):
                    _relate(f, first, later, low, first.span.end, spans)
                else:  # "revenue in Q3 and Q4": each, or both together? asked back
                    f.spans += spans
                    f.unpaired = low[min(s for s, _ in spans) : max(e for _, e in spans)]
                    f.unpaired_joined = True
        elif m := _RELATIVE.search(_masked(low, f.spans)):
            f.shift_back = m.group("unit") or m.group("unit2") or _ZH_UNIT[m.group("zh")]
            f.spans.append(m.span())
    bad = find_invalid_dates(raw, today)
    if bad:
        f.invalid_time = ", ".join(raw[b.start : b.end] for b in bad)
        f.spans += [(b.start, b.end) for b in bad]
    fine = find_finer_grain(raw)
    if fine:
        f.finer = raw[fine[1].start : fine[1].end]
        f.spans.append((fine[1].start, fine[1].end))
    g = find_grain(raw)
    if g:
        f.grain = g[0]
        f.spans.append((g[1].start, g[1].end))
    end_of = _END_OF.search(_masked(low, f.spans)) if f.grain is None and f.time is not None else None
    if end_of and (unit := end_of.group("unit") or _ZH_UNIT.get(end_of.group("zh") or "")) and f.time.range.end \
            > add_periods(f.time.range.start, unit, 1) - dt.timedelta(days=1):  # type: ignore[arg-type]
        # "bikes docked at month end, last 6 months", 过去半年每月底的在售商品数: one value per month, at its end
        f.grain = unit  # type: ignore[assignment]
        f.spans.append(end_of.span())
    low = _masked(low, f.spans)  # "前一个月" inside a comparison is not a top-N
    for rx in (_TOP, _TOP_SPEED, _TOP_ZH):
        found = list(rx.finditer(low))
        # ("best selling products by units, top 5": the count may come with a later word of the same ranking)
        m = next((x for x in found if x.group("n")), found[0] if found else None)
        if m:
            word = m.group("dir")
            most = _MOST_BEFORE_ZH.search(low, 0, m.start()) if rx is _TOP_ZH else None
            if most:  # 捐款最多的前十位, 评分最低的后3名: the superlative before the count says the direction
                word = "后" if most.group("dir") in _ASCENDING else "前"
                f.spans.append(most.span())
            f.descending = word not in _TOP_DOWN
            f.judgement = word in ("best", "worst")
            f.limit = _num(m.group("n"))
            f.superlative = f.limit is None and bool(_WHICH.search(low))
            f.spans.extend(x.span() for x in found if x is m or (x.group("dir") not in _TOP_DOWN) == f.descending)
            break
    if f.descending is None:
        for rx in (_MOST, _MOST_ZH):
            m = rx.search(low)
            if m:
                f.descending = m.group("dir") not in _ASCENDING
                f.judgement = m.group("dir") in _JUDGEMENT
                # "which region has the most", 订单量最高的地区: one winner
                f.superlative = bool(_WHICH.search(low)) or rx is _MOST_ZH
                n = _COUNT_ZH.match(low, m.end()) if rx is _MOST_ZH else None
                if n:  # 花费最多的5个广告系列: the top five, not one winner
                    f.limit, f.superlative = _num(n.group("n")), False
                before = _COUNT_EN.search(low[: m.start()]) if rx is _MOST else None
                if before:
                    f.limit, f.superlative = _num(before.group("n")), False
                    f.spans.append(before.span("n"))
                f.spans.append((m.start(), n.end() if n else m.end()))
                break
    n = _WHICH_N.match(low)
    if n and f.descending is not None:  # "which 3 cuisines had the worst late %": three, not one
        f.limit, f.superlative = _num(n.group("n")), False
    m = _SORT.search(low)
    if m:
        word = m.group("dir") or m.group("dir2") or m.group("zh")
        f.descending = word.startswith(("desc", "highest", "largest", "从高", "从大", "降"))
        f.spans.append(m.span())
    m = _RANK.search(low) if f.descending is None else None
    if m:  # "rank industries by MRR": a ranking is biggest first unless a direction is said
        f.descending = True
        f.spans.append(m.span())
    m = _TREND.search(low)
    if m:
        f.trend = True
        f.spans.append(m.span())
    for rx in (_GLUE, _DEFINITION):
        m = rx.search(low)
        if m:
            f.spans.append(m.span())
    m = _CONDITION.search(low)
    if m:
        f.condition = m.group(0).strip()
        f.spans.append(m.span())
    f.rows = bool(_ROWS.search(low))
    f.future = bool(_FUTURE.search(low))
    f.opinion = bool(_OPINION.search(low))
    f.outside = bool(_OUTSIDE.search(low))
    f.why = bool(_WHY.search(low))
    f.write = bool(_WRITE.search(low))
    if currency := asked_currency(low):  # a metric kept in another currency is refused, never converted (the words
        # are placed only where every metric is money kept in it: "transfers in euros" may be a filter on a currency)
        f.currency, f.currency_span = currency
    f.followup = bool(_FOLLOW.search(low))
    f.replace_metric = bool(_SAME.search(low))
    return f


def period_unit(text: str) -> Grain | None:
    """The period word in a comparison phrase ("vs last month" → month; 上周 → week); a bare 环比 is
    month over month, as Chinese reports use it when no period is named."""
    for grain, rx in (("day", r"\bday\b|天|日|yesterday|dod"), ("week", r"\bweek|周|星期|wow"),
                      ("month", r"\bmonth|月|mom|环比|同比"), ("quarter", r"\bquarter|季|qoq"),
                      ("year", r"\byear|年|yoy")):
        if re.search(rx, text):
            return grain  # type: ignore[return-value]
    return None


def default_range(today: dt.date, grain: Grain | None, trend: bool,
                  compare_unit: Grain | None) -> tuple[TimeRange, str]:
    """The period used when the question names none (documented in the README).

    - a grain: day → last 30 days, week → last 12 weeks, month → last 12 months, quarter → last 8
      quarters, year → last 3 years (full periods, the timeframes conventions);
    - a trend with no grain: the last 12 months (by month);
    - a comparison such as "vs last month": this month so far (against the previous one);
    - a plain total: the last 30 days.
    """
    phrase = "last 30 days"
    if grain:
        phrase = {"day": "last 30 days", "week": "last 12 weeks", "month": "last 12 months",
                  "quarter": "last 8 quarters", "year": "last 3 years"}[grain]
    elif trend:
        phrase = "last 12 months"
    elif compare_unit and compare_unit != "day":
        phrase = f"this {compare_unit}"
    match = find_time_range(phrase, today)
    assert match is not None, phrase  # the phrases above are all understood by core/timeframes
    return match.range, match.label
