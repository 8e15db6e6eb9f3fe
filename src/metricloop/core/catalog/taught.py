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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from metricloop.core.catalog.model import Catalog, Dimension, Metric
from metricloop.core.text import CJK_RUN, STOPWORDS, has_cjk

MAX_PHRASE_CHARS = 40
# a phrase must say something: a letter of some script (Latin, CJK …), not only digits and punctuation
_WORDY = re.compile(r"[^\W\d_]")
# Chinese characters that are grammar, not names (只看 "only look", 和, 的 …), besides core/text's STOPWORDS
_FUNCTION_ZH = frozenset("只看的了吗呢是给请算也都就还和跟与及或在从把被对向这那些个每各")
_CJK_STOPWORDS = sorted((w for w in STOPWORDS if has_cjk(w)), key=len, reverse=True)


@dataclass(frozen=True)
class TaughtWord:
    """One phrase taught, by whom and when (an ISO timestamp), for a metric (`metric`), a dimension (`dimension`,
    its name in every semantic model that has it) or a value of one (`dimension` and `value`, as spelled in the
    data)."""

    phrase: str
    metric: str = ""
    taught_by: str = ""
    at: str = ""
    dimension: str | None = None
    value: str | None = None

    @property
    def kind(self) -> str:
        """"metric", "dimension" or "value"."""
        return "value" if self.value is not None else "dimension" if self.dimension else "metric"

    @property
    def target(self) -> str:
        """What the phrase names, as people read it: the metric, the dimension, or "dimension: value"."""
        return f"{self.dimension}: {self.value}" if self.kind == "value" else self.dimension or self.metric


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


def _form_problem(cleaned: str) -> TeachProblem | None:
    """A phrase too short, too long or made only of words every question uses ("and", 只看): found inside other
    questions, it would name the metric (or value) in all of them."""
    if len(_WORDY.findall(cleaned)) < 2:  # one character would be found inside every other word (Chinese: 看, 单)
        return TeachProblem("teach_no_words", {})
    if len(cleaned) > MAX_PHRASE_CHARS:
        return TeachProblem("teach_too_long", {"limit": str(MAX_PHRASE_CHARS)})
    rest = "".join(CJK_RUN.findall(cleaned))
    for word in _CJK_STOPWORDS:
        rest = rest.replace(word, "")
    if not [c for c in rest if c not in _FUNCTION_ZH] and all(
            w in STOPWORDS for w in re.findall(r"[a-z0-9']+", cleaned.lower())):
        return TeachProblem("teach_filler", {})
    return None


def _said_for(metric: Metric) -> list[str]:
    return [metric.name, metric.name.replace("_", " "), metric.display_name, *metric.meta.synonyms]


def _taken_by_metric(catalog: Catalog, cleaned: str, mine: str = "") -> TeachProblem | None:
    """The phrase names a metric other than `mine` (its name, label or a synonym)."""
    for other in catalog.metrics:
        if other.name != mine and any(same_phrase(cleaned, said) for said in _said_for(other)):
            return TeachProblem("teach_taken", {"phrase": cleaned, "metric": other.display_name})
    return None


def _said_for_dimension(dim: Dimension) -> list[str]:
    return [dim.name, dim.name.replace("_", " "), dim.label or "", *dim.synonyms]


def _dimensions(catalog: Catalog, name: str) -> list[Dimension]:
    return [d for sm in catalog.semantic_models for d in sm.dimensions if d.name == name]


def condition_problem(catalog: Catalog, phrase: str, dimension: str, value: str | None = None) -> TeachProblem | None:
    """Why `phrase` cannot name the dimension (or its `value`): the rules of `teach_problem`, with the phrase not
    a metric's words, nor another dimension's, nor another value's synonym."""
    cleaned = clean_phrase(phrase)
    problem = _form_problem(cleaned) or _taken_by_metric(catalog, cleaned)
    if problem is not None:
        return problem
    for sm in catalog.semantic_models:
        for dim in sm.dimensions:
            if dim.name != dimension and any(same_phrase(cleaned, said) for said in _said_for_dimension(dim) if said):
                return TeachProblem("teach_taken", {"phrase": cleaned, "metric": dim.label or dim.name})
            for val, synonyms in dim.value_synonyms.items():
                if (dim.name, val) != (dimension, value) and any(same_phrase(cleaned, w) for w in (val, *synonyms)):
                    return TeachProblem("teach_taken", {"phrase": cleaned, "metric": f"{dim.name}: {val}"})
    return None


