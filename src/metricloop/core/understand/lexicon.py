"""The catalog as a phrase lexicon, and phrase spotting in a question. Pure.

Every way the catalog names something becomes an `Entry`: metric names, labels and `meta.synonyms`;
dimension names, labels and synonyms; dimension values (from the value index) and their
`value_synonyms`. `spot` finds entries in a question: Latin phrases as (singularised) token
sequences, exactly or fuzzily (typos), Chinese phrases as substrings. `resolve_overlaps` keeps the
longest non-overlapping hits, so "new customers" beats "customers" and "North region" is read as
a value plus its dimension word.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from metricloop.core.catalog.model import Catalog
from metricloop.core.text import (
    STOPWORDS,
    chinese_word,
    expand_shorthand,
    has_cjk,
    humanise,
    normalise,
    singular,
    word_spans,
)
from metricloop.core.understand.glossary import common_terms
from metricloop.core.understand.homophones import SCORE as HOMOPHONE_SCORE
from metricloop.core.understand.homophones import entries_for, find_homophones, homophone_index
from metricloop.core.understand.kinds import spelled_acronym
from metricloop.core.understand.spelling import MAX_VALUES_PER_DIMENSION, known_words
from metricloop.core.understand.zh_aliases import chinese_aliases, find_aliases

Kind = Literal["metric", "dimension", "value"]
DimKey = tuple[str, str]  # (semantic model name, dimension name)

# Values that are ordinary words would otherwise turn questions into filters ("all", "other").
_VALUE_STOP = STOPWORDS | {"other", "none", "null", "unknown", "n/a", "na", "yes", "no", "true", "false", "0", "1"}
_IDENTIFYING_WORDS = frozenset({"number", "id", "code", "name", "type", "status", "date"})
INFLECTED_SCORE = 0.995  # a phrase found only once singularised ("conversions" for "conversion"), below exact


@dataclass(frozen=True)
class Entry:
    kind: Kind
    target: str  # metric name, dimension name or canonical value
    phrase: str  # normalised phrase
    dim: DimKey | None = None  # for dimensions and values


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int
    end: int
    score: float  # 1.0 exact, lower for fuzzy

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Lexicon:
    """Phrase → entries, split by script, with per-length choice lists for fuzzy matching."""

    latin: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    cjk: dict[str, list[Entry]] = field(default_factory=dict)
    cased: dict[str, list[Entry]] = field(default_factory=dict)  # "US": values that are also common words
    max_len: int = 1
    fuzzy: dict[int, list[str]] = field(default_factory=dict)  # token count → joined phrases
    # Chinese renderings of the English phrases (core/understand/zh_aliases), found by substring lookup
    zh: dict[str, list[Entry]] = field(default_factory=dict)
    composed: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)  # value + its dimension's words
    zh_len: int = 0
    # the Chinese phrases (own and rendered) by their pinyin: a typo of sound (core/understand/homophones)
    sounds: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    _words: frozenset[str] | None = None
    _value_words: frozenset[str] | None = None
    letters: dict[str, list[Entry]] = field(default_factory=dict)  # one-letter values ("A"), said as grades only
    # entries said so in English only: no Chinese alias is made of them ("handling" of Mail handling is not 处理)
    english_only: set[Entry] = field(default_factory=set)
    heads: set[Entry] = field(default_factory=set)  # a value's last word alone: only where a value is said
    # a name's distinctive Latin word, read only inside a Chinese question (Phoenix厂, 不算Loring, Pearl店): among
    # Chinese a Latin word is a name, where in English "Phoenix" or "Pearl" may be anything
    among_chinese: dict[str, list[Entry]] = field(default_factory=dict)

    def words(self) -> frozenset[str]:
        """The (singular) words of the catalog's metric and dimension phrases, values aside."""
        if self._words is None:
            self._words = frozenset(w for key, entries in self.latin.items()
                                    if any(e.kind != "value" for e in entries) for w in key)
        return self._words

    def value_words(self) -> frozenset[str]:
        """The (singular) words of the catalog's dimension values ("filling" of Composite Filling)."""
        if self._value_words is None:
            self._value_words = frozenset(w for key, entries in self.latin.items()
                                          if any(e.kind == "value" for e in entries) for w in key)
        return self._value_words

    def add(self, entry: Entry, original: str = "", compounds: bool = False, fuzzy: bool = True) -> None:
        """Add `entry` under its phrase; `compounds`: also under the phrase with two short words written as one
        ("noshow rate"), matched exactly only (a fuzzy "seatcount" would be "headcount"); `fuzzy`: a typo of it
        may be read as it."""
        if compounds:
            for closed in _closed_compounds(entry.phrase):
                key = _words(closed)
                if key and entry not in self.latin.setdefault(key, []):
                    self.latin[key].append(dataclasses.replace(entry, phrase=closed))
                    self.max_len = max(self.max_len, len(key))
        phrase = entry.phrase
        if not phrase:
            return
        if entry.kind == "value" and phrase in _VALUE_STOP:
            if len(original) >= 2 and original.isupper():  # "US" is a value, "us" is not
                self.cased.setdefault(original, []).append(entry)
            elif len(original) == 1 and original.isupper():  # "A" is a grade only as one: A级, "grade A"
                self.letters.setdefault(original, []).append(entry)
            return
        if has_cjk(phrase):
            self.cjk.setdefault(phrase, [])
            if entry not in self.cjk[phrase]:
                self.cjk[phrase].append(entry)
            return
        key = tuple(w for _, _, w in word_spans(phrase))
        if not key or all(w in STOPWORDS for w in key):
            return
        bucket = self.latin.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        self.max_len = max(self.max_len, len(key))
        joined = " ".join(key)
        # Short words are matched exactly only: "web" must not fuzzily become "wed".
        if fuzzy and len(joined) >= 4 and joined not in self.fuzzy.setdefault(len(key), []):
            self.fuzzy[len(key)].append(joined)


def _uncommon(word: str, taken: set[str]) -> bool:
    """A lower-case word that can name one thing alone: no common word, no catalog word, no glossary term."""
    return word not in STOPWORDS and singular(word) not in taken and (singular(word),) not in common_terms()


