"""Distinct values of the catalog's categorical dimensions, read from the warehouse.

Built at start-up (and refreshable, e.g. from the scheduler), capped per dimension so that
high-cardinality columns (ids, free text) cannot bloat the interpreter's lexicon. The SQL comes from
core/compile.py (`compile_dimension_values`, a sqlglot expression): no text is pasted into SQL.
`StaticValueIndex` is the in-memory fake for tests.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence

from metricloop.core.catalog.graph import model_key
from metricloop.core.catalog.model import Catalog
from metricloop.core.compile.compiler import compile_dimension_values
from metricloop.progress import Tick, no_progress

log = logging.getLogger(__name__)
DimKey = tuple[str, str]
# a dimension with more distinct values than this is no value list (ids, free text) and is indexed empty; up to it, a
# name dimension's long tail (2,000 customers, consignors) is kept: the interpreter reads the first
# core.understand.lexicon.MAX_VALUES_PER_DIMENSION values in full and the rest as whole names only
DEFAULT_CAP = 5000


class StaticValueIndex:
    """A fixed value index (tests, or a catalog without a warehouse)."""

    def __init__(self, values: Mapping[DimKey, Sequence[str]] | None = None) -> None:
        self._values = {k: list(v) for k, v in (values or {}).items()}

    def values(self) -> Mapping[DimKey, Sequence[str]]:
        return self._values

    def flags(self) -> frozenset[DimKey]:
        """Dimensions whose column holds only true/false (none known without a warehouse)."""
        return frozenset()

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> StaticValueIndex:
        """Values named in the catalog's `value_synonyms` (all a warehouse-less setup can know)."""
        return cls({(sm.name, d.name): list(d.value_synonyms) for sm in catalog.semantic_models
                    for d in sm.dimensions if d.value_synonyms})


class WarehouseValueIndex:
    """Distinct values per categorical dimension, queried from a warehouse (`run_sql`)."""

    def __init__(self, catalog: Catalog, warehouse, dialect: str = "duckdb", schema: str | None = None,  # noqa: ANN001
                 cap: int = DEFAULT_CAP, timeout_s: float = 10.0) -> None:
        self.catalog = catalog
        self.warehouse = warehouse
        self.dialect = dialect
        self.schema = schema
        self.cap = cap
        self.timeout_s = timeout_s
        self._values: dict[DimKey, list[str]] = {}
        self._flags: frozenset[DimKey] = frozenset()
        self._lock = threading.Lock()
        self.errors: dict[DimKey, str] = {}

    def values(self) -> Mapping[DimKey, Sequence[str]]:
        return self._values

    def flags(self) -> frozenset[DimKey]:
        """Dimensions whose column holds only true/false ("main_panel_upgrade"): yes/no conditions, whatever their
        name — they are never indexed as values."""
        return self._flags

    def refresh(self, progress: Tick = no_progress) -> Mapping[DimKey, Sequence[str]]:
        """Re-read every categorical dimension; a failing dimension keeps its previous values. `progress`
        hears of each dimension read."""
        fresh: dict[DimKey, list[str]] = {}
        flags: set[DimKey] = set()
        errors: dict[DimKey, str] = {}
        dims = [(sm, dim) for sm in self.catalog.semantic_models for dim in sm.dimensions if dim.type == "categorical"]
        progress(0, total=len(dims))
        for sm, dim in dims:
            key = (sm.name, dim.name)
            progress(0, what=f"{sm.name}.{dim.name}")
            try:
                # one more than the cap tells us the column is too varied to be a value list
                sql = compile_dimension_values(self.catalog, f"{model_key(sm)}__{dim.name}", self.cap + 1,
                                               self.dialect, schema=self.schema)
                table = self.warehouse.run_sql(sql, timeout_s=self.timeout_s, max_rows=self.cap + 1)
            except Exception as exc:  # noqa: BLE001 - one broken column must not stop start-up
                errors[key] = str(exc)
                if key in self._values:
                    fresh[key] = self._values[key]
                if key in self._flags:
                    flags.add(key)
                progress()
                continue
            present = [r[0] for r in table.rows if r and r[0] is not None]
            if present and all(isinstance(v, bool) for v in present):
                flags.add(key)
            values = [str(v) for v in present if not isinstance(v, bool)]
            if len(values) > self.cap:
                log.info("value index: %s.%s has more than %d values; indexing none", *key, self.cap)
                values = []
            fresh[key] = values
            progress()
        with self._lock:
            self._values = fresh
            self._flags = frozenset(flags)
            self.errors = errors
        if errors:
            log.warning("value index: %d dimension(s) could not be read: %s", len(errors), sorted(errors))
        return fresh


def build_value_index(catalog: Catalog, warehouse, dialect: str = "duckdb", schema: str | None = None,  # noqa: ANN001
                      cap: int = DEFAULT_CAP, progress: Tick = no_progress) -> WarehouseValueIndex:
    """A value index filled from the warehouse now (call `.refresh()` again on a schedule)."""
    index = WarehouseValueIndex(catalog, warehouse, dialect, schema, cap)
    index.refresh(progress)
    return index
