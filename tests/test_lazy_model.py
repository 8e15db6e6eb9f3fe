"""Lazy loading of the embedding model gives the same answers (issue 9, "a fast CLI").

The interpreter asks for a dense score only when its lexical decision is not confident, and the embedder
loads its model on the first text it must encode. Over the development set and every generality set, an
interpreter that consults the model for every question and one whose model is lazy must read every question
the same way (the query, options, restatement and reason; `confidence` is the lexical score in both when the
words decided), and the lazy one must leave the model unloaded for most questions.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import LazyEmbedder, SentenceEmbedder, model_id_for
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.understand.evaluate import evaluate, parse_cases
from metricloop.core.understand.interpreter import Understander
from test_generality import SETS, _cases, build_warehouse

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "questions" / "dev.yaml"


def _dev_world(tmp: Path):
    from metricloop.demo.build import build_demo

    info = build_demo(tmp / "demo.duckdb", end=dt.date(2026, 11, 26), scale=0.02)
    catalog = load_catalog(ROOT / "catalog")
    data = YAML(typ="safe").load(DEV.read_text(encoding="utf-8"))
    return catalog, build_value_index(catalog, DuckDBWarehouse(str(info.path), read_only=True)), data["today"], \
        parse_cases(data)


def _generality_world(folder: str, tmp: Path):
    path = build_warehouse(folder, tmp / SETS[folder].warehouse)
    catalog = load_catalog(SETS[folder].here / "catalog")
    today, cases = _cases(SETS[folder])
    return catalog, build_value_index(catalog, DuckDBWarehouse(str(path), read_only=True)), today, cases


def _readings(understander: Understander, today: dt.date, cases) -> list[dict]:
    report = evaluate(cases, lambda text, ctx: understander.interpret(text, today=today, context=ctx))
    return [{"q": o.case.q, "ok": o.ok, "got": o.got.model_dump(exclude={"confidence"}) if o.got is not None else None}
            for o in report.outcomes]


@pytest.mark.parametrize("world", ["dev", *SETS])
def test_lazy_model_reads_every_question_as_the_model_forced_on(world, tmp_path):
    catalog, values, today, cases = (_dev_world(tmp_path) if world == "dev"
                                     else _generality_world(world, tmp_path))
    cache = tmp_path / "cache"
    forced = Understander(catalog, SentenceEmbedder(cache_dir=cache), values)
    forced.always_dense = True
    eager = _readings(forced, today, cases)  # also writes the catalog's vectors to the disk cache, as a run does

    lazy_embedder = LazyEmbedder(lambda: SentenceEmbedder(cache_dir=cache), model_id_for(None), cache)
    lazy = Understander(catalog, lazy_embedder, values)
    sure = [c for c in cases if not c.after and _decided_by_words(lazy, c.q, today)]
    assert not lazy_embedder.loaded, "words alone decided these; the model must not have been loaded"
    assert len(sure) >= len(cases) // 2, f"only {len(sure)}/{len(cases)} questions decided without the model"

    diffs = [(a["q"], a["got"], b["got"]) for a, b in zip(eager, _readings(lazy, today, cases), strict=True)
             if a != b]
    assert not diffs, f"{len(diffs)} questions read differently with a lazy model, first: {diffs[0]}"


def _decided_by_words(understander: Understander, text: str, today: dt.date) -> bool:
    """Interpret `text` on a copy whose vectors fail if asked: True when no dense score was needed."""
    vectors, understander.vectors = understander.vectors, _Refusing()
    try:
        understander.interpret(text, today=today)
        return True
    except _ModelNeededError:
        return False
    finally:
        understander.vectors = vectors


class _ModelNeededError(Exception):
    pass


class _Refusing:
    def scores(self, question: str) -> dict[str, float]:
        raise _ModelNeededError


def test_lazy_embedder_serves_cached_catalog_vectors_without_loading(tmp_path):
    calls = []
    real = SentenceEmbedder(cache_dir=tmp_path)
    texts = ["revenue", "orders", "refund rate"]
    saved = real.embed_corpus(texts, key="abc")

    def factory() -> SentenceEmbedder:
        calls.append(1)
        return real

    lazy = LazyEmbedder(factory, real.model_id, tmp_path)
    assert np.array_equal(lazy.embed_corpus(texts, key="abc"), saved) and not lazy.loaded and not calls
    lazy.embed_corpus(["a text never saved"], key="abc")  # not in the cache: now the model is needed
    assert lazy.loaded and calls == [1]
    lazy.embed(["revenue"])
    assert calls == [1]  # loaded once