def _name_parts(values: Iterable[Any], taken: set[str]) -> dict[str, list[str]]:
    """Value → the words of it that name it alone, for a name dimension: a surname ("Okafor" of "Daniel Okafor"),
    the distinctive word of a place ("Lakeside" of "Lakeside Urgent Care"), a code in capitals ("LAX" of "LAX
    Airport"). Only a capitalised word of four letters or more, or a code, that no other value of the dimension
    holds, and that is no common or catalog word."""
    names = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION]]
    words = {v: [w for w in re.findall(r"[A-Za-z][A-Za-z'-]+", v)] for v in names}
    counts = Counter(w.lower() for ws in words.values() for w in set(ws))
    out: dict[str, list[str]] = {}
    for value, ws in words.items():
        if len(value.split()) < 2:  # ("Loring S35": a model code is a word of the name besides the maker's)
            continue
        for w in ws:
            low = w.lower()
            # (or a code in capitals, "LAX" of "LAX Airport", as long as the name has a word besides it)
            if w[0].isupper() and (len(w) >= 4 or (w.isupper() and len(w) >= 2)) and counts[low] == 1 \
                    and _uncommon(low, taken):
                out.setdefault(value, []).append(w)
    return out


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """The everyday English words names are built from (data/glossary_words.tsv: care, community, private …)."""
    text = resources.files("metricloop").joinpath("data/glossary_words.tsv").read_text(encoding="utf-8")
    return frozenset(line.split("\t", 1)[0].strip().lower() for line in text.splitlines()
                      if line and not line.startswith("#"))


def _lead_words(values: Iterable[Any], taken: set[str], everywhere: Counter[str]) -> dict[str, str]:
    """Value → its first word, where that word is a proper name or a code no other value of the dimension starts
    with: "Medicaid" of "Medicaid Waiver", "VA" of "VA Community Care" (people name the programme, the payer, the
    brand without the rest). Only a code in capitals, or a capitalised word of four letters or more that no glossary
    of business words holds ("Express" of "Express Lane" is an adjective as often), that no other value of any
    dimension holds (`everywhere`: values per word), and that is no everyday English word and no catalog word."""
    names = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION]]
    split = {v: v.split() for v in names}
    counts = Counter(w.lower() for ws in split.values() for w in set(ws))
    everyday = _everyday_words()
    out: dict[str, str] = {}
    for value, ws in split.items():
        if not 2 <= len(ws) <= 4:
            continue
        first = ws[0]
        low = first.lower()
        if (re.fullmatch(r"[A-Z][a-z]{3,}", first) or re.fullmatch(r"[A-Z]{2,5}", first)) \
                and counts[low] == everywhere[low] == 1 \
                and low not in STOPWORDS and singular(low) not in taken and low not in everyday \
                and singular(low) not in everyday and (first.isupper() or (singular(low),) not in common_terms()):
            out[value] = first
    return out


_PARTICLES = frozenset({"through", "off", "out", "up", "down", "over", "away", "back", "around", "along", "across",
                        "apart", "ahead", "behind", "aside", "forward", "together", "again", "already", "yet"})


def _head_noun(value: str, values: Iterable[Any], taken: set[str], heads: Mapping[str, set[str]]) -> str | None:
    """The last word of a value of two or three words ("app" of "Mobile app", "portal" of "Web portal") where no other
    value of the dimension has that word, no value of another dimension ends with it (`heads`: the values ending with
    each word; "clinic" of the client type "Walk-in Clinic" is as much any client named "… Family Clinic") and it is no
    catalog word of another kind: people say the noun alone."""
    words = value.split()
    if not 2 <= len(words) <= 3 or not re.fullmatch(r"[A-Za-z]{3,}", words[-1]):
        return None
    last = singular(words[-1].lower())
    if last in STOPWORDS or last in _PARTICLES or last in taken or heads.get(last, set()) - {value}:
        return None  # ("Deal Fell Through": "came in through an agent" says no such deal)
    others = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION] if str(v) != value]
    return None if any(last in {singular(w.lower()) for w in o.split()} for o in others) else words[-1]


def _names_rows(dimension: str) -> bool:
    """The dimension holds the rows' names (customer_name, name): values people say by a distinctive part."""
    return dimension.split("_")[-1] == "name"


def _distinct_words(values: Iterable[Any], taken: set[str]) -> dict[str, list[str]]:
    """Value → its words no other value of the name dimension holds, for names of two words or more: "Phoenix" of
    "Phoenix Lab" beside "Denver Lab", "Pearl" of "Northbeam Pearl", "Loring" of "Loring S35" (read only among
    Chinese: Lexicon.among_chinese). Only Latin words of three letters or more, no common grammar word and no word of
    the catalog's metrics, dimensions or entities."""
    names = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION]]
    words = {v: re.findall(r"[A-Za-z][A-Za-z'-]{2,}", v) for v in names}
    # (counted over every value: "Plus" of "Annual Plus" is also the plan Plus)
    counts = Counter(w.lower() for ws in words.values() for w in set(ws))
    return {v: found for v, ws in words.items() if len(v.split()) >= 2
            if (found := [w for w in ws if counts[w.lower()] == 1 and w.lower() not in STOPWORDS
                          and singular(w.lower()) not in taken])}


def _brand_words(values: Iterable[Any], taken: set[str]) -> dict[str, str]:
    """Value → its first word, where the value is that word and a kind-of-thing noun other values end with too:
    "iOS" of "iOS app" beside "Android app". People say the brand alone ("iOS端", "orders from iOS"). Only a first word
    no other value holds, of three letters or more, no catalog word, and a brand by its spelling (iOS, eBay) or no
    common word at all ("Auto" of "Auto Loan" is the adjective of 自动扣款 as often as the product)."""
    names = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION]]
    split = {v: v.split() for v in names}
    lasts = Counter(singular(ws[-1].lower()) for ws in split.values() if len(ws) == 2)
    firsts = Counter(w.lower() for ws in split.values() for w in ws)
    return {v: ws[0] for v, ws in split.items() if len(ws) == 2 and lasts[singular(ws[-1].lower())] >= 2
            and re.fullmatch(r"[A-Za-z][A-Za-z0-9]{2,}", ws[0]) and firsts[ws[0].lower()] == 1
            and ws[0].lower() not in STOPWORDS and singular(ws[0].lower()) not in taken
            and (re.search(r"[a-z][A-Z]", ws[0]) is not None or _uncommon(ws[0].lower(), taken))}


def _name_heads(values: Iterable[Any], kinds: set[str], taken: set[str]) -> dict[str, str]:
    """Value → its words before the kind of place it is, where that kind is another dimension's value: "Cedar Ridge"
    of "Cedar Ridge Landfill" (Landfill a facility type), "Southside" of "Southside Transfer Station". Only a head no
    other value shares; a single word only if it is no common or catalog word (as for `_name_parts`)."""
    names = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION]]
    found: dict[str, str] = {}
    for value in names:
        words = value.split()
        for cut in range(1, len(words)):
            if singular(normalise(" ".join(words[cut:]))) in kinds:
                found[value] = " ".join(words[:cut])
                break
    heads = Counter(h.lower() for h in found.values())
    return {v: h for v, h in found.items() if heads[h.lower()] == 1 and h.lower() not in STOPWORDS
            and singular(normalise(h)) not in kinds and (" " in h or (len(h) >= 4 and _uncommon(h.lower(), taken)))}


