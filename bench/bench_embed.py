"""Embedding a catalog's texts with the bundled model: the numpy runtime against sentence-transformers (not pytest).

    .venv/bin/python bench/bench_embed.py [--repeat 3] [--catalogs 8]

A catalog's texts (metric names, labels, synonyms, descriptions: what `metricloop` embeds once per catalog version,
cold, before the first question that needs the model) are embedded by the numpy forward pass metricloop runs and,
in the same run, by sentence-transformers on torch (the baseline, one thread each as the product runs them). Prints
the seconds of each (best of --repeat), the ratio, and the largest difference between their vectors. Texts: the demo
catalog and the first --catalogs blind catalogs under tests/fixtures.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import SentenceEmbedder
from metricloop.core.understand.dense import metric_texts

ROOT = Path(__file__).resolve().parents[1]


def _texts(catalogs: int) -> list[str]:
    blind = sorted(p / "catalog" for p in (ROOT / "tests" / "fixtures").glob("blind_*"))
    folders = [ROOT / "catalog", *blind[:catalogs]]
    return [text for folder in folders for _, text in metric_texts(load_catalog(folder))]


def _best(embedder: SentenceEmbedder, texts: list[str], repeat: int) -> tuple[float, np.ndarray]:
    embedder._encode(texts[:8])  # warm: weights read, first call's allocations made
    best, vectors = float("inf"), np.zeros(0)
    for _ in range(repeat):
        started = time.perf_counter()
        vectors = embedder._encode(texts)
        best = min(best, time.perf_counter() - started)
    return best, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--catalogs", type=int, default=8, help="blind catalogs besides the demo (alphabetical)")
    args = parser.parse_args()
    texts = _texts(args.catalogs)
    numpy_model, torch_model = SentenceEmbedder(cache_dir=None), SentenceEmbedder(cache_dir=None, runtime="torch")
    assert numpy_model.runtime == "numpy" and torch_model.runtime == "torch"
    mine, ours = _best(numpy_model, texts, args.repeat)
    theirs, reference = _best(torch_model, texts, args.repeat)
    print(f"{len(texts)} catalog texts ({sum(map(len, texts)) // len(texts)} characters on average)")
    print(f"numpy runtime (metricloop):     {mine:6.2f} s  ({1000 * mine / len(texts):.1f} ms per text)")
    print(f"sentence-transformers (torch):  {theirs:6.2f} s  ({1000 * theirs / len(texts):.1f} ms per text)")
    print(f"ratio numpy / torch: {mine / theirs:.2f}x · largest vector difference {np.abs(ours - reference).max():.1e}")


if __name__ == "__main__":
    main()
