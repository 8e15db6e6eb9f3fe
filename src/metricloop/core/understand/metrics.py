"""Which metric(s) a question asks for: lexical hits fused with dense similarity. Pure.

Decision rules (thresholds calibrated on tests/fixtures/questions/dev.yaml and checked on a held-out
split; nothing here knows any catalog):
- each phrase span that names metrics exactly (name, label, synonym, or a close typo) is a mention;
  a span naming two metrics equally is ambiguous → clarify between them;
- without a full mention, every metric gets a fused score: token overlap of its phrases with the
  question's remaining words, plus rescaled cosine similarity; a clear winner is taken, a weak or
  crowded top → clarify (≤3 options), nothing plausible → no_match with the nearest metrics.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.text import (
    STOPWORDS,
    chinese_word,
    content_tokens,
    has_cjk,
    humanise,
    meaning_tokens,
    segmenter_state,
    singular,
    tokens,
)
from metricloop.core.understand.glossary import load_glossary
from metricloop.core.understand.kinds import asks_amount, asks_count, gone_wrong, is_count, metric_phrases, model_of
from metricloop.core.understand.lexicon import Hit, spelled_out
from metricloop.core.understand.negation import CUE
from metricloop.core.understand.paraphrase import everyday_spans
from metricloop.core.understand.siblings import plain_among, running_total_of
from metricloop.core.understand.spelling import known_words
from metricloop.core.understand.zh_words import FILLER_ZH, MEASURE_WORDS

# Calibration (cosine of all-MiniLM-L6-v2; a fake embedder in unit tests gives similar ranges).
DENSE_FLOOR = 0.20  # below: no semantic relation
DENSE_FULL = 0.65  # at or above: as good as a lexical match
ACCEPT = 0.62  # fused score to answer without a lexical mention
MARGIN = 0.12  # ... and this far ahead of the runner-up
WORDS_MARGIN = 0.2  # ... or this far, on words alone (no sentence model for the question's language)
SUGGEST = 0.40  # fused score to offer a clarification
DENSE_ACCEPT = 0.55  # cosine to answer on meaning alone (no shared word at all) ...
DENSE_MARGIN = 0.12  # ... this far ahead of the runner-up
DENSE_SUGGEST = 0.50  # cosine to offer a clarification on meaning alone
# a percentage said in so many words (not kinds.asked_kind's "how often" or "how full", which may ask for a count)
_RATE_SAID_BY_NAME = re.compile(r"%|\b(?:percent|percentage|pct|rate|ratio|share)\b|率|占比|比例")
_NEGATING = frozenset({"no", "non", "not", "un", "zero"})  # a name that counts what did not happen: No-shows
_NEGATION_SAID = re.compile(CUE.pattern + r"|(?<![a-z])no(?![a-z])|\bnever\b|\bmiss|\bfail|没|未|不")
# a name that counts what was planned, not what happened (Planned randomizations, Revenue budget) — and the words that
# ask for it
# (a participle: "plan" alone is as often a pricing plan, and Quota attainment or Budget variance are numbers about
# a plan that people ask for without its word)
_PLANNING = frozenset({"planned", "budgeted", "forecasted", "projected"})
_PLANNING_SAID = re.compile(r"\b(?:plan|plans|planned|planning|target|targets|targeted|budget|budgets|budgeted"
                            r"|fore?casts?|fore?casted|projected|projections?|goals?|quotas?|expected|pace)\b"
                            r"|计划|目标|预算|预测|预计|指标")
AGREE_MARGIN = 0.05  # ... or this far, where the words name that metric alone
MAX_OPTIONS = 3
# Words that say what kind of number a metric is, not what it is about.
_GENERIC = frozenset(["time", "rate", "number", "count", "amount", "total", "value", "level", "score", "ratio",
                      "percentage", "share", "sum",
                      # ... and their Chinese (员工人数 shares only 人数 with 报名人数)
                      "人数", "数量", "次数", "个数", "总数", "金额", "总额", "比例", "占比", "比率", "人次"])
# Words of a name that say which kind of number it is (平均 says "average" of every average metric)
_KIND_OF_NUMBER = frozenset({"average", "avg", "mean", "median", "per", "pct", "percent", "qty", "amt", "num"})
# Only grammar is ignored on the catalog side: "total" in "Total customers" distinguishes it from "New customers".
_FUNCTION = frozenset(["a", "an", "the", "of", "for", "in", "on", "at", "by", "to", "per", "and", "or", "with", "from",
                       "&", "vs"])
# A metric named "X per Y" is asked for only with a word that divides: per, each, average, 人均 …
_PER = re.compile(r"\b(?:per|each|every|avg|average|mean|a|an)\b|/|平均|人均|每")
# a verb between two Chinese mentions (the question words are gone by now): the doer, then what is counted —
# 保洁干了多少工时 is the hours, 客户下了多少单 the orders
_VERB_GAP_ZH = re.compile(r"^\s*[\u4e00-\u9fff]{1,2}\s*$")
_BY_GAP = re.compile(r"^\s*by\s+(?:the\s+)?$")
_PREPOSITION = re.compile(r"\b(?:for|of|on|in|from|about|among|across|with)\b|的")
# Two metric mentions are two requested metrics only when joined ("revenue and orders", 收入和订单).
_JOIN = re.compile(r"^\s*(?:,|;|&|/|\+|and|or|plus|as\s+well\s+as|vs\.?|versus|against|compared\s+(?:to|with)"
                   r"|和|与|及|以及|跟|、|，)\s*(?:the\s+|our\s+)?$")

Decision = Literal["query", "clarify", "no_match"]


@dataclass
class MetricChoice:
    decision: Decision
    metrics: list[str] = field(default_factory=list)  # chosen (query) or options (clarify / no_match)
    scores: dict[str, float] = field(default_factory=dict)
    mention_spans: list[tuple[int, int]] = field(default_factory=list)
    reason: str | None = None
    reason_key: str | None = None  # core/present/texts key, so the caller can say it in zh
    reason_text: str = ""
    # the plain metric taken among its variants, none of whose words the question says ("revenue" among Net, Bulk
    # and Packaged gas revenue): the words it left unread may name one of the variants
    plain_of_variants: bool = False


def mentions(hits: list[Hit]) -> list[list[Hit]]:
    """Metric hits grouped by span, in question order."""
    groups: dict[tuple[int, int], list[Hit]] = {}
    for h in hits:
        if h.entry.kind == "metric":
            groups.setdefault(h.span, []).append(h)
    return [groups[k] for k in sorted(groups)]


# (catalog digest, words, text, rendered_too) -> (the segmenter it was read under, the overlap): one question weighs the
# same words against every metric two or three times (fusing, the meaning-alone check, the agreement check)
_OVERLAPS: dict[tuple[str, frozenset[str], str, bool], tuple[object, dict[str, float]]] = {}


def _overlap(catalog: Catalog, words: set[str], text: str = "", counts: dict[str, int] | None = None,
             rendered_too: bool = False) -> dict[str, float]:
    """Share of each metric's best phrase whose content words appear (fuzzily) among `words`.

    Chinese words count when they occur anywhere in `text` (segmentation differs between phrases
    and questions: 客户数 vs 客户总数). `rendered_too`: the glossary's Chinese renderings of the metrics' English
    phrases count as phrases too — only where no metric was named (never to swap a named metric for another)."""
    if counts is not None:
        return _weigh(catalog, words, text, counts, rendered_too)
    key = (catalog.digest, frozenset(words), text, rendered_too)
    segmenter = segmenter_state()[0]  # (Chinese words are found through the installed segmentation)
    cached = _OVERLAPS.get(key)
    if cached is None or cached[0] is not segmenter:
        if len(_OVERLAPS) > 4096:
            _OVERLAPS.clear()
        cached = _OVERLAPS[key] = (segmenter, _weigh(catalog, words, text, None, rendered_too))
    return dict(cached[1])


def _weigh(catalog: Catalog, words: set[str], text: str, counts: dict[str, int] | None,
           rendered_too: bool) -> dict[str, float]:
    chinese = rendered_too and has_cjk(text)
    index = _index(catalog, chinese)
    # a word some metric's name uses is meant as typed ("players" is no typo of "payers" where players are counted)
    vocabulary = _vocabulary(catalog)
    asks_per = bool(_PER.search(text))
    # each of the catalog's words is looked up once per question, not once per phrase that uses it: the words said
    # as they are, and those a long word of the question shortens or misspells
    said = {t for t in index.tokens if t in words or _SHORT.get(t, "\x00") in words
            or (len(t) >= 2 and _chinese(t) and t in text and _in_words(t, text))}
    near: dict[str, list[str]] = {}
    for w in words:
        if len(w) >= 4:
            for t in _tokens_near(index, w, w in vocabulary):
                near.setdefault(t, []).append(w)
    in_chinese = {t for t in index.english if t not in said and _said_in_chinese(t, text)} if chinese else set()
    candidates = {m for t in (*said, *near, *in_chinese) for m in index.by_token[t]}
    candidates.update(m for w in words for m in index.by_joined.get(w, ()))
    out: dict[str, float] = {}
    for m in catalog.supported_metrics():
        best = 0.0
        if m.name not in candidates:  # (no word of its phrases said in any way: it scores nothing)
            out[m.name] = best
            continue
        for _phrase, toks, per, chinese_only in index.phrases[m.name]:
            if not toks or all(t in STOPWORDS for t in toks):
                continue
            if chinese_only and not any(t in text or t in words for t in toks):
                continue  # (most of a catalog's ~1,000 renderings share nothing with the question: exact, and quick)
            if _negating(toks) and "".join(toks) not in words and not _NEGATION_SAID.search(text):
                continue  # "how many people showed up" is no count of No-shows: the name's "no" was never said
            got = 0.0
            specific = False
            kind_said = 0  # words of the name's kind said in Chinese (平均): counted only beside another word said
            for t in toks:
                if t in said:
                    got += 1
                    specific = specific or t not in _GENERIC
                # a word said for one token is not also a typo of another ("late", "rate")
                elif t in near and any(w not in toks for w in near[t]):
                    got += 0.8  # "promo" for "promotion", one typo
                    specific = specific or t not in _GENERIC
                elif t in in_chinese and t not in _GENERIC:
                    # 广告赚了多少钱: "ad" said as 广告 beside "revenue" said by the verb — a name's words in either
                    # language (the whole name's rendering is a phrase of its own below); a word of its kind alone
                    # is no match (平均 says "average" of every average metric: it ties them, it tells none apart)
                    if t in _KIND_OF_NUMBER:
                        kind_said += 1
                    else:
                        got += 1
                        specific = True
            if got:
                got += kind_said
                # a name's "%" is said by a word of a share (率, "rate") beside another of its words
                if "percent" in toks and "percent" not in words and _RATE_SAID.search(text):
                    got += 1
            if len(toks) > 1 and "".join(toks) in words:
                got, specific = len(toks), True  # "chargeoffs", "noshows": the name's words written as one
            if 0 < got <= 1 and not specific:
                got *= 0.5  # only one unit word in common ("time", "rate"): "what time is it" is no metric question
            if per and not asks_per:
                got /= 2  # "revenue from customers" is revenue, not "revenue per customer"
            if got / len(toks) > best:
                best = got / len(toks)
                if counts is not None:
                    counts[m.name] = round(got)
        out[m.name] = best
    return out


@dataclass(frozen=True)
class _Index:
    """A catalog's metric phrases (with their Chinese renderings or not) and where each of their words is used."""
    phrases: dict[str, _Phrases]
    tokens: frozenset[str]  # every word of every phrase
    english: tuple[str, ...]  # ... those not in Chinese (said in a Chinese question by a glossary rendering)
    by_token: dict[str, frozenset[str]]  # word -> the metrics one of whose phrases uses it
    by_joined: dict[str, frozenset[str]]  # a phrase's words written as one ("noshows") -> its metrics
    near: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict, compare=False)