def _name_tails(values: Iterable[Any]) -> dict[str, str]:
    """Value → the words after the brand its names share, for a name dimension: "Lincoln Park" of "Ember & Oak
    Lincoln Park" where other values also start "Ember & Oak". Only a tail of two words or more that no other value
    ends with (one word is left to `_name_parts`, which knows which single words are names)."""
    names = [str(v) for v in list(values)[:MAX_VALUES_PER_DIMENSION]]
    split = {v: v.split() for v in names}
    heads = Counter(" ".join(ws[:k]) for ws in split.values() for k in range(1, len(ws)))
    out: dict[str, str] = {}
    for value, ws in split.items():
        shared = max((k for k in range(1, len(ws)) if heads[" ".join(ws[:k])] >= 2), default=0)
        tail = " ".join(ws[shared:])
        if shared and len(ws) - shared >= 2 and sum(n.endswith(" " + tail) or n == tail for n in names) == 1:
            out[value] = tail
    return out


# a letter and a number that already say a period ("Q3", "H1", "W48"), a year ("FY26") or a unit, never a value
_NOT_A_NUMBERED_SHORT = re.compile(r"[qhwy]\d+|fy\d*", re.I)


def numbered_shorts(values: Mapping[DimKey, Sequence[Any]]) -> dict[str, tuple[DimKey, str]]:
    """"T3" for Terminal 3, "G12" for Gate 12: a value that is one word and a number, said by the word's initial and
    the number — only where no other value of the catalog shortens the same way and the short is no period."""
    found: dict[str, list[tuple[DimKey, str]]] = {}
    for key, vs in values.items():
        for v in list(vs)[:MAX_VALUES_PER_DIMENSION]:
            m = re.fullmatch(r"([A-Za-z])[A-Za-z]+ (\d{1,3})", str(v).strip())
            if m:
                short = m.group(1).upper() + m.group(2)
                if not _NOT_A_NUMBERED_SHORT.fullmatch(short):
                    found.setdefault(short, []).append((key, str(v)))
    return {short: pairs[0] for short, pairs in found.items() if len(pairs) == 1}


def _names(name: str, label: str | None, synonyms: Iterable[str]) -> list[str]:
    out = [humanise(name)]
    if label:
        out.append(label)
    out.extend(synonyms)
    # "Claims per 1,000 shipments" is also written "per 1000"; "F&B rev" is the F&B revenue (chat shorthand in a
    # label reads as the question's words do)
    out.extend(re.sub(r"(?<=\d),(?=\d{3}\b)", "", p) for p in list(out) if re.search(r"\d,\d{3}\b", p))
    # ... and "per 1k" (thousands said with a k)
    out.extend(re.sub(r"\b(\d{1,3}),?000\b", r"\1k", p) for p in list(out) if re.search(r"\b\d{1,3},000\b", p))
    out.extend(e for p in list(out) if (e := expand_shorthand(p)) != p)
    # "Visits WoW %" is also said "visits week over week"
    out.extend(e for p in list(out) if (e := _OVER.sub(lambda m: _SPELLED[m.group(0).lower()], p)) != p)
    # ... and "Supplier OTD %" "supplier on time delivery %"
    out.extend(e for p in list(out) if (e := spelled_out(p)) != p)
    # ... and "Food & beverage revenue" "F&B revenue"
    out.extend(e for p in list(out) if (e := _AMPERSAND_PAIRS.sub(lambda m: _PAIR_SHORT[_pair(m.group(0))], p)) != p)
    return [normalise(p) for p in out if p and p.strip()]


_ACRONYM_IN_PARENS = re.compile(r"[(（]([A-Z][A-Z0-9&]{1,5})[)）]\s*$")
_PERIOD_ACRONYMS = frozenset({"mtd", "ytd", "qtd", "wtd", "ttm", "ltm", "yoy", "mom", "wow", "qoq", "dod"})
_ACRONYM_UNIT = re.compile(r"([A-Z][A-Z0-9&]{1,5})\s+(?i:rate|ratio|score|%|pct|percentage|index)")


def _closed_compounds(phrase: str) -> list[str]:
    """"no show rate" is also typed "noshow rate", "check in" "checkin": two short words written as one."""
    words = list(_words(phrase))
    return [" ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]]) for i in range(len(words) - 1)
            if words[i].isalpha() and words[i + 1].isalpha() and len(words[i]) <= 5 and len(words[i + 1]) <= 6]


_SPELLED = {"wow": "week over week", "mom": "month over month", "qoq": "quarter over quarter",
            "yoy": "year over year"}
_OVER = re.compile(r"\b(?:wow|mom|qoq|yoy)\b", re.I)
# business abbreviations in names and labels, spelled out as people also say them
_SPELLED_OUT = {"otd": "on time delivery", "otif": "on time in full", "aov": "average order value",
                "ctr": "click through rate", "cpc": "cost per click", "cpa": "cost per acquisition",
                "arpu": "average revenue per user", "ltv": "lifetime value", "cac": "customer acquisition cost",
                "nps": "net promoter score", "csat": "customer satisfaction", "aht": "average handle time",
                "fcr": "first contact resolution", "mttr": "mean time to repair", "dso": "days sales outstanding",
                "cogs": "cost of goods sold", "gmv": "gross merchandise value", "fte": "full time equivalent",
                "wip": "work in progress", "fpy": "first pass yield", "oee": "overall equipment effectiveness",
                "roas": "return on ad spend", "mrr": "monthly recurring revenue", "arr": "annual recurring revenue",
                "dau": "daily active users", "mau": "monthly active users", "alos": "average length of stay",
                "adr": "average daily rate", "revpar": "revenue per available room", "cpi": "cost per install",
                "iap": "in app purchase", "arppu": "average revenue per paying user", "cpm": "cost per mille",
                "arpdau": "average revenue per daily active user", "wau": "weekly active users"}
_ABBREVIATION = re.compile(r"\b(?:" + "|".join(_SPELLED_OUT) + r")\b", re.I)
BUSINESS_ABBREVIATIONS = frozenset(_SPELLED_OUT)  # ("nps", "aov" …: metrics' names, whatever the case typed)


# two words joined by "and" that business writes as their initials around "&" ("F&B revenue", "R&D spend")
_PAIR_SHORT = {"food beverage": "f&b", "research development": "r&d", "profit loss": "p&l", "time materials": "t&m",
               "mergers acquisitions": "m&a", "general administrative": "g&a", "sales marketing": "s&m",
               "operations maintenance": "o&m", "repairs maintenance": "r&m", "excess surplus": "e&s",
               "food beverages": "f&b", "food bev": "f&b"}
_AMPERSAND_PAIRS = re.compile(r"\b(?:food|research|profit|time|mergers|general|sales|operations|repairs|excess)"
                              r"\s*(?:&|and)\s*(?:beverages?|bev|development|loss|materials|acquisitions|administrative"
                              r"|marketing|maintenance|surplus)\b", re.I)


