"""The bundled sentence-transformers model loads offline, embeds sensibly, and caches catalog vectors."""
from __future__ import annotations

import numpy as np
import pytest

from metricloop.adapters.embeddings import FakeEmbedder, SentenceEmbedder, bundled_model_path


def test_fake_embedder_is_deterministic_and_normalised():
    e = FakeEmbedder()
    a, b = e.embed(["revenue by region", "revenue by region"])
    assert np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1.0)
    near, far = e.embed(["revenue", "weather"]) @ e.embed(["revenues"])[0]
    assert near > far


def test_the_model_ships_inside_the_package():
    path = bundled_model_path()
    assert (path / "model.safetensors").exists() and (path / "modules.json").exists()


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return SentenceEmbedder(cache_dir=tmp_path_factory.mktemp("emb"))


def test_real_model_ranks_meaning(model):
    metrics = model.embed(["revenue", "support tickets", "website sessions"])
    question = model.embed(["how much money did we earn from sales"])[0]
    scores = metrics @ question
    assert scores.argmax() == 0
    assert np.isclose(np.linalg.norm(metrics, axis=1), 1.0).all()


def test_corpus_vectors_are_cached_on_disk(model, monkeypatch):
    texts = ["revenue", "orders", "refund rate"]
    first = model.embed_corpus(texts, key="abc")
    files = list(model._cache_dir.glob("emb-abc-*.npy"))
    assert len(files) == 1

    def boom(*args, **kwargs):
        raise AssertionError("should have been read from the cache")

    monkeypatch.setattr(model._model, "encode", boom)
    assert np.allclose(model.embed_corpus(texts, key="abc"), first)


def test_numpy_runtime_gives_the_vectors_of_sentence_transformers(model):
    """The bundled model runs in numpy (no torch import); its vectors must be those of sentence-transformers."""
    texts = ["revenue by region last month", "how much did we pay out", "上个月华东的销售额", "AOV",
             "Average order value: revenue divided by the number of completed orders in the period"]
    assert model.runtime == "numpy"
    torch_model = SentenceEmbedder(runtime="torch")
    assert torch_model.runtime == "torch"
    assert np.abs(model.embed(texts) - torch_model.embed(texts)).max() < 1e-5


def test_numpy_runtime_batches_by_length_and_keeps_the_order_asked(model):
    """(session 19) Texts are batched by length (a short label is not padded to a description's length) and every
    step runs in float32: each row is the text's own vector, in the order given, as encoded alone."""
    from metricloop.adapters.embeddings_numpy import _SQRT2, _gelu
    texts = ["Average order value: revenue divided by the number of completed orders in the period", "AOV",
             "revenue by region last month", "上个月华东的销售额", "orders"]
    together = model._encode(texts)
    alone = np.stack([model._encode([t])[0] for t in texts])
    assert together.dtype == np.float32 and np.abs(together - alone).max() < 1e-6
    assert _gelu(np.ones(4, np.float32)).dtype == np.float32 and _SQRT2.dtype == np.float32