_INDEXES: dict[tuple[str, bool], _Index] = {}


def _index(catalog: Catalog, with_renderings: bool) -> _Index:
    """The catalog's phrase index (once per catalog, with or without the glossary's renderings)."""
    key = (catalog.digest, with_renderings)
    if key not in _INDEXES:
        if len(_INDEXES) > 32:
            _INDEXES.clear()
        rendered = _rendered(catalog) if with_renderings else {}
        phrases = {m.name: _phrase_words(catalog)[m.name] + rendered.get(m.name, ())
                   for m in catalog.supported_metrics()}
        by_token: dict[str, set[str]] = {}
        by_joined: dict[str, set[str]] = {}
        for name, own in phrases.items():
            for _phrase, toks, _per, _zh in own:
                for t in toks:
                    by_token.setdefault(t, set()).add(name)
                if len(toks) > 1:
                    by_joined.setdefault("".join(toks), set()).add(name)
        _INDEXES[key] = _Index(phrases, frozenset(by_token), tuple(t for t in by_token if not has_cjk(t)),
                               {t: frozenset(ms) for t, ms in by_token.items()},
                               {j: frozenset(ms) for j, ms in by_joined.items()})
    return _INDEXES[key]


def _tokens_near(index: _Index, word: str, word_is_a_name: bool) -> tuple[str, ...]:
    """The index's words of four letters or more that `word` shortens or misspells (once per word and catalog)."""
    key = (word, word_is_a_name)
    found = index.near.get(key)
    if found is None:
        if len(index.near) > 8192:
            index.near.clear()
        found = index.near[key] = tuple(t for t in index.tokens if len(t) >= 4 and _near_word(t, word, word_is_a_name))
    return found


# a name's "%" ("On-time completion %") is said by any word of a share
_RATE_SAID = re.compile(r"%|\bpercent|\bpct\b|\brates?\b|\bshare\b|率|比例|占比|比率|百分")


