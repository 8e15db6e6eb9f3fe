"""The unit a question asks its number in (time, currency), against the unit a metric is kept in. Pure.

"how many minutes did people watch last week" with only Watch hours: the hours are a different number than the
minutes asked, and the assistant never converts a governed figure on its own. A question that asks in one unit
(how many minutes, in hours, 多少分钟) about a metric named in another (hours, "(min)", `wait_minutes`) is asked
back. A metric whose names say no unit is never in conflict: its unit is not known. Money asked in another currency
than the one a metric is kept in ("send volume in Mexican pesos" of a USD metric) is refused the same way.
"""
from __future__ import annotations

import re

from metricloop.core.catalog.model import Metric
from metricloop.core.text import has_cjk, humanise

# each unit: the words that name it in a metric's names, and in a question
_UNIT_WORDS = {
    "second": r"seconds?|secs?|秒钟?",
    "minute": r"minutes?|mins?|分钟",
    "hour": r"hours?|hrs?|小时|钟头",
    "day": r"days?|天",
}
# how a unit is said in a reply
UNIT_SAID = {"en": {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"},
             "zh": {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天"}}
_NAMED = {unit: re.compile(rf"(?:^|[^a-z])(?:{words})(?:$|[^a-z])") for unit, words in _UNIT_WORDS.items()}
# a unit asked for: "how many minutes", "in hours", "多少分钟", "几个小时" ("how many days" counts days as often as it
# times, so a day is asked only as "average days to close": a span averaged, said in days)
# In Chinese the quantity word is often gone from the text read (等了多少分钟 → 等分钟): the unit said at all is the
# unit asked, unless a number says a span of it (24小时内: a window, no unit asked).
_AVERAGED_IN = r"\b(?:average|avg|mean|typical)\s+(?:number\s+of\s+)?(?:{})\s+(?:to|until|till|before)\b"
_SAID_ZH = r"|(?<![\d一二三四五六七八九十两个])(?:{})"
_ASKED = {unit: re.compile(_AVERAGED_IN.format(words) + ("" if unit == "day" else
                           rf"|\bhow\s+many\s+(?:{words})\b|\bin\s+(?:{words})\b|(?:多少|几个?)(?:{words})"
                           + _SAID_ZH.format("|".join(w for w in words.split("|") if has_cjk(w)))))
          for unit, words in _UNIT_WORDS.items()}


def unit_of(metric: Metric) -> str | None:
    """The one unit of time a metric's names say (name, label, measure), or None."""
    names = " ".join(filter(None, [humanise(metric.name), metric.label or "",
                                   humanise(metric.measure.name) if metric.measure is not None else ""])).lower()
    found = [unit for unit, rx in _NAMED.items() if rx.search(names)]
    return found[0] if len(found) == 1 else None


def asked_unit(low: str) -> tuple[str, str] | None:
    """(unit, words) of the one unit of time the question asks its number in, or None."""
    found = [(unit, m.group(0)) for unit, rx in _ASKED.items() if (m := rx.search(low))]
    return found[0] if len(found) == 1 else None


def unit_conflict(metric: Metric, low: str) -> tuple[str, str] | None:
    """(the words asking for a unit of time the metric is not measured in, the metric's own unit), or None."""
    asked, named = asked_unit(low), unit_of(metric)
    return (asked[1], named) if asked and named and asked[0] != named else None


_SPELLED = {"second": ("second", "seconds", "secs", "秒"), "minute": ("minute", "minutes", "mins", "分钟"),
            "hour": ("hour", "hours", "hrs", "小时"), "day": ("day", "days", "天")}


def unit_words(metric: Metric) -> tuple[str, ...]:
    """The words for the unit a metric is measured in ("in minutes" of Avg wait (min) says its own unit)."""
    unit = unit_of(metric)
    return _SPELLED[unit] if unit else ()


# currencies a question may ask its money in ("in euros", "in Mexican pesos", 换算成人民币), by ISO code; the longest
# name said wins ("Canadian dollars" is CAD, not USD)
_CURRENCY_WORDS = {
    "USD": r"(?:us|u\.s\.|american)\s+dollars?|usd|美元|美金",
    "CAD": r"canadian\s+dollars?|cad|加元|加币",
    "AUD": r"australian\s+dollars?|aud|澳元",
    "HKD": r"hong\s+kong\s+dollars?|hkd|港币|港元",
    "SGD": r"singapore\s+dollars?|sgd|新加坡元|新币",
    "EUR": r"euros?|eur|欧元",
    "GBP": r"(?:british\s+)?pounds?(?:\s+sterling)?|sterling|gbp|英镑",
    "JPY": r"(?:japanese\s+)?yen|jpy|日元",
    "CNY": r"(?:chinese\s+)?yuan|renminbi|rmb|cny|人民币",
    "MXN": r"(?:mexican\s+)?pesos?|mxn|比索",
    "INR": r"(?:indian\s+)?rupees?|inr|卢比",
    "CHF": r"swiss\s+francs?|chf|瑞士法郎",
    "KRW": r"korean\s+won|krw|韩元",
    "BRL": r"(?:brazilian\s+)?reais|brl|雷亚尔",
}
_CURRENCY_ASKED = [(code, re.compile(rf"\b(?:in|into|as)\s+(?:the\s+)?(?:{words})(?![a-z])"
                                     rf"|(?:以|用|按|换算成|折合成?|折算成?)(?:{words})|(?:{words})(?:计价|计算|口径)",
                                     re.I))
                   for code, words in _CURRENCY_WORDS.items()]


# any dollar: whichever the metric is kept in
_DOLLARS = re.compile(r"\b(?:in|into|as)\s+(?:the\s+)?(?:dollars|bucks)\b")


def asked_currency(low: str) -> tuple[str, tuple[int, int]] | None:
    """(ISO code, span) of the currency the question asks its money in ("in Mexican pesos", 换算成人民币); "in dollars"
    is "$" (any dollar currency); None when it names none."""
    found = sorted(((m.end() - m.start(), code, m.span()) for code, rx in _CURRENCY_ASKED if (m := rx.search(low))),
                   reverse=True)
    if found:
        return found[0][1], found[0][2]
    m = _DOLLARS.search(low)
    return ("$", m.span()) if m else None


def currency_conflict(metric: Metric, asked: str | None) -> bool:
    """The money of a currency metric is asked in another currency than the one it is kept in ("send volume in
    Mexican pesos" of a USD metric): the assistant never converts a governed figure."""
    if asked is None or metric.meta.format.kind != "currency":
        return False
    kept = metric.meta.format.currency.upper()
    return not (asked == kept or (asked == "$" and kept.endswith("D")))