def _pair(words: str) -> str:
    """"Food & Beverages" → "food beverages": the pair's key in _PAIR_SHORT."""
    return " ".join(w for w in re.findall(r"[a-z]+", words.lower()) if w != "and")


def spelled_out(phrase: str) -> str:
    """The phrase with its business abbreviations spelled out ("ALOS" → "average length of stay")."""
    return _ABBREVIATION.sub(lambda m: _SPELLED_OUT[m.group(0).lower()], phrase)


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(w for _, _, w in word_spans(phrase))


def _bare_label(label: str | None) -> list[str]:
    """"Bookings growth (week over week)" is also said "bookings growth": a label without its
    parenthetical qualifier (kept only when no other metric is called that)."""
    bare = re.sub(r"\s*[(（][^)）]*[)）]", " ", label or "").strip()
    return [normalise(bare)] if bare and bare != (label or "").strip() else []


def _windowed(metric: Any) -> bool:
    """A running total (a window or a period to date): its label's parenthetical says over which days ("Applications
    (rolling 28 days)"), and the label without it names the plain count, another number."""
    return metric.type == "cumulative" and bool(metric.window or metric.grain_to_date)


_SKIPPED_IN_INITIALS = frozenset({"of", "the", "a", "an", "and", "to", "in", "on", "for", "by", "&"})


_KIND_ENDS = frozenset({"rate", "ratio", "percent", "percentage", "pct", "share", "score", "count"})


def _initialisms(metrics: Sequence[Any], taken: set[str]) -> dict[str, str]:
    """"ATV" for "Average transaction value", "SPLH" for "Sales per labor hour": the capitals of a metric's
    three-to-five-word label or name, matched only when written in capitals. An initialism two metrics share, or
    one that is already a phrase of the catalog, is left out."""
    found: dict[str, set[str]] = {}
    for metric in metrics:
        for phrase in (metric.label or "", humanise(metric.name)):
            words = re.findall(r"[a-z0-9]+", re.sub(r"[(（][^)）]*[)）]", " ", phrase.lower()))
            plain = [w for w in words if w not in _SKIPPED_IN_INITIALS]
            # ("OTD" for "On-time delivery rate": the kind of number at the end is often left out)
            for kept in (words, plain, *(ws[:-1] for ws in (words, plain) if ws and ws[-1] in _KIND_ENDS)):
                if 3 <= len(kept) <= 5:
                    found.setdefault("".join(w[0] for w in kept).upper(), set()).add(metric.name)
    return {short: next(iter(names)) for short, names in found.items()
            if len(names) == 1 and short.lower() not in taken and not short.isdigit()}


def _tails(name: str) -> list[str]:
    """`company_claim_number` is also said "claim number": a long identifier's last two words."""
    parts = [p for p in name.split("_") if p]
    return [" ".join(parts[-2:])] if len(parts) >= 3 and parts[-1] in _IDENTIFYING_WORDS else []


def _last_word(name: str, tails: Counter[str], taken: set[str]) -> list[str]:
    """`denial_reason` is also said "reason" ("denials by reason"): a dimension's last word, when no other dimension
    of the catalog ends with it or is called it, it names no metric (nor is the verb of one: "play" of Rounds
    played), and it is no word of identity (type, status …)."""
    parts = [p for p in name.split("_") if p]
    last = parts[-1] if len(parts) >= 2 else ""
    if not last or not last.isalpha() or len(last) < 4 or last in _IDENTIFYING_WORDS or tails[last] > 1 \
            or singular(last) in taken or last in STOPWORDS \
            or any(last + ending in taken for ending in ("ed", "d", "ing", "s", "es")):
        return []
    return [last]


def _named_rows(name: str, label: str | None, taken: Counter[str], metric_words: set[str]) -> list[str]:
    """`optometrist_name` labelled "Clinician name" is also said "clinician" ("eye exams by clinician"): the rows a name
    dimension's label names, when the label's words before "name" are no other dimension's name and no metric's or
    model's word."""
    m = re.fullmatch(r"(.+?)\s+name", (label or "").strip(), re.I)
    rest = normalise(m.group(1)) if m and name.split("_")[-1] == "name" else ""
    words = [w for _, _, w in word_spans(rest)]
    if not words or len(words) > 2 or taken.get(rest) or words[0] in STOPWORDS \
            or {singular(w) for w in words} & metric_words or rest == normalise(humanise(name.removesuffix("_name"))):
        return []
    return [rest]


def _name_stem(name: str, taken: Counter[str], metric_words: set[str]) -> list[str]:
    """`district_name` on the routes is also said "district" ("on-time rate by district"): a name dimension's words
    before "name", when they name no model or entity (those rows are read through the entity), no metric, and no
    other dimension is called so."""
    m = re.fullmatch(r"([a-z]+(?:_[a-z]+)?)_name", name)
    stem = normalise(humanise(m.group(1))) if m else ""
    words = [w for _, _, w in word_spans(stem)]
    if not words or taken.get(stem) or words[0] in STOPWORDS or {singular(w) for w in words} & metric_words:
        return []
    return [stem]


def _flag_word(name: str, taken: Counter[str], metric_words: set[str]) -> list[str]:
    """`is_airport` is also said "airport" ("airport rides", "excluding airport rides"): a yes/no dimension's
    word without its is/has — unless another dimension is called that, a metric's or a model's name uses the word
    ("premiums" name the premium rows where `has_premium` is a flag), or it is a phrase of time or manner
    ("on time": "are parcels arriving on time" asks how punctual, not how many were)."""
    m = re.match(r"(?:is|has|was|had)_(.+)$", name)
    rest = normalise(humanise(m.group(1))) if m else ""
    words = [w for _, _, w in word_spans(rest)]
    # (two words may be a metric's too: "new patient" is a flag and the metric New patients — the question's
    # place decides, core/understand/interpreter._prefer_metrics)
    if not words or taken.get(rest) or words[0] in STOPWORDS or (len(words) == 1 and set(words) & metric_words):
        return []
    return [rest]


def _without_own_prefix(name: str, model: Any, taken: Counter[str]) -> list[str]:
    """`return_reason` on the returns model is also said "reason" ("returns by reason"): a dimension's name
    without the word naming its own rows — unless another dimension is called that."""
    parts = [p for p in name.split("_") if p]
    own = {singular(model.name.split("_")[-1])} | {singular(p) for e in model.entities if e.type == "primary"
                                                    for p in e.name.split("_")}
    if len(parts) < 2 or singular(parts[0]) not in own or parts[-1] in _IDENTIFYING_WORDS:
        return []
    rest = normalise(" ".join(parts[1:]))
    return [rest] if not taken.get(rest) else []


@lru_cache(maxsize=1)
def _entity_table() -> dict[str, tuple[str, ...]]:
    text = resources.files("metricloop").joinpath("data/entity_words.tsv").read_text(encoding="utf-8")
    return parse_entity_words(text.splitlines())