@lru_cache(maxsize=8192)
def _chinese(token: str) -> bool:
    return has_cjk(token)


@lru_cache(maxsize=65536)
def _near_word(token: str, word: str, word_is_a_name: bool) -> bool:
    """`word` (4+ letters) said for a name's `token` (4+ letters): its start ("promo" for "promotion", not a compound
    of it), or one typo away unless it is itself a word of some metric's name."""
    return ((token.startswith(word) and not _compound(token, word))
            or (not word_is_a_name and OSA.distance(token, word) <= 1))


# a second word that only says the kind of number ("downtime", "uptime", "runtime", "headcount")
_KIND_TAILS = frozenset({"time", "rate", "count", "hour", "day", "minute", "level", "score", "share", "volume",
                         "total"})


@lru_cache(maxsize=4096)
def _compound(word: str, start: str) -> bool:
    """`word` is `start` and another English word after it ("callbacks" is call + backs): not a shortening of it, as
    "promo" is of "promotion"."""
    rest = word[len(start) :]
    if singular(rest) in _KIND_TAILS:
        return False  # "down" of "downtime": the time it is down, said by its first word
    return len(rest) >= 3 and (rest in known_words() or singular(rest) in known_words())


@lru_cache(maxsize=4096)
def _said_in_chinese(word: str, text: str) -> bool:
    """An English word of a metric's name said in the Chinese text by one of its glossary renderings (two characters
    or more: a single character is part of other words)."""
    if has_cjk(word):
        return False
    found = [r for r in load_glossary().render(word) if len(r) >= 2 and r in text]
    if not found:
        return False
    return any(_in_words(r, text) for r in found)


@lru_cache(maxsize=4096)
def _words_at(text: str) -> tuple[tuple[int, str], ...]:
    """The segmenter's words of `text`, each with where it starts."""
    out, at = [], 0
    for piece in tokens(text):
        at = text.find(piece, at)
        if at >= 0:
            out.append((at, piece))
            at += len(piece)
    return tuple(out)


def _in_words(chinese: str, text: str) -> bool:
    """`chinese` is said in `text`, not starting inside a word of the dictionary (工单 "ticket" is not said by
    完工|单, "completed" and a measure word; 类工|单 is no word, only the segmenter's guess)."""
    at = text.find(chinese)
    while at >= 0:
        word = next((w for start, w in _words_at(text) if start < at < start + len(w)), None)
        if word is None or not chinese_word(word):  # (the dictionary is read only for a word cut across)
            return True
        at = text.find(chinese, at + 1)
    return False


_Phrases = tuple[tuple[str, tuple[str, ...], bool, bool], ...]
_PHRASE_WORDS: dict[str, dict[str, _Phrases]] = {}


def _phrase_words(catalog: Catalog) -> dict[str, _Phrases]:
    """Metric → its phrases (and their spelled-out forms: "ALOS" is also said "avg length of stay"), each with its
    content words, whether it says "per" ("Rev / account" does), and False (not a Chinese rendering); once per
    catalog: weighed for every metric at every question."""
    if catalog.digest not in _PHRASE_WORDS:
        if len(_PHRASE_WORDS) > 16:
            _PHRASE_WORDS.clear()
        table = {}
        for m in catalog.supported_metrics():
            own = metric_phrases(m)
            own += [e for p in own if (e := spelled_out(p)) != p]
            # ("Missed pickup %" says a percentage: a word of its own, not the count Missed pickups)
            table[m.name] = tuple((phrase, tuple(t for t in tokens(phrase.replace("%", " percent "))
                                                 if t not in _FUNCTION),
                                   "per" in tokens(phrase) or "/" in phrase, False) for phrase in own)
        _PHRASE_WORDS[catalog.digest] = table
    return _PHRASE_WORDS[catalog.digest]


_VOCABULARY: dict[str, frozenset[str]] = {}


def _vocabulary(catalog: Catalog) -> frozenset[str]:
    """The words of every metric's phrases (once per catalog)."""
    if catalog.digest not in _VOCABULARY:
        if len(_VOCABULARY) > 16:
            _VOCABULARY.clear()
        _VOCABULARY[catalog.digest] = frozenset(t for m in catalog.supported_metrics() for p in metric_phrases(m)
                                                for t in tokens(p))
    return _VOCABULARY[catalog.digest]


_RENDERINGS: dict[str, dict[str, _Phrases]] = {}


def _rendered(catalog: Catalog) -> dict[str, _Phrases]:
    """Metric → its English phrases rendered in Chinese by the glossary, each with its words, whether it says "per",
    and whether it scores only by its words said as they are (Chinese words shorter than four characters: no typo
    or shortening of them is weighed) — once per catalog.

    They let part of a Chinese name count as English words do: 销售额 shares 销售额 with 净销售额 as "sales" shares a
    word with "net sales", so an English-only catalog's Chinese question is asked back among the sales metrics
    instead of matching nothing."""
    if catalog.digest not in _RENDERINGS:
        glossary = load_glossary()
        # the catalog's own Chinese keeps the meaning it gave it (as for the lexicon's aliases, zh_aliases)
        own_chinese = "\x1f".join(s for m in catalog.metrics for s in (m.label or "", *m.meta.synonyms) if has_cjk(s))
        found: dict[str, _Phrases] = {}
        for m in catalog.supported_metrics():
            own = [humanise(m.name), m.label or "", *(s for s in m.meta.synonyms if not has_cjk(s))]
            zh = dict.fromkeys(r for phrase in own if phrase for r in glossary.render(phrase) if r not in own_chinese)
            # a single character (分 of 满意度分, 率) is part of a name, never a word of its own: it counts in the
            # phrase's length but is never matched
            for r in zh:
                toks = tuple(t if len(t) >= 2 else f"\x00{t}" for t in tokens(r))
                found.setdefault(m.name, ())
                found[m.name] += ((r, toks, "per" in toks, all(has_cjk(t) and len(t) < 4 for t in toks)),)
        if len(_RENDERINGS) > 16:
            _RENDERINGS.clear()
        _RENDERINGS[catalog.digest] = found
    return _RENDERINGS[catalog.digest]


def _dense01(cos: float) -> float:
    return max(0.0, min(1.0, (cos - DENSE_FLOOR) / (DENSE_FULL - DENSE_FLOOR)))


def _qualifier_unsaid(catalog: Catalog, name: str, dense: dict[str, float], words: set[str]) -> bool:
    """The words' winner narrows what was said by a word of its label not said ("deliveries" against Late
    deliveries) while the sentence model hears another metric closest (Delivered orders): no lead to answer on."""
    metric = catalog.metric(name)
    if metric is None or not dense or max(dense, key=lambda n: dense[n]) == name:
        return False
    label = {singular(t) for t in tokens((metric.label or humanise(name)).lower())} - STOPWORDS
    unsaid = label - {singular(w) for w in words}
    # (only a word that narrows the rows to the bad ones: "late", "failed" — "Gross collections" for "collections"
    # is what was asked)
    return bool(label & words) and any(gone_wrong(w) for w in unsaid)


