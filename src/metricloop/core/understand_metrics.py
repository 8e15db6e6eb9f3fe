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

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from metricloop.core.catalog import Catalog
from metricloop.core.text import STOPWORDS, content_tokens, humanise
from metricloop.core.understand_lexicon import Hit

# Calibration (cosine of all-MiniLM-L6-v2; a fake embedder in unit tests gives similar ranges).
DENSE_FLOOR = 0.20  # below: no semantic relation
DENSE_FULL = 0.65  # at or above: as good as a lexical match
ACCEPT = 0.62  # fused score to answer without a lexical mention
MARGIN = 0.12  # ... and this far ahead of the runner-up
SUGGEST = 0.30  # fused score to offer as a clarification option
MAX_OPTIONS = 3

Decision = Literal["query", "clarify", "no_match"]


@dataclass
class MetricChoice:
    decision: Decision
    metrics: list[str] = field(default_factory=list)  # chosen (query) or options (clarify / no_match)
    scores: dict[str, float] = field(default_factory=dict)
    mention_spans: list[tuple[int, int]] = field(default_factory=list)
    reason: str | None = None


def mentions(hits: list[Hit]) -> list[list[Hit]]:
    """Metric hits grouped by span, in question order."""
    groups: dict[tuple[int, int], list[Hit]] = {}
    for h in hits:
        if h.entry.kind == "metric":
            groups.setdefault(h.span, []).append(h)
    return [groups[k] for k in sorted(groups)]


def _overlap(catalog: Catalog, words: set[str]) -> dict[str, float]:
    """Share of each metric's best phrase whose content words appear (fuzzily) among `words`."""
    out: dict[str, float] = {}
    for m in catalog.supported_metrics():
        best = 0.0
        for phrase in (humanise(m.name), m.label or "", *m.meta.synonyms):
            toks = [t for t in content_tokens(phrase) if t not in STOPWORDS]
            if not toks:
                continue
            got = 0.0
            for t in toks:
                if t in words:
                    got += 1
                elif len(t) >= 4:
                    close = max((fuzz.ratio(t, w) for w in words if len(w) >= 3), default=0)
                    got += 0.8 if close >= 85 else 0
            best = max(best, got / len(toks))
        out[m.name] = best
    return out


def _dense01(cos: float) -> float:
    return max(0.0, min(1.0, (cos - DENSE_FLOOR) / (DENSE_FULL - DENSE_FLOOR)))


def fuse(catalog: Catalog, words: set[str], dense: dict[str, float]) -> dict[str, float]:
    """Fused 0–1 score per metric: overlap and dense agree → high; either alone → moderate."""
    lex = _overlap(catalog, words)
    out = {}
    for name, overlap in lex.items():
        d = _dense01(dense.get(name, 0.0)) if dense else overlap
        out[name] = 0.5 * overlap + 0.5 * d if dense else overlap
    return out


def choose_metrics(catalog: Catalog, hits: list[Hit], words: set[str], dense: dict[str, float],
                   leftover: str) -> MetricChoice:
    """Decide the metric(s). `words` are content tokens not used by time/dimension/value phrases."""
    groups = mentions(hits)
    fused = fuse(catalog, words, dense)
    if groups:
        chosen: list[str] = []
        for group in groups:
            names = list(dict.fromkeys(h.entry.target for h in group))
            if len(names) > 1:
                ranked = sorted(names, key=lambda n: -fused.get(n, 0.0))
                phrase = group[0].entry.phrase
                return MetricChoice("clarify", ranked[:MAX_OPTIONS], fused,
                                    reason=f"'{phrase}' could mean several metrics")
            if names[0] not in chosen:
                chosen.append(names[0])
        return MetricChoice("query", chosen, fused, [g[0].span for g in groups])
    ranked = sorted(fused, key=lambda n: -fused[n])
    if not ranked:
        return MetricChoice("no_match", [], fused, reason="the catalog has no metrics")
    best = fused[ranked[0]]
    second = fused[ranked[1]] if len(ranked) > 1 else 0.0
    if best >= ACCEPT and best - second >= MARGIN:
        return MetricChoice("query", [ranked[0]], fused)
    options = [n for n in ranked[:MAX_OPTIONS] if fused[n] >= SUGGEST]
    if best >= SUGGEST + 0.1 and options:
        return MetricChoice("clarify", options, fused, reason=f"not sure which metric '{leftover}' means")
    nearest = [n for n in ranked[:MAX_OPTIONS] if fused[n] > 0.05]
    return MetricChoice("no_match", nearest, fused, reason=f"no governed metric matches '{leftover}'")
