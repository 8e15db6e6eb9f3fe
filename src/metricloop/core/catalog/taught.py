"""Words owners taught metricloop: a phrase their people use for a metric, kept in the store and laid over the
catalog's own synonyms.

A catalog written in English rarely has the words its users type in chat (落槌额, "the hammer", 跑工资), and no
general glossary knows every trade's. When a question comes back "I could not place …", the metric's owner
teaches the phrase once (`/metrics teach 落槌额 = Hammer total`, or `metricloop words teach`); from then on the
phrase names that metric like a synonym written in its YAML. The YAML stays the governed source: a taught word
is an overlay, versioned and announced like a definition change (its metric's `meta.synonyms` moves), and can
be forgotten again.

Pure: no store, Slack or file access here; callers pass the words read from the store.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from metricloop.core.catalog.model import Catalog, Metric

MAX_PHRASE_CHARS = 40
# a phrase must say something: a letter of some script (Latin, CJK …), not only digits and punctuation
_WORDY = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class TaughtWord:
    """One phrase taught for one metric, by whom and when (an ISO timestamp)."""

    phrase: str
    metric: str
    taught_by: str = ""
    at: str = ""


@dataclass(frozen=True)
class TeachProblem:
    """Why a phrase cannot be taught: a texts.py key and its arguments."""

    key: str
    args: dict[str, str]


def clean_phrase(text: str) -> str:
    """The phrase as stored: quotes and surrounding spaces dropped, inner spaces collapsed."""
    return re.sub(r"\s+", " ", text.strip().strip("\"'`“”‘’「」")).strip()


def same_phrase(a: str, b: str) -> bool:
    """Whether two phrases are the same words (case and spacing aside)."""
    return clean_phrase(a).casefold() == clean_phrase(b).casefold()


def _said_for(metric: Metric) -> list[str]:
    return [metric.name, metric.name.replace("_", " "), metric.display_name, *metric.meta.synonyms]


def teach_problem(catalog: Catalog, phrase: str, metric: Metric) -> TeachProblem | None:
    """Why `phrase` cannot name `metric` (None: it can).

    It must be a short phrase with a word in it (two letters or characters at least), and not already name
    ANOTHER metric (its name, label or a synonym): one phrase, one metric, or the catalog would contradict itself.
    A phrase the metric already has is no problem (teaching it again changes nothing)."""
    cleaned = clean_phrase(phrase)
    if len(_WORDY.findall(cleaned)) < 2:  # one character would be found inside every other word (Chinese: 看, 单)
        return TeachProblem("teach_no_words", {})
    if len(cleaned) > MAX_PHRASE_CHARS:
        return TeachProblem("teach_too_long", {"limit": str(MAX_PHRASE_CHARS)})
    for other in catalog.metrics:
        if other.name != metric.name and any(same_phrase(cleaned, said) for said in _said_for(other)):
            return TeachProblem("teach_taken", {"phrase": cleaned, "metric": other.display_name})
    return None


def already_said(metric: Metric, phrase: str) -> bool:
    """Whether `phrase` already names `metric` (its name, label or one of its synonyms)."""
    return any(same_phrase(phrase, said) for said in _said_for(metric))


def taught_words_key(words: Iterable[TaughtWord]) -> str:
    """A short key for a set of taught words ("" for none), to tell cached builds of the catalog apart."""
    pairs = sorted((clean_phrase(w.phrase), w.metric) for w in words)
    return "" if not pairs else ":" + hashlib.sha256(repr(pairs).encode()).hexdigest()[:12]


def with_taught_words(catalog: Catalog, words: Iterable[TaughtWord]) -> Catalog:
    """The catalog with each taught phrase added to its metric's synonyms (a word for a metric the catalog no
    longer has, or one another metric has since been given in YAML, is left out: the YAML wins)."""
    extra: dict[str, list[str]] = {}
    for word in words:
        metric = catalog.metric(word.metric)
        if metric is None or already_said(metric, word.phrase) or teach_problem(catalog, word.phrase, metric):
            continue
        extra.setdefault(metric.name, []).append(clean_phrase(word.phrase))
    if not extra:
        return catalog
    metrics = tuple(_with_synonyms(m, extra[m.name]) if m.name in extra else m for m in catalog.metrics)
    return catalog.with_metrics(metrics)


def _with_synonyms(metric: Metric, phrases: list[str]) -> Metric:
    synonyms = tuple(dict.fromkeys((*metric.meta.synonyms, *phrases)))
    return metric.model_copy(update={"meta": metric.meta.model_copy(update={"synonyms": synonyms})})