_HAVE = frozenset({"have", "has", "had"})  # ("how many cancellations did we have": a verb that names nothing)


def _narrowed_unsaid(catalog: Catalog, name: str, words: set[str]) -> bool:
    """Every word said is a word of the winner's label, and the label adds a word that keeps only the rows that went
    wrong ("cancellations" against Late cancellations): the number answers less than was asked."""
    said = {singular(w) for w in words if w not in STOPWORDS and w not in _HAVE}
    label = set(_label_words(catalog, name)) | {singular(t) for t in content_tokens(humanise(name))}
    # (a form of a word said is said: "rejections" says Rejected claims' "rejected")
    unsaid = {w for w in label - said if not any(w[:5] == s[:5] for s in said)}
    return bool(said) and said < label and any(gone_wrong(w) for w in unsaid)


def _label_words(catalog: Catalog, name: str) -> list[str]:
    metric = catalog.metric(name)
    return [singular(t) for t in content_tokens(spelled_out(metric.label or humanise(name))) if t not in STOPWORDS] \
        if metric else []


def _sibling_says_as_much(catalog: Catalog, name: str, words: set[str], others: Sequence[str]) -> bool:
    """The one word said of the winner's label is the head noun its label ends in, and another metric's label ends
    in it too, each adding a word of its own the question never says ("revenue last month" between Platform revenue
    and Service fee revenue): the words cannot tell them apart, and the sentence model's lead between two namesakes
    is no reason to pick one — asked."""
    said = {singular(w) for w in words if w not in STOPWORDS}
    mine = _label_words(catalog, name)
    if len(mine) < 2 or said != {mine[-1]}:  # (the head alone: "avg invoice amount" says more than "invoice")
        return False
    if set(mine) & _DERIVED_KIND:
        return False
    for other in others[:MAX_OPTIONS]:
        theirs = _label_words(catalog, other)
        if len(theirs) >= 2 and theirs[-1] == mine[-1] and not set(theirs[:-1]) & (said | set(mine)) \
                and not set(theirs) & _DERIVED_KIND:  # ("Overtime share of hours" is no namesake of hours)
            return True
    return False


# words that make a name a number derived from another (its share, rate, average, growth), not a namesake of it
_DERIVED_KIND = frozenset({"share", "rate", "ratio", "percent", "percentage", "pct", "per", "average", "avg", "mean",
                           "median", "growth", "change", "mix", "%", "wow", "mom", "yoy", "qoq", "mtd", "ytd", "qtd"})


def dense_heard(dense: dict[str, float], text: str) -> bool:
    """Whether the (English) sentence model's similarities count for this text: not for Chinese alone, nor where
    it relates the text to no metric at all (everyday words it never learned: "how many times did people gripe")."""
    return bool(dense) and not (has_cjk(text) and not re.search(r"[a-z]{3,}", text)) \
        and max(dense.values()) >= DENSE_FLOOR


def _head_named(catalog: Catalog, name: str, text: str) -> bool:
    """Whether the Chinese text says the head noun of the metric's name ("tickets" of Care tickets as 工单) and
    nothing else of substance (设备维修成本 is not Energy cost); a word that only says the kind of number ("rate",
    "time") is no head."""
    metric = catalog.metric(name)
    if metric is None:
        return False
    glossary = load_glossary()
    heads = [toks[-1] for phrase in metric_phrases(metric)[:2]
             if (toks := [t for t in tokens(phrase) if t not in _FUNCTION and t not in STOPWORDS])]
    return any(head not in _GENERIC and any(r in text for r in glossary.render(head)) for head in heads) \
        and not unsaid_words(catalog, name, text)


def unsaid_words(catalog: Catalog, name: str, text: str) -> list[str]:
    """Chinese content words of `text` that no word of the metric's names says (借款人平均年龄: 年龄 is not said by
    Avg loan size) — what an English sentence model would weigh, and Chinese has none to."""
    metric = catalog.metric(name)
    if metric is None:
        return []
    glossary = load_glossary()
    phrases = metric_phrases(metric)
    own = {t for phrase in phrases for t in tokens(phrase)}
    said = {r for phrase in phrases for part in (phrase, *tokens(phrase)) for r in glossary.render(part)}
    said |= {t for t in own if has_cjk(t)}
    rest = list(text)
    for (start, end), nouns in everyday_spans(text):
        if own & set(nouns):  # 发了多少单货: the everyday verb of Shipments says it
            rest[start:end] = " " * (end - start)
    rest = "".join(rest)
    for r in sorted(said, key=len, reverse=True):
        rest = rest.replace(r, " ")
    return [w for w in tokens(rest) if has_cjk(w) and w not in FILLER_ZH and len(w.strip(MEASURE_WORDS)) >= 2]


# Nouns that name what a number is and rarely stand for another quantity: "pharmacy margin" is no Pharmacy revenue,
# "technician salaries" no On-site hours — a metric whose words and description never say it is not what was asked
_QUANTITY_NOUNS = frozenset({"margin", "margins", "profit", "profits", "profitability", "markup", "ebitda", "roi",
                             "salary", "salaries", "wage", "wages", "payroll", "tax", "taxes", "commission",
                             "commissions", "budget", "budgets", "forecast", "capacity", "headcount", "utilization",
                             "utilisation", "retention", "tip", "tips", "cost", "costs", "expense", "expenses",
                             "overtime", "csat", "satisfaction", "score"})


# the same kinds said in Chinese, each with the English words a metric's names would use for it
_QUANTITY_ZH = {"薪": {"salary", "salaries", "wage", "wages", "pay", "payroll", "compensation"},
                "工资": {"salary", "salaries", "wage", "wages", "pay", "payroll", "compensation"},
                "利润": {"profit", "profits", "margin", "income", "earnings"},
                "预算": {"budget", "budgets"}, "税": {"tax", "taxes"}, "佣金": {"commission", "commissions"},
                "提成": {"commission", "commissions"},
                "满意": {"satisfaction", "satisfied", "csat", "nps", "score", "rating", "ratings"},
                "评分": {"rating", "ratings", "score", "scores", "review", "reviews", "stars"},
                "保费": {"premium", "premiums"}, "加班": {"overtime"},
                "箱数": {"case", "cases", "box", "boxes", "carton", "cartons", "crate", "crates"}}


def other_quantity(catalog: Catalog, name: str, words: set[str]) -> bool:
    """`words` name a kind of quantity (margin, salary, budget …) that the metric's names and description never
    say: the question asks for a number the metric is not (律师的平均年薪 is no Average standard rate)."""
    asked = words & _QUANTITY_NOUNS
    said_zh = [kind for zh, kind in _QUANTITY_ZH.items() if any(zh in w for w in words if has_cjk(w))]
    metric = catalog.metric(name)
    if not (asked or said_zh) or metric is None:
        return False
    # (and the words of the model its rows are: "days to correct a payroll error" asks no payroll of Avg days to
    # correct, whose rows are the payroll errors)
    own = {t for p in (*metric_phrases(metric), metric.description or "", model_of(catalog, name) or "")
           for t in tokens(humanise(p).lower())}
    own |= {singular(w) for w in own}
    return bool(asked - own) or any(not kind & own for kind in said_zh)


