"""Negation of a value in a question, English and Chinese: one rule for every form. Pure.

"excluding web", "except East", "not in East", "outside the East region", "orders not from the app",
"region is not East", "non-enterprise", 除了华东以外, 不包括华东, 非华东, 不在华东, 华东以外 all negate the
value they touch: its filter becomes `!=` / `not in`, never `=`. A negation word that touches no value
the interpreter could place ("not in Europe" when Europe is nothing it knows) is a condition it cannot
apply, and the question is asked back (core/understand/coverage), never answered without it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from metricloop.core.text import chinese_word

# Words before a value that negate it. The optional tail ("in", "from", "the" …) lets the negation
# reach over the preposition that introduces the value: "not in the East", "not from the app".
_LINK = (r"(?:\s+(?:in|into|from|on|at|for|via|through|by|including|counting|within|of|to|among|under|due\s+to"
         r"|because\s+of|caused\s+by|related\s+to|about|regarding|concerning|involving))?")
_ARTICLE = r"(?:\s+(?:the|a|an|our|any))?"
# ... or over the verb of having a yes/no condition: "installs that didn't need a panel upgrade"
_HAVING = r"(?:\s+(?:need|require|have|get|involve|include|use)d?)?"
# ... or over any verb that a preposition ties to the value: "signups that didn't come through the app", "orders not
# placed via the web", "trips never taken on an e-bike" (the preposition is required: "didn't renew <Pro>" is no cue)
_VERB_LINK = r"\s+[a-z]{2,}(?:\s+(?:up|in|out|back|over))?" + _LINK[:-1]
# ... or over "the ones that came in by", "those placed via", "people who": the negated rows restated before their value
_ONES = (r"(?:\s+(?:the\s+ones?|those|ones|(?:the\s+)?(?:people|persons|folks|guys|customers|members|guests|clients))"
         r"(?:\s+(?:that|which|who))?(?:\s+(?:were|was|are|is|got|get))?(?:"
         + _VERB_LINK + r"|\s+[a-z]{2,}(?:ed|en)|" + _LINK + "))?")  # (a participle: "the ones placed <online>")
_BEFORE_EN = re.compile(
    r"(?:\b(?:excluding|excl\.?|exclude[sd]?|except(?:\s+for)?|without|w/o|ex\.?|other\s+than|apart\s+from"
    r"|aside\s+from|ignoring(?:\s+the\s+ones?|\s+those)?(?:\s+(?:from|in|on|at|via|by|of|for))?|not\s+counting|not\s+incl\.?"
    r"|leaving\s+aside|minus"
    r"|(?:leav(?:e|ing)|strip(?:ping)?|filter(?:ing)?|carv(?:e|ing))\s+out|remov(?:e|ing)|omit(?:ting)?"
    r"|outside(?:\s+of)?|(?:everything|everyone|everybody|anyone|anything|all)\s+but|but\s+not|not"
    + _HAVING + _LINK + r"|(?:not|never)\s+[a-z]{2,}(?:ed|en|t)" + _LINK[:-1] + r")" + _ONES +
    r"|(?:n't|\b(?:did|does|do)\s+not)(?:" + _VERB_LINK + "|" + _HAVING + _LINK + r"))" + _ARTICLE + r"\s*$"
    r"|!=\s*$|<>\s*$"
)
_PREFIX = re.compile(r"\bnon[- ]?$|非$")  # a negation that is part of the word: non-enterprise, 非会员
# the Chinese words that leave something out (除了, 不算 …), after the two ways of saying "except" (除了, 除去) …
_LEAVE_OUT_ZH = "不含|不包括|不包含|不算|排除|剔除|去掉|去除|刨掉|刨去|刨除"
_EXCEPT_ZH = "除了|除去|" + _LEAVE_OUT_ZH
# ... and "not by way of" a value (不走自家货车, 没用快递): 不 or 没 with the verb of going through it
_NOT_VIA_ZH = r"(?<![是要会能])不(?:走|用|经过?|通过)|没(?:走|用|经过?|通过)"
# (不加急的, 不打增强的: 不 with the value's own verb, or none, negates it)
_BEFORE_ZH = re.compile(r"(?:除了|除去|除|" + _LEAVE_OUT_ZH + r"|(?<!是)不是|不在"
                        r"|不属于"
                        r"|(?<![是要会能])不(?:打|用|做|带|走|经过?|通过)?|没(?:走|用|经过?|通过))\s*$")
# ... and before a value restated in parentheses after the Chinese word for it: 除了海龟（Sea Turtles）, 不含第三方分销
# （Third-Party Reseller）, 不算18岁以下（Under 18） — the word the value explains stands between the negation and
# the value
_BEFORE_RESTATED_ZH = re.compile(r"(?:" + _EXCEPT_ZH + r"|(?<!是)不是|不在|不属于|" + _NOT_VIA_ZH + r"|非(?!常))"
                                 r"(?=\s*[\u4e00-\u9fff0-9a-z+.-]{1,12}\s*[（(]\s*$)")
# Words after a value that negate it: "East excluded", 华东以外, 华东之外, 华东除外 — also past the noun the value
# qualifies and its restatement in parentheses: "commercial accounts excluded", "web orders left out", 商业客户除外,
# 华东的不算, 小学生不算, 小学生（Elementary）不算 — and after a value restated in them: 摩托车（Motorcycle）的不算.
_AFTER = re.compile(r"(?:\s+(?!and\b|or\b|but\b)[a-z][a-z'-]*){0,2}?\s*(?:excluded|not\s+included|left\s+out)\b"
                    r"|[）)]?[\u4e00-\u9fff]{0,3}?(?:\s*[（(][^（()）]{1,40}[）)])?\s*"
                    r"(?:以外|之外|除外|的?(?:不算|不计)(?![\u4e00-\u9fff]))")  # used with .match
# the first of values listed before the exclusion word (AM Peak和PM Peak以外: both are left out)
_LISTED_AFTER = re.compile(r"\s*(?:和|与|及|、|跟)\s*[^，,。？?和与及、跟]{1,20}?(?:以外|之外|除外)")
# Any negation word at all (for questions where it touches nothing placed).
CUE = re.compile(
    r"\b(?:excluding|excl|exclude[sd]?|except|without|ex|ignoring|other\s+than|apart\s+from|outside|but\s+not"
    r"|not\s+(?:counting|including|incl\.?)|not|non"
    r"|(?:leav(?:e|ing)|strip(?:ping)?|filter(?:ing)?|carv(?:e|ing))\s+out|remov(?:e|ing)|omit(?:ting)?"
    r"|(?<=\s)w/o"
    r"|(?:everything|everyone|everybody|anyone|anything|all)\s+but)\b|n't\b"
    r"|" + _EXCEPT_ZH + r"|(?<!是)不是|不在|不属于|以外|之外|除外|非(?!常)|" + _NOT_VIA_ZH
)
_REACH = 48  # characters before a value searched for a negation word ("other than the ones that came in by ")


def is_negated(text: str, start: int, end: int) -> bool:
    """True when the words around `text[start:end]` (a value) negate it."""
    cue = _cue(text, start)
    if cue is not None and cue[1]:  # "excluding non-refundable rates" are the refundable ones: a negation negated
        return not is_negated(text, cue[0][0], end)
    return cue is not None or bool(_AFTER.match(text, end)) or bool(_LISTED_AFTER.match(text, end))


def cue_before(text: str, start: int) -> tuple[int, int] | None:
    """The span of the negation words right before `text[start:]` ("not counting ", "excl. ", 非), or None."""
    cue = _cue(text, start)
    return cue[0] if cue is not None else None


def _cue(text: str, start: int) -> tuple[tuple[int, int], bool] | None:
    """(span, is a prefix of the word: non-, 非) of the negation right before `text[start:]`, or None."""
    lo = max(0, start - _REACH)
    before = text[lo:start]
    prefix = _PREFIX.search(before)
    m = prefix or _BEFORE_EN.search(before) or _BEFORE_ZH.search(before) or _BEFORE_RESTATED_ZH.search(before)
    if m and m.group(0).strip() == "除" and _verb_of(text, lo + m.start(), start):
        return None  # 除雪收入, 除草: 除 is the verb of a word (remove snow, weed), never "except"
    return ((lo + m.start(), lo + m.end()), prefix is not None) if m else None


def _verb_of(text: str, cue: int, start: int) -> bool:
    """The bare 除 at `cue` makes a word of the dictionary with the value's first characters at `start` (除雪)."""
    return start == cue + 1 and any(chinese_word(text[cue : start + n]) for n in (1, 2))