def parse_entity_words(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Entity → its everyday words, from lines "entity<TAB>word|word…" (# comments); an entity listed on two lines
    keeps both lines' words."""
    rows = (line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#"))
    table: dict[str, tuple[str, ...]] = {}
    for entity, words in rows:
        table[entity.strip()] = table.get(entity.strip(), ()) + tuple(w.strip() for w in words.split("|") if w.strip())
    return table


def _entity_words(entities: Sequence[str], taken: set[str]) -> dict[str, list[str]]:
    """Everyday words for the catalog's entities (data/entity_words.tsv), each only where no other entity, metric or
    entity word of the catalog is called so ("riders" is the courier where the catalog has no rider)."""
    own = {normalise(humanise(e)) for e in entities} | {singular(normalise(humanise(e))) for e in entities}
    offered: dict[str, list[str]] = {}
    for entity in entities:
        for word in _entity_table().get(entity, ()):
            offered.setdefault(normalise(word), []).append(entity)
    out: dict[str, list[str]] = {}
    for word, names in offered.items():
        if len(names) == 1 and word not in own and singular(word) not in own and word not in taken:
            out.setdefault(names[0], []).append(word)
    return out


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    """The larger cities' names, folded (data/cities.tsv)."""
    text = resources.files("metricloop").joinpath("data/cities.tsv").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# the words of a dimension that says where (a market, a metro, a service area), whose values may be cities
_PLACE_WORDS = frozenset({"market", "metro", "area", "region", "location", "territory", "zone", "geo", "geography",
                          "locale", "place", "town", "district", "municipality", "hub"})


def city_dimensions(catalog: Catalog, values: Mapping[DimKey, Sequence[str]]) -> list[DimKey]:
    """The dimensions that hold cities ("market": Denver, Austin, Atlanta), where no dimension's name or label says
    city: those named as places (market, metro, area …) whose values are mostly cities (at least two). "By city" and
    各城市 name them (the question's metric reaches one of them, or it is asked which)."""
    dims = [(sm.name, d, set(re.findall(r"[a-z]+", f"{d.name} {d.label or ''}".lower())))
            for sm in catalog.semantic_models for d in sm.dimensions]
    if any("city" in words for _, _, words in dims):
        return []
    held = []
    for model, d, words in dims:
        if not _PLACE_WORDS & words:
            continue  # a warehouse's or a bureau's name may be a city's, but "by city" does not ask for warehouses
        vs = [str(v).strip().casefold() for v in list(values.get((model, d.name), ()))[:MAX_VALUES_PER_DIMENSION]]
        cities = sum(v in _cities() for v in vs)
        if cities >= 2 and cities >= 0.6 * len(vs):
            held.append((model, d.name))
    return held


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    """Each country's code, names and adjectives (data/countries.tsv), keyed by every one of them folded."""
    text = resources.files("metricloop").joinpath("data/countries.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, names, adjectives = line.split("\t")
        words = (code, *names.split("|"), *adjectives.split("|"))
        for word in words:
            out.setdefault(word.casefold(), words)
    return out


def country_words(value: str) -> tuple[str, ...]:
    """The other ways to say a dimension value that is a country code or name ("DE": Germany, German)."""
    words = _countries().get(value.strip().casefold(), ())
    if not words or (len(value.strip()) == 2 and value.strip() != value.strip().upper()):
        return ()  # "de" in lower case is not Germany
    return tuple(w for w in words if w.casefold() != value.strip().casefold())


@lru_cache(maxsize=1)
def _states() -> dict[str, dict[str, tuple[str, ...]]]:
    """Country → each state's or province's code → its names (data/states.tsv)."""
    text = resources.files("metricloop").joinpath("data/states.tsv").read_text(encoding="utf-8")
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            country, code, names = line.split("\t")
            out.setdefault(country, {})[code] = tuple(names.split("|"))
    return out


def state_words(value: str, dimension_values: Iterable[str]) -> tuple[str, ...]:
    """The names of a state's or province's code ("TX": Texas) where every value of its dimension is such a code of
    one country — never in a dimension of country codes ("CA" beside "US" and "MX" is Canada)."""
    codes = {str(v).strip() for v in dimension_values}
    if not codes or all(c.casefold() in _countries() for c in codes):
        return ()
    for states in _states().values():
        if codes <= states.keys():
            return states.get(value.strip(), ())
    return ()


def _swapped_acronyms(lex: Lexicon, own: Mapping[str, Sequence[str]], taken: set[str]) -> None:
    """"GVM", "NSP", "MMR" typed for GMV, NPS, MRR: an all-caps word that is a metric's three- or four-letter acronym
    with two neighbouring letters swapped (never a word the catalog, the glossary or English already has)."""
    known = taken | set(STOPWORDS) | {k[0] for k in common_terms() if len(k) == 1}
    acronyms = {p: name for name, phrases in own.items() for p in phrases if re.fullmatch(r"[a-z]{3,4}", p)}
    acronyms |= {short.lower(): e.target for short, entries in lex.cased.items() for e in entries
                 if e.kind == "metric" and re.fullmatch(r"[A-Z]{3,4}", short)}
    swaps: dict[str, set[str]] = {}
    for word, name in acronyms.items():
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped != word and swapped not in known and swapped not in acronyms:
                swaps.setdefault(swapped, set()).add(name)
    for swapped, names in swaps.items():
        if len(names) == 1:
            lex.cased.setdefault(swapped.upper(), []).append(Entry("metric", next(iter(names)), swapped))


def build_lexicon(catalog: Catalog, values: Mapping[DimKey, Sequence[str]] | None = None) -> Lexicon:
    """All catalog phrases (and dimension values) as a lexicon."""
    lex = Lexicon()
    metrics = catalog.supported_metrics()
    own = {m.name: _names(m.name, m.label, m.meta.synonyms) + spelled_acronym(m) for m in metrics}
    taken = {p for phrases in own.values() for p in phrases}
    plain = {(_words(p), m) for m, phrases in own.items() for p in phrases if "%" not in p}
    for metric in metrics:
        bare = [] if _windowed(metric) else [p for p in _bare_label(metric.label) if p not in taken]
        for phrase in own[metric.name] + bare:
            if "%" in phrase and any(k == _words(phrase) and m != metric.name for k, m in plain):
                continue  # "Gross margin %" beside "Gross margin": its words without the % name the other metric
            lex.add(Entry("metric", metric.name, phrase), compounds=True)
    for short, name in _initialisms(metrics, taken).items():
        lex.cased.setdefault(short, []).append(Entry("metric", name, short.lower()))
    _swapped_acronyms(lex, own, taken)
    # "FCR rate", "NPS score": the acronym says the whole of it ("lowest FCR") when no other metric is called so
    acronyms = [(m.group(1), metric.name) for metric in metrics for p in (metric.label or "", *metric.meta.synonyms)
                if (m := _ACRONYM_UNIT.fullmatch(p.strip()))]
    # "Net patient revenue (NPR)": the acronym a label ends with, in parentheses, names that metric ("npr by payer")
    # — never a period's ("Revenue (MTD)") nor one two labels give
    acronyms += [(m.group(1), metric.name) for metric in metrics if not _windowed(metric)
                 and (m := _ACRONYM_IN_PARENS.search(metric.label or ""))
                 and m.group(1).lower() not in _PERIOD_ACRONYMS]
    for short, name in acronyms:
        if [n for s_, n in acronyms if s_.lower() == short.lower()] == [name] and normalise(short) not in taken:
            lex.add(Entry("metric", name, normalise(short)))
    values = values or {}
    # entities are breakdowns too ("top 10 customers by revenue"); keyed ("", entity) as they have no model
    entity_names = sorted({e.name for sm in catalog.semantic_models for e in sm.entities})
    for name in entity_names:
        for phrase in _names(name, None, ()):
            lex.add(Entry("dimension", name, phrase, ("", name)))
    # "top 5 restaurants" for merchants: the entity, and its name dimension (rows read by their names)
    names_of = {e.name: (sm.name, d.name) for sm in catalog.semantic_models for e in sm.entities if e.type == "primary"
                for d in sm.dimensions if d.name in (f"{e.name}_name", "name")}
    for name, words in _entity_words(entity_names, taken).items():
        for word in words:
            lex.add(Entry("dimension", name, normalise(word), ("", name)))
            if name in names_of:
                lex.add(Entry("dimension", names_of[name][1], normalise(word), names_of[name]))
    metric_words = {w for phrases in own.values() for p in phrases for _, _, w in word_spans(p)}
    entity_words = {singular(w) for sm in catalog.semantic_models for n in (sm.name, *(e.name for e in sm.entities))
                    for w in n.split("_")}
    dimension_words = Counter(phrase for sm in catalog.semantic_models for d in sm.dimensions
                              for phrase in _names(d.name, d.label, d.synonyms))
    # how many dimensions end with (or are called) each word: "reason" of denial_reason alone, "type" of many
    tails = Counter(w for sm in catalog.semantic_models for d in sm.dimensions
                    for w in {d.name.split("_")[-1], *(d.name.split("_") if "_" not in d.name else ())})
    # a word that is a whole value somewhere ("Medicaid", a payer type) is that value, not part of a payer's name
    whole_values = {singular(normalise(str(v))) for vs in values.values() for v in vs}
    value_words = Counter(w.lower() for vs in values.values() for v in list(vs)[:MAX_VALUES_PER_DIMENSION]
                          for w in set(str(v).split()))
    value_heads: dict[str, set[str]] = {}  # a value's last word → the distinct values ending with it
    for value in {str(v) for vs in values.values() for v in list(vs)[:MAX_VALUES_PER_DIMENSION]}:
        if value.split():
            value_heads.setdefault(singular(value.split()[-1].lower()), set()).add(value)
    # every word of the models' and dimensions' names and labels ("plan" of plan_tier)
    schema_words = {singular(w) for sm in catalog.semantic_models
                    for n in (sm.name, *(d.name for d in sm.dimensions), *(d.label or "" for d in sm.dimensions))
                    for w in re.findall(r"[a-z]+", n.lower())}
    for sm in catalog.semantic_models:
        for dim in sm.dimensions:
            key = (sm.name, dim.name)
            if dim.type == "time":
                continue  # time is read by core/timeframes, not by name
            for phrase in _names(dim.name, dim.label, dim.synonyms) + _tails(dim.name):
                lex.add(Entry("dimension", dim.name, phrase, key), compounds=True)
            for phrase in _without_own_prefix(dim.name, sm, dimension_words) \
                    + _flag_word(dim.name, dimension_words, metric_words | entity_words) \
                    + _last_word(dim.name, tails, metric_words | entity_words) \
                    + _named_rows(dim.name, dim.label, dimension_words, metric_words | entity_words) \
                    + _name_stem(dim.name, dimension_words, metric_words | entity_words):
                lex.add(Entry("dimension", dim.name, phrase, key))
            for value in list(values.get(key, ()))[:MAX_VALUES_PER_DIMENSION]:
                value = str(value)
                if value.strip().replace(".", "").isdigit():
                    continue  # bare numbers collide with quantities ("top 3", "5 orders")
                for phrase in {normalise(value), normalise(humanise(value))}:
                    # "US" is a value, "us" is not; "walkins" is Walk-in
                    lex.add(Entry("value", value, phrase, key), original=value, compounds=True)
                    # 高优先级, 西部区域: Chinese says a value with its dimension's word as one word (rendered only)
                    # (and with its last word alone: 邮件渠道 is the Email contact channel)
                    for dim_phrase in dict.fromkeys([*_names(dim.name, dim.label, ()), humanise(dim.name).split()[-1]]):
                        composed = tuple(w for _, _, w in word_spans(f"{phrase} {dim_phrase}"))
                        lex.composed.setdefault(composed, []).append(Entry("value", value, phrase, key))
                # (not of a name: its last word is the kind of business it is, "Coffee" of "Grindstone Coffee", as
                # much as of any coffee shop)
                head = None if _names_rows(dim.name) else _head_noun(
                    value, values.get(key, ()), metric_words | entity_words | schema_words | whole_values, value_heads)
                if head:  # "through the app": the Mobile app channel, the one value of its dimension ending so
                    entry = Entry("value", value, normalise(head), key)
                    lex.add(entry, original=head)
                    lex.english_only.add(entry)
                    lex.heads.add(entry)
                # "DE" is also Germany, German (and, via the glossary, 德国); "TX" among states is Texas, 德州
                for other in state_words(value, values.get(key, ())) or country_words(value):
                    if singular(normalise(other)) in whole_values:
                        continue  # "Texas" is a region's own value: the state TX is not a second reading of it
                    lex.add(Entry("value", value, normalise(other), key), original=other)
            for value, brand in _brand_words(values.get(key, ()), metric_words | entity_words | schema_words
                                             | whole_values).items():
                entry = Entry("value", value, normalise(brand), key)
                lex.add(entry, original=brand)  # "iOS" of "iOS app"
                lex.english_only.add(entry)
            if not _names_rows(dim.name):
                for value, lead in _lead_words(values.get(key, ()), metric_words | entity_words | schema_words
                                               | whole_values, value_words).items():
                    lex.cased.setdefault(lead, []).append(Entry("value", value, normalise(lead), key))  # "Medicaid"
                    if not lead.isupper():  # ... and lower-cased where a value is said: "ad spend excl. offsite"
                        entry = Entry("value", value, normalise(lead), key)
                        lex.add(entry, original=lead, fuzzy=False)
                        lex.english_only.add(entry)
                        lex.heads.add(entry)
            if _names_rows(dim.name):
                # "Dr. Okafor" is Daniel Okafor, "at Lakeside" the Lakeside Urgent Care: found as capitalised
                for value, words in _name_parts(values.get(key, ()), metric_words | set(dimension_words)
                                                | whole_values).items():
                    for word in words:
                        lex.cased.setdefault(word, []).append(Entry("value", value, normalise(word), key))
                for value, tail in _name_tails(values.get(key, ())).items():  # "Lincoln Park" of a chain's branch
                    lex.add(Entry("value", value, normalise(tail), key), original=tail)
                kinds = {singular(normalise(str(v))) for k, vs in values.items() if k[0] == sm.name and k != key
                         for v in vs}
                for value, head in _name_heads(values.get(key, ()), kinds,
                                               metric_words | set(dimension_words)).items():
                    lex.add(Entry("value", value, normalise(head), key), original=head)  # "at Cedar Ridge"
                for value, words in _distinct_words(values.get(key, ()), metric_words | set(dimension_words)
                                                    | entity_words).items():
                    for word in words:
                        lex.among_chinese.setdefault(word.lower(), []).append(Entry("value", value, word.lower(), key))
            for value in list(values.get(key, ()))[MAX_VALUES_PER_DIMENSION:]:
                # the long tail of a name dimension ("First Prairie Bank" among 2,000 consignors): a whole name of
                # two words or more said as spelled, no typo of it nor a part (a word alone is as likely a common one)
                if len(str(value).split()) >= 2:
                    lex.add(Entry("value", str(value), normalise(str(value)), key), original=str(value), fuzzy=False)
            for value, syns in dim.value_synonyms.items():
                for phrase in (value, *syns):
                    lex.add(Entry("value", value, normalise(phrase), key), original=phrase)
    for short, (key, value) in numbered_shorts(values).items():
        lex.add(Entry("value", value, normalise(short), key), original=short)
    for key in city_dimensions(catalog, values):
        lex.add(Entry("dimension", key[1], "city", key))
    _add_chinese_aliases(lex)
    return lex


def _add_chinese_aliases(lex: Lexicon) -> None:
    """Hook: Chinese questions on an English-only catalog (the glossary's renderings of its phrases)."""
    sources = {**lex.composed, **lex.latin}  # a phrase of the catalog's own wins over a composed one
    sources = {k: kept for k, v in sources.items() if (kept := [e for e in v if e not in lex.english_only])}
    lex.zh = chinese_aliases(sources, lex.cased, lex.cjk)
    lex.zh_len = max(map(len, lex.zh), default=0)
    lex.sounds = homophone_index([*lex.cjk, *lex.zh])


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _edits_allowed(token: str) -> int:
    """Typos tolerated in a word: none below 4 letters, one up to 7, two from 8 ("cancelation")."""
    return 0 if len(token) < 4 else 1 if len(token) < 8 else 2


_SUFFIX = re.compile(r"(?:ed|ing|er|ers|es|s|ly|ion|ions|ment|ments|al)$")


def _other_form(got: str, want: str) -> bool:
    """`got` and `want` are forms of one word with different endings ("started"/"starter"), not a typo."""
    a, b = _SUFFIX.search(got), _SUFFIX.search(want)
    if not a and not b:
        return False
    stem_a, stem_b = got[: a.start()] if a else got, want[: b.start()] if b else want
    return (a.group(0) if a else "") != (b.group(0) if b else "") and len(stem_a) >= 3 and (
        stem_a == stem_b or stem_a.rstrip("e") == stem_b.rstrip("e"))


def _fuzzy_ok(window: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Token by token: stopwords and short words exact, others within their typo budget;
    a multi-word phrase needs one word spelled exactly ("refund rat" yes, "revnue bi chanel" no)."""
    exact = 0
    for got, want in zip(window, phrase, strict=False):
        if got == want:
            exact += got not in STOPWORDS
            continue
        if got in STOPWORDS or want in STOPWORDS or OSA.distance(got, want) > _edits_allowed(want) \
                or any(c.isdigit() for c in got + want) or _other_form(got, want):
            # a number is never a typo of another ("per 100" ≠ 1000), nor another form of a word ("started" ≠
            # the plan "starter", "shipping" ≠ "shipped")
            return False
    return exact >= 1 or (len(phrase) == 1 and len(phrase[0]) >= 5)


def spot(lex: Lexicon, text: str, masked: Iterable[tuple[int, int]] = (), raw: str | None = None) -> list[Hit]:
    """Every lexicon phrase found in normalised `text` outside the masked spans.

    `raw` (same offsets, original case) lets all-caps values such as "US" be found.
    """
    spans = list(masked)
    unmasked, text = text, _mask(text, spans)
    hits: list[Hit] = []
    for phrase, entries in lex.cjk.items():
        start = text.find(phrase)
        while start >= 0:
            hits.extend(Hit(e, start, start + len(phrase), 1.0) for e in entries)
            start = text.find(phrase, start + 1)
    if lex.zh:  # hook: glossary aliases (core/understand/zh_aliases)
        hits.extend(Hit(e, s, end, 1.0) for e, s, end in find_aliases(lex.zh, text, lex.zh_len, unmasked))
    for phrase, s, end in find_homophones(lex.sounds, text, max(lex.zh_len, 8)):  # 入驻率 typed for 入住率
        hits.extend(Hit(e, s, end, HOMOPHONE_SCORE) for e in entries_for(phrase, (lex.cjk, lex.zh)))
    if raw is not None and lex.cased:
        raw = _mask(raw, spans)
        for phrase, entries in lex.cased.items():
            # "US", and "the us" in lower case ("billings from the us and canada"): after "the" it is no pronoun
            # (a code in capitals counted in the plural is the code: "not counting the DSOs")
            plural = "s?" if phrase.isupper() and len(phrase) >= 2 else ""
            pattern = r"(?<![A-Za-z0-9])" + re.escape(phrase) + plural + r"(?![A-Za-z0-9])"
            if entries[0].kind == "value" and len(phrase) <= 3:
                pattern += r"|(?<=\bthe )" + re.escape(phrase.lower()) + r"(?![A-Za-z0-9])"
            for m in re.finditer(pattern, raw):
                hits.extend(Hit(e, m.start(), m.end(), 1.0) for e in entries)
    if raw is not None:
        for letter, entries in lex.letters.items():
            pattern = (rf"(?<![A-Za-z0-9]){letter}(?=[级类档等]|[- ]?(?:grade|class|tier|rated)\b)"
                       rf"|(?:(?<=grade )|(?<=class )|(?<=tier )){letter}(?![A-Za-z0-9])")
            for m in re.finditer(pattern, _mask(raw, spans)):
                hits.extend(Hit(e, m.start(), m.end(), 1.0) for e in entries)
    words = word_spans(text)
    for n in range(1, lex.max_len + 1):
        choices = lex.fuzzy.get(n, [])
        for i in range(len(words) - n + 1):
            window = words[i : i + n]
            key = tuple(w for _, _, w in window)
            s, e = window[0][0], window[-1][1]
            exact = lex.latin.get(key)
            if exact:
                # (a value's last word alone only where a value is said: "through the app" is Mobile app, "how many
                # failures" no Pump failure)
                hits.extend(_exact_hit(text, s, e, entry, exact) for entry in exact
                            if entry not in lex.heads or _value_said(text, s, entry, _MEANS_CUE))
                continue
            joined = " ".join(key)
            if len(joined) < 4 or key[0] in STOPWORDS or key[-1] in STOPWORDS or not choices:
                continue
            budget = sum(_edits_allowed(k) for k in key)
            for match, dist, _ in process.extract(joined, choices, scorer=OSA.distance, score_cutoff=budget, limit=5):
                mkey = tuple(match.split(" "))
                if dist and _fuzzy_ok(key, mkey):
                    score = max(0.8, 0.97 - dist / max(len(joined), 1))
                    # a word the catalog itself uses is meant as typed: "new players" are no typo of the metric "New
                    # payers" where players are counted too (a value may still be: "Eats" for East is said, or asked)
                    # (or its values use: "fillings" is no typo of the metric "billings" where fillings are
                    # procedures; nor is "collections" of the dimension Collector where the metric says collections)
                    real = any(g != w and (g in lex.words() or g in lex.value_words())
                               for g, w in zip(key, mkey, strict=False))
                    # an everyday word is a value's typo only where a value is said ("for region Eats"): "watched
                    # stuff" is no typo of the instructor type Staff
                    everyday = any(g != w and g in known_words() for g, w in zip(key, mkey, strict=False))
                    hits.extend(Hit(entry, s, e, score) for entry in lex.latin.get(mkey, ())
                                if not (real and entry.kind in ("metric", "dimension"))
                                and not (everyday and entry.kind == "value"
                                         # (one slip of a value's name, "Eats" for East: "excluding seasonal" is
                                         # the word seasonal, never the client type Personal two letters away)
                                         and (dist > 1 or not _value_said(text, s, entry))))
    if lex.among_chinese and has_cjk(text):
        # (only a word nothing else placed: "Retail" glossing 零售客户 is the industry, not also a client's name)
        taken = [h.span for h in hits]
        for m in re.finditer(r"[a-z][a-z'-]{2,}", text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                hits.extend(Hit(e, m.start(), m.end(), 1.0) for e in lex.among_chinese.get(m.group(0), ()))
    return [h for h in hits if not (h.entry.kind == "metric" and _names_a_doer(text, h.start, h.end))]


# 销售员, 配送员, 理发师, 供应商: a Chinese word of what is done, made the one who does it by its suffix
_DOER = re.compile(r"人员|员|者|师|工|商|官")


def _names_a_doer(text: str, start: int, end: int) -> bool:
    """The Chinese metric word at `text[start:end]` is the head of a word naming who does it ("按销售员看" is by
    salesperson, never the sales metric) — a word of the segmenter's dictionary, so 销售额 or 订单数 never count."""
    m = _DOER.match(text, end)
    return bool(m) and has_cjk(text[start:end]) and chinese_word(text[start : m.end()])


_VALUE_CUE = re.compile(r"\b(?:in|for|from|at|within|outside|excluding|excl\.?|except|without|not|non|only|of|on|via|is"
                        r"|=)\s+"
                        r"(?:the\s+)?$")


_MEANS_CUE = re.compile(r"\b(?:through|using|by|over|with)\s+(?:the\s+|our\s+|a\s+|an\s+)?$")


def _value_said(text: str, start: int, entry: Entry, also: re.Pattern[str] | None = None) -> bool:
    """The words before `start` say a value comes: a condition word (or `also`), or the value's dimension named."""
    before = text[max(0, start - 40) : start]
    dim_words = humanise(entry.dim[1]).lower().split() if entry.dim else []
    return bool(_VALUE_CUE.search(before) or (also and also.search(before))) or any(
        re.search(rf"\b{re.escape(w)}s?\s+$", before) for w in dim_words)


def _exact_hit(text: str, start: int, end: int, entry: Entry, exact: list[Entry]) -> Hit:
    """The hit of a phrase whose words are at `text[start:end]`: an exact spelling beats a match only after
    singularising ("conversions" ≠ "conversion"), and a phrase ending in a symbol its words leave out ends after it
    ("80+" is read as the word "80": the "+" is the value's own, and 80+的不算 negates the age band 80+)."""
    if entry.phrase[-1:] in "+%" and text[end : end + 1] == entry.phrase[-1]:
        end += 1
    spelled = entry.phrase == text[start:end] or _said_in_plural(text, start, entry, exact)
    return Hit(entry, start, end, 1.0 if spelled else INFLECTED_SCORE)


def _said_in_plural(text: str, start: int, entry: Entry, exact: list[Entry]) -> bool:
    """A value said in the plural after a condition word, where a metric is spelled that way ("no-show rate for
    hearing tests": the appointment type Hearing Test, though Hearing tests is a metric too): as good as the metric's
    spelling, an ambiguity the caller resolves instead of the metric winning by its letter."""
    return entry.kind == "value" and any(other.kind == "metric" for other in exact) and bool(
        _VALUE_CUE.search(text[max(0, start - 40) : start]))


def inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    """`inner` lies within `outer` and is shorter: a word of a longer phrase (中心 of 园艺中心)."""
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[1] - outer[0] > inner[1] - inner[0]


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Longest (then best-scoring) hits win; hits on exactly the same span are kept together."""
    order = sorted(hits, key=lambda h: (-(h.end - h.start) * h.score, -h.score, h.start))
    kept: list[Hit] = []
    for hit in order:
        clash = [k for k in kept if k.start < hit.end and hit.start < k.end]
        if not clash:
            kept.append(hit)
        elif all(k.span == hit.span and (k.score == hit.score or _inflected_values(k, hit)) for k in clash):
            kept.append(hit)  # same words, another meaning: an ambiguity the caller resolves
    return sorted(kept, key=lambda h: (h.start, h.end))


def _inflected_values(kept: Hit, hit: Hit) -> bool:
    """Two values of different dimensions said by one word, their scores no further apart than an exact spelling and
    one found only once singularised ("implant": the appointment type Implant, the plan category Implants): the same
    word, neither beats the other."""
    return kept.entry.kind == hit.entry.kind == "value" and kept.entry.dim != hit.entry.dim \
        and abs(kept.score - hit.score) <= 1.0 - INFLECTED_SCORE + 1e-9


def singular_phrase(text: str) -> str:
    """Normalised, singularised form of a phrase (for comparing names)."""
    return " ".join(singular(w) for _, _, w in word_spans(normalise(text)))