def fuse(catalog: Catalog, words: set[str], dense: dict[str, float], text: str = "") -> dict[str, float]:
    """Fused 0–1 score per metric: overlap and dense agree → high; either alone → moderate."""
    lex = _overlap(catalog, words, text, rendered_too=True)
    if not dense_heard(dense, text):
        dense = {}  # an English-only model has nothing to say about Chinese: trust the words
    out = {}
    for name, overlap in lex.items():
        d = _dense01(dense.get(name, 0.0)) if dense else overlap
        out[name] = 0.5 * overlap + 0.5 * d if dense else overlap
    return out


def joined_mentions(groups: list[list[Hit]], text: str, catalog: Catalog | None = None) -> list[list[Hit]]:
    """Keep mentions that are separately requested; "time to resolve tickets" is one metric, not two.

    Mentions not joined by a conjunction form a run in which one phrase counts: the head of "X for Y"
    (the first), of 的 (the last: 非全职员工的入职人数 counts hires) or of a Chinese verb (the last, its object:
    保洁干了多少工时 asks the hours), else the metric whose own name holds
    the run's other words ("offer接受率" is the offer acceptance rate), else the longest phrase.
    """
    runs: list[list[list[Hit]]] = []
    headed: dict[int, int] = {}  # run → index of its head mention: "CSAT for chat tickets", 员工的入职人数
    for group in groups:
        gap = text[runs[-1][-1][0].end : group[0].start] if runs else ""
        if runs and not _JOIN.match(gap):
            runs[-1].append(group)
            if "的" in gap or _VERB_GAP_ZH.match(gap) or (_BY_GAP.match(gap) and catalog is not None
                               and names_entity(catalog, runs[-1][-2][0].entry.phrase)):
                # (and "top 5 procedures by <production>": rows of an entity by the last metric, not the first)
                headed[len(runs) - 1] = len(runs[-1]) - 1
            elif _PREPOSITION.search(gap):
                headed.setdefault(len(runs) - 1, 0)
        else:
            runs.append([group])
    return [run[headed[i]] if i in headed else _covering(run, catalog)
            or max(run, key=lambda g: (g[0].end - g[0].start, -g[0].start)) for i, run in enumerate(runs)]


def names_entity(catalog: Catalog, phrase: str) -> bool:
    """The phrase is an entity's name ("procedures"): rows that can be ranked, as well as their count."""
    said = singular(phrase.lower().replace(" ", "_"))
    return any(e.name == said for sm in catalog.semantic_models for e in sm.entities)


def _covering(run: list[list[Hit]], catalog: Catalog | None) -> list[Hit] | None:
    """The one mention of a run whose metric's own words include every other mention's words."""
    if catalog is None or len(run) < 2:
        return None
    found = []
    for group in run:
        metric = catalog.metric(group[0].entry.target)
        if metric is None or len({h.entry.target for h in group}) > 1:
            continue
        own = " ".join(metric_phrases(metric)).lower()
        others = [o[0].entry.phrase.lower() for o in run if o is not group]
        if all(all(t in own or singular_in(t, own) for t in tokens(p) if t not in _FUNCTION) for p in others):
            found.append(group)
    return found[0] if len(found) == 1 else None


def singular_in(token: str, text: str) -> bool:
    """"offers" is in "offer acceptance rate"."""
    return token.endswith("s") and token[:-1] in text


def choose_metrics(catalog: Catalog, hits: list[Hit], words: set[str], dense: dict[str, float],
                   leftover: str, text: str = "") -> MetricChoice:
    """Decide the metric(s). `words` are content tokens not used by time/dimension/value phrases."""
    groups = joined_mentions(mentions(hits), text, catalog) if text else mentions(hits)
    # the sentence model hears "showed up" close to No-shows: a name counting what did not happen needs its "no"
    dense = {n: v for n, v in dense.items() if not _negation_unsaid(catalog, n, leftover)}
    fused = fuse(catalog, words, dense, leftover)
    if groups:
        chosen: list[str] = []
        # every metric mentioned, also the qualifier of a run ("revenue from <new customers>"): none of them is
        # "a more specific metric" the head could silently turn into
        named = {h.entry.target for g in mentions(hits) for h in g}
        for group in groups:
            names = list(dict.fromkeys(h.entry.target for h in group))
            if len(names) == 1:
                near_counts: dict[str, int] = {}
                near = _overlap(catalog, _near(text or leftover, group), text or leftover, near_counts)
                names = [_more_specific(names[0], group, near, near_counts, named)]
                names = [_compound_after(catalog, names[0], group, text or leftover, named) or names[0]]
            if len(names) == 1 and _plan_unsaid(catalog, names[0], text or leftover):
                # "monthly randomizations" with Planned randomizations: the plan answers no question about what
                # happened — asked, with the metrics the words come nearest to
                others = [n for n in sorted(fused, key=lambda n: -fused[n]) if n != names[0]]
                return MetricChoice("clarify", [names[0], *others[: MAX_OPTIONS - 1]], fused,
                                    reason=f"'{group[0].entry.phrase}' could mean several metrics",
                                    reason_key="several_metrics", reason_text=group[0].entry.phrase)
            if len(names) > 1:
                names = told_apart(catalog, names, group[0].entry.phrase, text or leftover)
            if len(names) > 1:
                ranked = sorted(names, key=lambda n: -fused.get(n, 0.0))
                phrase = group[0].entry.phrase
                return MetricChoice("clarify", ranked[:MAX_OPTIONS], fused,
                                    reason=f"'{phrase}' could mean several metrics",
                                    reason_key="several_metrics", reason_text=phrase)
            if names[0] not in chosen:
                chosen.append(names[0])
        return MetricChoice("query", chosen, fused, [g[0].span for g in groups])
    ranked = sorted(fused, key=lambda n: -fused[n])
    if not ranked:
        return MetricChoice("no_match", [], fused, reason="the catalog has no metrics")
    if dense and not any(_overlap(catalog, words, leftover, rendered_too=True).values()):
        return _on_meaning_alone(dense, leftover)
    best = fused[ranked[0]]
    second = fused[ranked[1]] if len(ranked) > 1 else 0.0
    heard = dense_heard(dense, leftover)
    ask_back = heard and best >= ACCEPT and _sibling_says_as_much(catalog, ranked[0], words, ranked[1:])
    # "monthly randomizations" where the words' winner is Planned randomizations: a plan never answers what happened
    # unless asked for — asked back (never another metric put in its place: the plan may be what was meant)
    ask_back = ask_back or _plan_unsaid(catalog, ranked[0], text or leftover)
    # "how many cancellations" where the words' winner is Late cancellations: the late ones are some of them
    ask_back = ask_back or _narrowed_unsaid(catalog, ranked[0], words)
    # words alone (Chinese, which the sentence model cannot read) need a wider lead: 新增会员 shares two of Net adds'
    # three words (净新增会员) and one of New joins' two — no lead to answer on
    if best >= ACCEPT and best - second >= (MARGIN if heard else WORDS_MARGIN) \
            and (heard or not unsaid_words(catalog, ranked[0], leftover)) \
            and not other_quantity(catalog, ranked[0], set(tokens(leftover))) \
            and not (heard and _qualifier_unsaid(catalog, ranked[0], dense, words)) \
            and not ask_back:
        return MetricChoice("query", [ranked[0]], fused)
    if ask_back:
        return MetricChoice("clarify", ranked[:MAX_OPTIONS], fused, reason=f"not sure which metric '{leftover}' means",
                            reason_key="which_metric", reason_text=leftover)
    if heard and _words_and_meaning_agree(catalog, words, dense, leftover):
        return MetricChoice("query", [ranked[0]], fused)
    if not heard and best >= 0.5 and second == 0 and _head_named(catalog, ranked[0], leftover):
        # what the sentence model does for "how many tickets" (Care tickets), for Chinese it cannot read: 工单 names
        # the only metric whose name ends in tickets
        return MetricChoice("query", [ranked[0]], fused)
    options = [n for n in ranked[:MAX_OPTIONS] if fused[n] >= best - 0.2]
    tied = [n for n in options if fused[n] == best]
    if best >= ACCEPT and len(tied) > 1 and len(told := told_apart(catalog, tied, leftover, leftover)) == 1 \
            and (heard or not unsaid_words(catalog, told[0], leftover)):
        return MetricChoice("query", told, fused)  # "chargeoffs": Charge-offs ($) and (#) alike, the name decides
    plain = _per_unsaid_dropped(catalog, options, text or leftover)
    if best >= SUGGEST and len(plain) == 1 < len(options) and fused[plain[0]] == best \
            and (heard or not unsaid_words(catalog, plain[0], leftover)) \
            and not other_quantity(catalog, plain[0], set(tokens(leftover))):
        return MetricChoice("query", plain, fused)  # 柴油用量: Diesel used, not Diesel per ton produced
    if best >= SUGGEST and options:
        return MetricChoice("clarify", options, fused, reason=f"not sure which metric '{leftover}' means",
                            reason_key="which_metric", reason_text=leftover)
    nearest = [n for n in ranked[:MAX_OPTIONS] if fused[n] > 0.05]
    return MetricChoice("no_match", nearest, fused, reason=f"no governed metric matches '{leftover}'",
                        reason_key="no_metric", reason_text=leftover)


