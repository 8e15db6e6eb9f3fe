"""Build the running pieces (catalog, warehouse, service, understander) from settings.

The one place that knows which adapter implements which interface.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from metricloop.adapters.catalog_files import load_catalog_cached
from metricloop.adapters.embeddings import build_embedder_for, offline_environment
from metricloop.adapters.segmenter import install_slim_segmenter
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import SystemClock
from metricloop.core.catalog.model import Catalog
from metricloop.core.understand.interpreter import Understander
from metricloop.errors import UserError
from metricloop.ports import Clock, Interpreter, Warehouse
from metricloop.service import MetricService
from metricloop.settings import Settings

log = logging.getLogger(__name__)


def load_catalog_for(settings: Settings) -> Catalog:
    """The governed catalog named by settings (cached on disk until a catalog file changes)."""
    return load_catalog_cached(settings.catalog_dir, schema=settings.warehouse_schema,
                               cache_dir=Path(settings.cache_dir))


def open_warehouse(settings: Settings):  # noqa: ANN201 - returns adapters.warehouse.DuckDBWarehouse
    """Open the configured warehouse read-only, with a clear message when it is missing."""
    path = Path(settings.warehouse)
    if not path.exists():
        raise UserError(f"The warehouse {path} does not exist. Build the demo with `metricloop demo`, "
                        "or point --warehouse / METRICLOOP_WAREHOUSE at a DuckDB file.")
    return DuckDBWarehouse(path, read_only=True, timeout_s=settings.query_timeout_s, max_rows=settings.max_rows)


def _import_model_libraries() -> None:
    """Import torch and sentence-transformers (seconds of work) so a later model load finds them ready."""
    offline_environment()
    # local on purpose: these are the seconds of import this function exists to spend off the main thread
    import sentence_transformers  # noqa: F401
    import torch  # noqa: F401


def build_service(settings: Settings, *, understanding: bool = False, clock: Clock | None = None) -> MetricService:
    """A MetricService for these settings; with `understanding`, also loads the embedder and value index.

    `clock` defaults to the system clock in the configured timezone (a FixedClock pins the day).
    """
    clock = clock or SystemClock(settings.timezone)
    if understanding:  # start the slowest part of a cold start first; the catalog loads meanwhile
        threading.Thread(target=_import_model_libraries, name="preload-model", daemon=True).start()
    catalog = load_catalog_for(settings)
    warehouse = open_warehouse(settings)
    service = MetricService(
        catalog=catalog, warehouse=warehouse, dialect=settings.dialect, schema=settings.warehouse_schema,
        timeout_s=settings.query_timeout_s, max_rows=settings.max_rows,
        clock=clock,
    )
    if understanding:
        service.understander = build_understander(settings, catalog, warehouse, clock)
    return service


def build_understander(settings: Settings, catalog: Catalog, warehouse: Warehouse, clock: Clock) -> Interpreter:
    """The deterministic interpreter with its embedding model and dimension-value index (and LLM if set)."""
    # Loading torch and the model takes most of a cold start; it overlaps with the value index and the
    # Chinese dictionary, which load on this thread meanwhile.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedder") as pool:
        embedder_future = pool.submit(build_embedder_for, settings, catalog)
        values = build_value_index(catalog, warehouse, dialect=settings.dialect, schema=settings.warehouse_schema)
        install_slim_segmenter(catalog, Path(settings.cache_dir))
        embedder = embedder_future.result()
    understander = Understander(catalog, embedder, values, today_fn=clock.today)
    if settings.llm_url:
        from metricloop.adapters.llm import LLMInterpreter  # local: optional (LLM_URL); skips 0.1 s of httpx

        understander = LLMInterpreter.wrap(understander, settings)
    return understander
