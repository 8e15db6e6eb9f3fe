"""var/cache keeps only the latest few catalog pickles and metric-vector files (issue 10, housekeeping)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from metricloop.adapters.cache_files import KEEP
from metricloop.adapters.catalog_files import load_catalog_cached
from metricloop.adapters.embeddings import SentenceEmbedder

ROOT = Path(__file__).resolve().parents[2]


def test_catalog_pickles_are_pruned_to_the_latest_few(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    cache = tmp_path / "cache"
    model_file = next(catalog.rglob("*.yml"))
    for version in range(KEEP + 3):  # a new catalog version each time: a new pickle each time
        model_file.write_text(model_file.read_text() + f"\n# version {version}\n")
        os.utime(model_file, (1_000_000 + version, 1_000_000 + version))
        load_catalog_cached(catalog, cache_dir=cache)
    assert len(list(cache.glob("catalog-*.pickle"))) == KEEP


def test_metric_vectors_are_pruned_to_the_latest_few(tmp_path):
    embedder = SentenceEmbedder(cache_dir=tmp_path)
    for version in range(KEEP + 2):
        embedder.embed_corpus(["revenue", f"orders v{version}"], key=f"catalog{version}")
    assert len(list(tmp_path.glob("emb-*.npy"))) == KEEP