_MONTH_TO_DATE = (r"\bmtd\b|\bmonth[- ]to[- ]date\b|\bso\s+far\s+this\s+month\b|\bthis\s+month\s+so\s+far\b"
                  r"|(?:本|这个?|当)月(?:累计|累积|至今|以来|到现在|到目前)")
_YEAR_TO_DATE = (r"\bytd\b|\byear[- ]to[- ]date\b|\bso\s+far\s+this\s+year\b|\bthis\s+year\s+so\s+far\b"
                 r"|(?:今|本|当)年(?:累计|累积|至今|以来|到现在|到目前)|年初至今")
_TO_DATE_GRAIN = {"month": re.compile(_MONTH_TO_DATE), "year": re.compile(_YEAR_TO_DATE),
                  "quarter": re.compile(r"\bqtd\b|\bquarter[- ]to[- ]date\b"
                                        r"|(?:本|这个?|当)季度?(?:累计|累积|至今|以来|到现在)"),
                  "week": re.compile(r"\bwtd\b|\bweek[- ]to[- ]date\b|(?:本|这)周(?:累计|累积|至今|以来|到现在)")}


def running_total_option(catalog: Catalog, choice: MetricChoice, low: str, leftover: str) -> MetricChoice | None:
    """Among the options asked back, the one running total from the start of the period the question says "to
    date" of ("running month-to-date production": Production MTD, not Production WoW %), where no other option runs
    so and nothing else of the question is left (`low` the whole question lower-cased, `leftover` its words no time
    or dimension took); None otherwise."""
    if choice.reason_key not in ("which_metric", "several_metrics") or len(choice.metrics) < 2:
        return None
    grains = [g for g, said in _TO_DATE_GRAIN.items() if said.search(low)]
    running = [n for n in choice.metrics if (m := catalog.metric(n)) is not None and m.type == "cumulative"
               and m.grain_to_date is not None]
    if not running and len(grains) == 1:
        # "revenue MTD" among Service fee revenue, Revenue growth and Revenue per paycheck: the one option with a
        # running month-to-date twin (the same measure and filters), that twin
        running = [t.name for n in choice.metrics
                   if (m := catalog.metric(n)) is not None and (t := running_total_of(catalog, m, grains[0]))]
    if len(grains) != 1 or len(running) != 1 or catalog.metric(running[0]).grain_to_date != grains[0] \
            or unsaid_words(catalog, running[0], leftover):
        return None
    return MetricChoice("query", running, choice.scores, choice.mention_spans)


# "how many different customers", 多少个不同的客户: the things counted once each, not their rows nor their arrivals
_DISTINCT_SAID = re.compile(r"\bhow\s+many\s+(?:\w+\s+)?(?:different|distinct|unique|individual|separate)\b"
                            r"|(?:多少|几)(?:个|位|名|家|条|辆|艘)?不同的?|去重|不重复")


def distinct_count_option(catalog: Catalog, choice: MetricChoice, low: str, leftover: str) -> MetricChoice | None:
    """Among the options asked back, the one that counts distinct things in the period (a count_distinct measure:
    "how many different clients came in" is Clients served, not New clients nor a running Customer base), where the
    question says "different" and nothing else of it is left (`low` the whole question lower-cased, `leftover` its
    words no time or dimension took); None otherwise."""
    if choice.reason_key not in ("which_metric", "several_metrics") or len(choice.metrics) < 2 \
            or not _DISTINCT_SAID.search(low):
        return None
    distinct = [n for n in choice.metrics if (m := catalog.metric(n)) is not None and m.type == "simple"
                and m.measure and (found := catalog.find_measure(m.measure.name)) and found[1].agg == "count_distinct"]
    if len(distinct) != 1 or unsaid_words(catalog, distinct[0], leftover):
        return None
    return MetricChoice("query", distinct, choice.scores, choice.mention_spans)


_PER_SAID = re.compile(r"\b(?:per|each|every|a|an|rate|ratio|average|avg)\b|/|每|均|单|率|比")


