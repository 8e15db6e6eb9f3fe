"""Dense similarity between a question and each metric's texts. Pure (numpy only).

The embedder is injected (adapters/embeddings.py in production, a fake in tests): the core never
imports torch. Each metric contributes several texts (name, label, description, synonyms); a
metric's score is the best cosine over its texts. English-only models give Chinese text little
signal, which is why lexical matching is fused on top (understand/metrics.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from metricloop.core.catalog.model import Catalog
from metricloop.core.text import has_cjk, humanise


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (rows)."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_corpus(self, texts: Sequence[str], key: str) -> np.ndarray: ...


def metric_texts(catalog: Catalog) -> list[tuple[str, str]]:
    """(metric name, text) pairs describing each supported metric, Latin script only."""
    out: list[tuple[str, str]] = []
    for m in catalog.supported_metrics():
        texts = [humanise(m.name), m.label or "", m.description or "", *m.meta.synonyms]
        if m.label and m.description:
            texts.append(f"{m.label}: {m.description}")
        for t in dict.fromkeys(t.strip() for t in texts):
            if t and not has_cjk(t):  # Chinese synonyms are matched lexically
                out.append((m.name, t))
    return out


class MetricVectors:
    """Metric text embeddings (computed on the first score asked for) and a scorer for questions.

    Nothing is embedded until `scores` is called: a question the lexical matcher decides alone never
    needs the vectors, so a lazy embedder is never loaded for it.
    """

    def __init__(self, catalog: Catalog, embedder: Embedder) -> None:
        pairs = metric_texts(catalog)
        self._embedder = embedder
        self._texts = [t for _, t in pairs]
        self._key = catalog.digest
        self._names = [n for n, _ in pairs]
        self._metrics = list(dict.fromkeys(self._names))
        self._matrix: np.ndarray | None = None
        self._owner = np.array([self._metrics.index(n) for n in self._names]) if pairs else None

    def matrix(self) -> np.ndarray | None:
        """The metric texts' vectors (one row per text), embedded or read from the cache on first use."""
        if self._matrix is None and self._texts:
            self._matrix = self._embedder.embed_corpus(self._texts, key=self._key)
        return self._matrix

    def scores(self, question: str) -> dict[str, float]:
        """Best cosine per metric for the question (empty when nothing to compare)."""
        if not self._texts or not question.strip():
            return {}
        matrix = self.matrix()
        q = self._embedder.embed([question])[0]
        sims = matrix @ q
        best = np.full(len(self._metrics), -1.0)
        np.maximum.at(best, self._owner, sims)
        return {name: float(best[i]) for i, name in enumerate(self._metrics)}
