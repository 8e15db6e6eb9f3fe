"""Probes on the tuning catalogs (tests/fixtures/questions/probes.yaml): questions once answered with a number that
ignored part of them, found on catalogs other than the demo. One test per row, each on its set's real catalog,
warehouse (built by the set's generator) and value index — the embedding model is the bundled one, and Chinese is
segmented by the slim jieba the runtime installs."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import SentenceEmbedder
from metricloop.adapters.same_rows import WarehouseSameRows
from metricloop.adapters.segmenter import install_slim_segmenter
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core import text
from metricloop.core.text import use_segmenter
from metricloop.core.understand.evaluate import Case, score_case
from metricloop.core.understand.interpreter import Understander
from test_generality import shared_embedding_cache, shared_warehouse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = YAML(typ="safe").load((FIXTURES / "questions" / "probes.yaml").read_text(encoding="utf-8"))
ROWS = DATA["questions"]


@pytest.fixture(scope="module")
def understanders(tmp_path_factory):
    @cache
    def get(folder: str) -> tuple[Understander, tuple]:
        tmp = tmp_path_factory.mktemp(folder)
        path = shared_warehouse(folder, tmp_path_factory, tmp / "warehouse.duckdb")
        catalog = load_catalog(FIXTURES / folder / "catalog")
        values = build_value_index(catalog, DuckDBWarehouse(str(path), read_only=True))
        # Chinese is segmented as the product segments it: the slim jieba the runtime installs for this catalog
        install_slim_segmenter(catalog, tmp_path_factory.getbasetemp() / "jieba")
        segmenter = text.segmenter_state()  # the cut and its dictionaries (a typo is never a word of them)
        use_segmenter(None)
        embedder = SentenceEmbedder(cache_dir=shared_embedding_cache(folder, tmp_path_factory))
        return Understander(catalog, embedder, values,
                            same_rows=WarehouseSameRows(catalog, DuckDBWarehouse(str(path), read_only=True))), segmenter
    return get


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['set']}:{r['q']}" for r in ROWS])
def test_probe(understanders, row):
    understander, segmenter = understanders(row["set"])
    use_segmenter(*segmenter)
    try:
        context = understander.interpret(row["after"], today=DATA["today"]).query if "after" in row else None
        case = Case(q=row["q"], category="probe", expect=row["expect"])
        outcome = score_case(case, understander.interpret(row["q"], today=DATA["today"], context=context))
    finally:
        use_segmenter(None)
    assert outcome.ok, outcome.problems