def _per_unsaid_dropped(catalog: Catalog, options: list[str], text: str) -> list[str]:
    """The options left once a rate "X per Y" is dropped whose Y a Chinese question never says, where another option
    names X plainly: 柴油用量 is Diesel used, not Diesel per ton produced. Nothing is dropped when the question says
    any rate word at all (每, 均, 率 …)."""
    if not has_cjk(text) or _PER_SAID.search(text.lower()):
        return options  # (English says the plain name alone already: the sentence model hears "diesel" as it is)
    said = {singular(t) for t in tokens(text.lower())}
    glossary = load_glossary()
    kept = []
    for name in options:
        metric = catalog.metric(name)
        label = (metric.label or humanise(name)).lower() if metric else humanise(name)
        head, per, tail = label.partition(" per ")
        words = [t for t in tokens(tail) if t not in STOPWORDS and not t.isdigit()]
        if per and words and not any(singular(t) in said or any(r in text for r in glossary.render(t))
                                     for t in words):
            heads = {singular(t) for t in tokens(head)} - STOPWORDS
            if any(_plainly(catalog, o, heads, said, text) for o in options if o != name):
                continue  # the plain sibling answers
        kept.append(name)
    return kept


# words a plain metric's name adds to the thing it counts that say no more than "how much of it" (Diesel used)
_AMOUNT_WORDS = frozenset({"used", "consumed", "total", "count", "number", "amount", "quantity", "volume", "spent"})


def _plainly(catalog: Catalog, name: str, heads: set[str], said: set[str], text: str) -> bool:
    """`name` names the things `heads` say plainly: its name (the unit in parentheses aside) holds every head word,
    and its other words only say how much (used, total) or are said by the question — Freight cost is not "cost"
    plainly (成本 says no freight), Diesel used (gallons) is "diesel" plainly."""
    metric = catalog.metric(name)
    if metric is None:
        return False
    label = re.sub(r"\([^)]*\)", " ", (metric.label or humanise(name)).lower())
    words = {singular(t) for t in tokens(label)} - STOPWORDS
    glossary = load_glossary()
    return heads <= words and all(w in _AMOUNT_WORDS or w in said or any(r in text for r in glossary.render(w))
                                  for w in words - heads)


def _negating(toks: tuple[str, ...] | list[str]) -> bool:
    return len(toks) > 1 and toks[0] in _NEGATING


def _plan_unsaid(catalog: Catalog, name: str, text: str) -> bool:
    """Every name of the metric is a plan, target, budget or forecast (Planned randomizations) and the text asks for
    none: what was planned never answers what happened."""
    metric = catalog.metric(name)
    if metric is None or _PLANNING_SAID.search(text):
        return False
    phrases = [set(tokens(p.lower())) for p in metric_phrases(metric)]
    return bool(phrases) and all(t & _PLANNING for t in phrases if t)


def _negation_unsaid(catalog: Catalog, name: str, text: str) -> bool:
    """Every name of the metric counts what did not happen (No-shows, Non-revenue water) and the English text says
    no negation at all."""
    metric = catalog.metric(name)
    if metric is None or has_cjk(text) or _NEGATION_SAID.search(text):
        return False
    phrases = [tokens(p.lower()) for p in metric_phrases(metric)]
    return bool(phrases) and all(_negating(t) for t in phrases if t) and not any("".join(t) in text for t in phrases)


def _words_and_meaning_agree(catalog: Catalog, words: set[str], dense: dict[str, float], leftover: str) -> bool:
    """The words name every word of one metric and of no other, and the sentence model, though it relates the
    question weakly to everything ("how often did people moan about us": complaints by an everyday verb), puts that
    same metric clearly first."""
    lex = _overlap(catalog, words, leftover, rendered_too=True)
    by_words = sorted(lex, key=lambda n: -lex[n])
    by_meaning = sorted(dense, key=lambda n: -dense[n])
    if not by_words or not by_meaning or lex[by_words[0]] < 1.0 or by_meaning[0] != by_words[0]:
        return False
    second_words = lex[by_words[1]] if len(by_words) > 1 else 0.0
    second_meaning = dense[by_meaning[1]] if len(by_meaning) > 1 else 0.0
    return second_words <= 0.25 and dense[by_meaning[0]] - second_meaning >= AGREE_MARGIN \
        and not other_quantity(catalog, by_words[0], set(tokens(leftover)))


def told_apart(catalog: Catalog, names: list[str], phrase: str, text: str) -> list[str]:
    """Metrics one phrase names equally ("Charge-offs ($)" and "Charge-offs (#)"), told apart by what the question
    asks — how many (the counts) or how much (the money) — then by the one whose own name the phrase is."""
    metrics = [m for m in map(catalog.metric, names) if m is not None]
    if _RATE_SAID_BY_NAME.search(text):  # "NRW %": the share, not Non-revenue water in kgal
        metrics = [m for m in metrics if m.meta.format.kind == "percent"] or metrics
    if asks_count(text) and not asks_amount(text):
        # (a running count is a count too: "how many donors are registered" may be Registered donors, all to date)
        metrics = [m for m in metrics if is_count(catalog, m) or _running_count(catalog, m)] or metrics
    elif asks_amount(text) and not asks_count(text):
        metrics = [m for m in metrics if m.meta.format.kind == "currency"] or metrics
    said = "".join(tokens(phrase))
    own = [m.name for m in metrics if said and "".join(tokens(humanise(m.name))) == said]
    return own if len(own) == 1 else [m.name for m in metrics]


def _running_count(catalog: Catalog, metric: Metric) -> bool:
    """A cumulative metric over a count of all rows to date (Registered donors: every donor registered so far; not a
    rolling window's nor a period-to-date one's)."""
    found = catalog.find_measure(metric.measure.name) if metric.type == "cumulative" and metric.measure \
        and metric.window is None and metric.grain_to_date is None else None
    return bool(found and found[1].agg in ("count", "count_distinct"))


def _near(text: str, group: list[Hit], reach: int = 2) -> set[str]:
    """Meaningful words within `reach` words either side of a mention (a negated word is none: "orders excluding
    cancelled" are never the Cancelled orders)."""
    text = _NEGATED_WORD.sub(lambda m: " " * len(m.group(0)), text)
    # blanked words (a value, a period) end the neighbourhood: "revenue from <value> customers"
    before = text[: group[0].start].rsplit("   ", 1)[-1]
    after = text[group[0].end :].split("   ", 1)[0]
    after = _BREAKDOWN_AFTER.split(after, 1)[0]  # "visits by member": the rows asked for, not the visiting members
    if re.search(r"'s?\s*$", before):
        before = ""  # "Premium members' visits": whose visits, not the visiting members
    # an everyday phrasing right before the mention says its nouns too: "paying per <install>" is a cost per install
    # (past the little words between: "ghosted <their> appointments", "flaked on <their> reservations")
    verb_end = len(_LITTLE_TAIL.sub("", before.rstrip()))
    said = {w for (s, e), words in everyday_spans(before) if e >= verb_end - 1 for w in words}
    # ... and one right after it, past the little words: "quotes did we <bind>" says Bound quotes
    said |= {w for (s, e), words in everyday_spans(after) if not _LITTLE_GAP.sub("", after[:s]).strip()
             for w in words}
    before, after = list(meaning_tokens(before))[-reach:], list(meaning_tokens(after))[:reach]
    return set(before + after + list(meaning_tokens(text[group[0].start : group[0].end]))) | said


