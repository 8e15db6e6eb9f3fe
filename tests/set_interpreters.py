"""One interpreter per fixture set per test process: the accuracy floors (tests/test_eval_blind_sets.py) and the
probes (tests/test_eval_probes.py) ask questions of the same sets, built the same way — the set's catalog, its
warehouse (built by the set's generator), the value index read from it, the bundled embedding model and the slim
Chinese segmenter the runtime installs. Both modules mark their tests with the set's `xdist_group`, so under
`pytest -n 2 --dist loadgroup` one worker builds each set's interpreter once for both (building one takes longer
than asking it a dozen questions)."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from metricloop.adapters.catalog_files import load_catalog_cached
from metricloop.adapters.embeddings import SentenceEmbedder
from metricloop.adapters.same_rows import WarehouseSameRows
from metricloop.adapters.segmenter import install_slim_segmenter
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core import text
from metricloop.core.catalog.model import Catalog
from metricloop.core.understand.interpreter import Understander
from test_generality import FIXTURES, shared_embedding_cache, shared_warehouse


@dataclass(frozen=True)
class SetInterpreter:
    """A fixture set's interpreter, the segmenter state to install around its questions, and what it was built on
    (another interpreter of the set, in another mode, is built from the same pieces)."""

    understander: Understander
    segmenter: tuple[Any, Any]
    catalog: Catalog
    warehouse: Path
    values: Any
    embedder: SentenceEmbedder


_BUILT: OrderedDict[str, SetInterpreter] = OrderedDict()
# the interpreters kept at once: each holds its own copy of the embedding model (~100 MB), and a process that kept all
# of the 100-odd sets' ran out of memory; a set's tests run together (one xdist_group), so a few are enough
_KEPT = 4


def set_interpreter(folder: str, factory: pytest.TempPathFactory) -> SetInterpreter:
    """The interpreter of tests/fixtures/<folder>, built on first use in this process (as the runtime builds it); only
    the few most recently used stay built."""
    if folder in _BUILT:
        _BUILT.move_to_end(folder)
    else:
        while len(_BUILT) >= _KEPT:
            _BUILT.popitem(last=False)
        path = shared_warehouse(folder, factory, factory.mktemp(folder) / "warehouse.duckdb")
        cache = shared_embedding_cache(folder, factory)
        # (kept in the set's cache: the floors' engine loads the same catalog from it instead of parsing it again)
        catalog = load_catalog_cached(FIXTURES / folder / "catalog", cache_dir=cache)
        values = build_value_index(catalog, DuckDBWarehouse(str(path), read_only=True))
        embedder = SentenceEmbedder(cache_dir=cache)
        understander = Understander(catalog, embedder, values,
                                    same_rows=WarehouseSameRows(catalog, DuckDBWarehouse(str(path), read_only=True)))
        # Chinese is segmented as the product segments it: the slim jieba the runtime installs for this catalog
        install_slim_segmenter(catalog, factory.getbasetemp() / "jieba")
        segmenter = text.segmenter_state()  # the cut and its dictionaries (a typo is never a word of them)
        text.use_segmenter(None)
        _BUILT[folder] = SetInterpreter(understander, segmenter, catalog, path, values, embedder)
    return _BUILT[folder]