def negation_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The negation words that negate the value at `text[start:end]` (before it: 除了, "excluding", 非; after it:
    以外, 除外, 不算), empty where it is not negated: they are that filter's operator, not words of the metric."""
    if not is_negated(text, start, end):
        return []
    after = _AFTER.match(text, end)
    return [s for s in (cue_before(text, start), after.span() if after else None) if s is not None]


# Words that exclude whatever they are said of (not "not", which negates verbs as often as values)
_EXCLUSION = re.compile(r"\b(?:excluding|excl\.?|exclude[sd]?|except(?:\s+for)?|other\s+than|apart\s+from|aside\s+from"
                        r"|not\s+(?:counting|including)|leav(?:e|ing)\s+out|ignoring|without)\b|" + _EXCEPT_ZH)
_CLAUSE_BREAK = re.compile(r"[,.;!?，。；！？、]")
_STRAY_REACH = 60  # characters after a stray exclusion word searched for a value it may be of


def stray_exclusion(text: str, kept: Sequence[tuple[int, int]], used: Sequence[tuple[int, int]]) -> str | None:
    """The words from an exclusion word that negates nothing placed to a value kept after it in the same clause
    ("SAEs excluding the ones the sponsor already <closed> out" read as the closed sites only: the exclusion may be of
    that value — asked, never answered as its opposite), or None. `kept`: the spans of the values read as kept
    ("="); `used`: the spans already placed (a negation that is a filter's operator is among them)."""
    for m in _EXCLUSION.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in used):
            continue
        for start, _ in sorted(kept):
            if m.end() <= start <= m.end() + _STRAY_REACH and not _CLAUSE_BREAK.search(text, m.end(), start):
                return text[m.start() : start].strip()
    return None


# Words before values that name them as counted too, not as the only rows: "including no-shows", 含爽约和取消的
_INCLUDED_EN = re.compile(r"\b(?:including|incl\.?|inclusive\s+of|counting)(?:\s+(?:the|any|all|our))?\s*$")
_INCLUDED_ZH = re.compile(r"(?<!不)(?:含|包括|包含|算上|连同)\s*$")
_LIST_JOIN = re.compile(r"(?:\s*(?:,|，|、|和|与|及|或|\band\b|\bor\b|&|/)\s*|\s*)$")


def named_as_included(text: str, start: int, values: list[tuple[int, int]]) -> bool:
    """True when the value at `text[start:]` is said to be counted as well ("appointments including no-shows and
    cancellations", 约了多少单（含爽约取消的）): it widens nothing the metric does not already count, so it is no
    filter. A value listed after another such value (`values`: the spans of the values placed) is included too."""
    ends = {e: s for s, e in values}
    while True:
        before = text[:start]
        if _INCLUDED_EN.search(before) or _INCLUDED_ZH.search(before):
            return True
        joined = _LIST_JOIN.search(before)
        end = joined.start() if joined else start
        if end not in ends:  # (values side by side are a list too: 爽约取消)
            return False
        start = ends[end]