def teach_problem(catalog: Catalog, phrase: str, metric: Metric) -> TeachProblem | None:
    """Why `phrase` cannot name `metric` (None: it can).

    It must be a short phrase with a word in it (two letters or characters at least), and not already name
    ANOTHER metric (its name, label or a synonym): one phrase, one metric, or the catalog would contradict itself.
    A phrase the metric already has is no problem (teaching it again changes nothing)."""
    cleaned = clean_phrase(phrase)
    return _form_problem(cleaned) or _taken_by_metric(catalog, cleaned, metric.name)


def already_said(metric: Metric, phrase: str) -> bool:
    """Whether `phrase` already names `metric` (its name, label or one of its synonyms)."""
    return any(same_phrase(phrase, said) for said in _said_for(metric))


def find_condition(catalog: Catalog, text: str, values: Mapping[tuple[str, str], Sequence[str]]
                   ) -> tuple[str, str | None] | None:
    """What `text` names among the catalog's dimensions: (dimension, None) for a dimension (its name or label),
    (dimension, value) for a value ("channel: Online", or "Online" when one dimension has it — spelled as in the
    data); None when it names neither, or a value several dimensions have (write "dimension: value")."""
    wanted = text.strip().strip("`").casefold()
    dims = {d.name: d for sm in catalog.semantic_models for d in sm.dimensions if d.type == "categorical"}
    for dim in dims.values():
        if wanted in (dim.name.casefold(), dim.name.replace("_", " ").casefold(), (dim.label or "").casefold()):
            return dim.name, None
    named, _, value = text.partition(":")
    only = None
    if value.strip():
        found = find_condition(catalog, named, {})
        only, wanted = (found[0] if found else "\0"), value.strip().casefold()
    hits = {(dim, v) for (_, dim), vs in values.items() for v in vs
            if str(v).casefold() == wanted and dim in dims and only in (None, dim)}
    return next(iter(hits)) if len({dim for dim, _ in hits}) == 1 else None


def taught_words_key(words: Iterable[TaughtWord]) -> str:
    """A short key for a set of taught words ("" for none), to tell cached builds of the catalog apart."""
    pairs = sorted((clean_phrase(w.phrase), w.metric, w.dimension or "", w.value or "") for w in words)
    return "" if not pairs else ":" + hashlib.sha256(repr(pairs).encode()).hexdigest()[:12]


def with_taught_words(catalog: Catalog, words: Iterable[TaughtWord]) -> Catalog:
    """The catalog with each taught phrase added to its metric's synonyms (a word for a metric the catalog no
    longer has, or one another metric has since been given in YAML, is left out: the YAML wins)."""
    words = list(words)
    extra: dict[str, list[str]] = {}
    for word in words:
        metric = catalog.metric(word.metric) if word.kind == "metric" else None
        if metric is None or already_said(metric, word.phrase) or teach_problem(catalog, word.phrase, metric):
            continue
        extra.setdefault(metric.name, []).append(clean_phrase(word.phrase))
    conditions = [w for w in words if w.kind != "metric" and _dimensions(catalog, w.dimension or "")
                  and condition_problem(catalog, w.phrase, w.dimension or "", w.value) is None]
    if not extra and not conditions:
        return catalog
    metrics = tuple(_with_synonyms(m, extra[m.name]) if m.name in extra else m for m in catalog.metrics)
    models = tuple(sm.model_copy(update={"dimensions": tuple(_with_condition_words(d, conditions)
                                                             for d in sm.dimensions)})
                   for sm in catalog.semantic_models)
    return catalog.with_metrics(metrics, semantic_models=models)


def _with_condition_words(dim: Dimension, words: list[TaughtWord]) -> Dimension:
    mine = [w for w in words if w.dimension == dim.name]
    if not mine:
        return dim
    synonyms = tuple(dict.fromkeys((*dim.synonyms, *(clean_phrase(w.phrase) for w in mine if w.kind == "dimension"))))
    values = {k: tuple(v) for k, v in dim.value_synonyms.items()}
    for word in mine:
        if word.kind == "value" and word.value is not None:
            values[word.value] = tuple(dict.fromkeys((*values.get(word.value, ()), clean_phrase(word.phrase))))
    return dim.model_copy(update={"synonyms": synonyms, "value_synonyms": values})


def _with_synonyms(metric: Metric, phrases: list[str]) -> Metric:
    synonyms = tuple(dict.fromkeys((*metric.meta.synonyms, *phrases)))
    return metric.model_copy(update={"meta": metric.meta.model_copy(update={"synonyms": synonyms})})
