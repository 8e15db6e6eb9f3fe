"""Words of a question that nothing in the catalog holds, told apart by how they are written. Pure.

An abbreviation in capitals ("employee NPS", "headcount in the US") or a capitalised name inside a sentence ("visits
Dr. Smith had", "revenue at Riverside") that no phrase, value or period placed names something the question is about:
a metric the catalog does not have, or a value it does not hold. Answering without it would answer another question,
so the interpreter says so or asks back.
"""
from __future__ import annotations

import re

from metricloop.core.text import STOPWORDS, blank, has_cjk

_ACRONYM = re.compile(r"(?<![\w#])([A-Z]{2,6})s?(?![\w#])")
CONDITION_BEFORE = re.compile(r"\b(?:in|into|as|from|for|at|outside|excluding|except|not|non)[\s-]+(?:the\s+)?$",
                               re.I)


# period abbreviations said beside a period ("running MTD … this month"): the period's words, no metric
_PERIOD_ABBREVIATIONS = frozenset({"mtd", "ytd", "qtd", "wtd", "yoy", "mom", "wow", "qoq", "dod", "ttm", "ltm"})


def unknown_acronym(raw: str, spans: list[tuple[int, int]], known: frozenset[str] = frozenset()) -> \
        tuple[str, bool] | None:
    """An upper-case abbreviation no phrase, period or value placed: ("NPS", False) names a metric the catalog
    does not have; ("US", True) after a condition cue is a value it does not have (or a unit: "in EUR"). A
    business abbreviation of `known` counts typed in lower case too ("whats our nps"), as chat types it."""
    rest = blank(raw, spans, "#")
    for m in _LOWER_WORD.finditer(rest):
        if m.group(1) in known and not CONDITION_BEFORE.search(rest[: m.start()]):
            return m.group(1).upper(), False
    if sum(c.islower() for c in raw) < sum(c.isupper() for c in raw):
        return None  # a question typed in capitals has no abbreviations to tell apart
    for m in _ACRONYM.finditer(rest):
        if CONDITION_BEFORE.search(rest[: m.start()]):
            return m.group(1), True
        if m.group(1).lower() not in STOPWORDS and m.group(1).lower() not in _PERIOD_ABBREVIATIONS:
            return m.group(1), False
    return None


_LOWER_WORD = re.compile(r"(?<![\w#])([a-z]{2,6})(?![\w#])")


def unknown_name(raw: str, spans: list[tuple[int, int]]) -> str | None:
    """A capitalised word inside an English sentence that nothing placed ("Dr. Smith", "at Riverside"): a name of
    something the question is about, which no value of the catalog holds. None for a question typed in title case
    or capitals (its capitals say nothing)."""
    if has_cjk(raw):
        return None
    words = re.findall(r"[A-Za-z][\w'-]*", raw)
    capitals = [w for w in words if w[0].isupper()]
    if len(capitals) * 2 > len(words) or sum(c.isupper() for c in raw) > sum(c.islower() for c in raw):
        return None
    rest = blank(raw, spans, "#")
    for m in _NAME_WORD.finditer(rest):
        word = m.group(1)
        before = rest[: m.start()]
        title = re.search(r"\b(\w+)\.\s*$", before)
        starts = _SENTENCE_START.search(before) and not (title and title.group(1).lower() in _NOT_NAMES)
        if word.lower() not in STOPWORDS and word.lower() not in _NOT_NAMES and not starts:
            # in lower case, as every unplaced word is said: a value hidden from the reader must read the same
            return word.lower()
    return None


_NAME_WORD = re.compile(r"(?<![\w#'.-])([A-Z][a-z][\w'-]+)(?![\w#])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s|[.!?:;])\s*(?:[\"'(]\s*)?$")
# capitalised for other reasons: titles, the pronoun, days and months (read by the period rules or not)
_NOT_NAMES = frozenset({"dr", "mr", "mrs", "ms", "prof", "sir", "hey", "hi", "hello", "thanks", "pls", "please", "ok",
                        "okay", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        "january", "february", "march", "april", "may", "june", "july", "august", "september",
                        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                        "sept", "oct", "nov", "dec", "christmas", "easter", "thanksgiving", "black", "cyber",
                        "english", "chinese"})