_LITTLE_GAP = re.compile(r"\b(?:did|do|does|have|has|had|were|was|are|is|we|you|they|i|get|got)\b")
_LITTLE_TAIL = re.compile(r"(?:\s+(?:their|the|our|its|his|her|on|for|to|of|a|an|with|at|in|up))+$")
# the short forms of a name's words people type ("avg length of stay" is Average length of stay), both ways
_SHORT = {"average": "avg", "avg": "average", "quantity": "qty", "qty": "quantity", "amount": "amt", "amt": "amount",
          "percent": "pct", "pct": "percent", "revenue": "rev", "rev": "revenue", "number": "num", "num": "number",
          "application": "app"}  # "apps came in" are loan applications where the catalog counts applications
_BREAKDOWN_AFTER = re.compile(r"\b(?:by|per|each|across)\b|按|各")
_NEGATED_WORD = re.compile(r"(?:" + CUE.pattern + r")[\s.-]*(?:the\s+|any\s+)?(?:[a-z][a-z'-]*|[\u3400-\u9fff]+)")


def _more_specific(name: str, group: list[Hit], lex: dict[str, float], counts: dict[str, int], named: set[str]) -> str:
    """A metric (not itself mentioned) whose name covers the mention and more of the question:
    "time to settle a claim" is avg_time_to_settle_claim, not claims."""
    size = len(group[0].entry.phrase.split())
    better = [n for n, v in lex.items()
              if n not in named and v >= 0.75 and counts.get(n, 0) > max(size, counts.get(name, 0))]
    return max(better, key=lambda n: (counts[n], lex[n])) if better else name


def _compound_after(catalog: Catalog, name: str, group: list[Hit], text: str, named: set[str]) -> str | None:
    """Chinese names a thing by its kind before it: 爆管维修费用 is the repair cost of main breaks, Break repair cost —
    the one metric (not itself mentioned) sharing a word with the mentioned one whose other words are all said in
    the Chinese run right after the mention."""
    run = re.match(r"[\u3400-\u9fff]{2,}", text[group[0].end :])
    metric = catalog.metric(name)
    if run is None or metric is None:
        return None
    mine = {singular(t) for p in metric_phrases(metric) for t in tokens(p.lower())} - _FUNCTION - STOPWORDS
    found = []
    for other in catalog.supported_metrics():
        if other.name == name or other.name in named:
            continue
        for phrase in metric_phrases(other)[:2]:
            words = [t for t in tokens(phrase.lower()) if t not in _FUNCTION and t not in STOPWORDS]
            shared = [t for t in words if singular(t) in mine]
            rest = [t for t in words if singular(t) not in mine]
            if shared and rest and all(_said_in_chinese(t, run.group(0)) for t in rest):
                found.append(other.name)
                break
    return found[0] if len(found) == 1 else None


def _on_meaning_alone(dense: dict[str, float], leftover: str) -> MetricChoice:
    """No word in common with any metric: answer only on a clear semantic winner."""
    ranked = sorted(dense, key=lambda n: -dense[n])
    best = dense[ranked[0]]
    second = dense[ranked[1]] if len(ranked) > 1 else 0.0
    if best >= DENSE_ACCEPT and best - second >= DENSE_MARGIN:
        return MetricChoice("query", [ranked[0]], dense)
    if best >= DENSE_SUGGEST:
        options = [n for n in ranked[:MAX_OPTIONS] if dense[n] >= best - 0.08]
        return MetricChoice("clarify", options, dense, reason=f"not sure which metric '{leftover}' means",
                            reason_key="which_metric", reason_text=leftover)
    return MetricChoice("no_match", ranked[:MAX_OPTIONS], dense, reason=f"no governed metric matches '{leftover}'",
                        reason_key="no_metric", reason_text=leftover)


_HOW_OFTEN = re.compile(r"\bhow\s+many\s+times\b|多少次|几次")


def _variant_worded(catalog: Catalog, plain: str, options: list[str], text: str) -> bool:
    """... unless the question says a word that a variant's names or description say and the plain metric's never
    do: "how much did the one-off jobs bring in" is Extra work revenue ("revenue from one-off jobs …"), never all of
    Billed revenue."""
    def words(name: str) -> set[str]:
        metric = catalog.metric(name)
        return {singular(t) for p in (*metric_phrases(metric), metric.description or "") for t in tokens(p.lower())} \
            if metric is not None else set()

    def divisors(name: str) -> set[str]:  # "bikes" moved is no Rebalancing cost per bike: a ratio is asked by "per"
        metric = catalog.metric(name)
        return {singular(m.group(1)) for p in metric_phrases(metric)
                for m in re.finditer(r"\bper\s+(\w+)", p.lower())} if metric is not None else set()

    said = {singular(t) for t in meaning_tokens(text) if len(t) >= 3 and t not in STOPWORDS}
    # ("how many cancellations" among Appointments and Late cancellations: a word keeping only the rows that went
    # wrong is never answered by all of them, whatever the plain metric's description mentions)
    plain_metric = catalog.metric(plain)
    named = {singular(t) for p in metric_phrases(plain_metric) for t in tokens(p.lower())} if plain_metric else set()
    if any(gone_wrong(w) for w in said - named):
        return True
    said -= words(plain)
    return any(said & (words(n) - divisors(n)) for n in options if n != plain)


def count_or_amount(catalog: Catalog, choice: MetricChoice, low: str, leftover: str) -> MetricChoice | None:
    """Options that are the same rows counted and summed (Loans disbursed, Disbursed amount): 放了多少笔 and "how
    many" take the count, 多少钱 and "how much" the money — as long as nothing else of the question (`low`, the
    whole of it lower-cased; `leftover`, its words no time or dimension took) is left."""
    if choice.reason_key not in ("which_metric", "several_metrics") or len(choice.metrics) < 2 \
            or _HOW_OFTEN.search(low):
        return None  # ("how many times", 几次: occurrences, which the options may not count)
    if len({model_of(catalog, n) for n in choice.metrics}) > 1:
        return None  # not the same rows: "customers churned" is neither New customers nor Customers interrupted
    told = told_apart(catalog, choice.metrics, "", low)
    if len(told) > 1 and len(told) < len(choice.metrics):
        plain = plain_among(catalog, told)  # the money, not its MTD twin ...
        told = [plain] if plain and not _variant_worded(catalog, plain, told, leftover) else told
    if len(told) != 1 or unsaid_words(catalog, told[0], leftover):
        return None
    return MetricChoice("query", told, choice.scores, choice.mention_spans)

