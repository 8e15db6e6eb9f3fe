"""Whether two dimension conditions select the same rows, asked of the warehouse (the interpreter's `same_rows`).

"Phoenix" is both a branch's city and its name: when the two readings keep exactly the same rows, the question has
one answer and is not asked back. The SQL comes from core/compile (`compile_same_rows`, a sqlglot expression);
answers are cached per pair, and any failure answers "not known to be the same" (the question is asked back).
"""
from __future__ import annotations

import logging
from functools import lru_cache

from metricloop.core.catalog.model import Catalog
from metricloop.core.compile.compiler import compile_same_rows

log = logging.getLogger(__name__)
Condition = tuple[str, str]  # (dimension ref, value)


class WarehouseSameRows:
    """`(a, b) -> bool`: both conditions hold on exactly the same, non-empty, rows."""

    def __init__(self, catalog: Catalog, warehouse, dialect: str = "duckdb", schema: str | None = None,  # noqa: ANN001
                 timeout_s: float = 5.0) -> None:
        self.catalog, self.warehouse, self.dialect, self.schema, self.timeout_s = \
            catalog, warehouse, dialect, schema, timeout_s
        self._ask = lru_cache(maxsize=1024)(self._same)

    def __call__(self, a: Condition, b: Condition) -> bool:
        return self._ask(a, b)

    def _same(self, a: Condition, b: Condition) -> bool:
        try:
            sql = compile_same_rows(self.catalog, a, b, self.dialect, schema=self.schema)
            rows = self.warehouse.run_sql(sql, timeout_s=self.timeout_s, max_rows=1).rows
        except Exception as exc:  # noqa: BLE001 - unknown is "not the same": the question is asked back
            log.debug("same-rows check failed for %s, %s: %s", a, b, exc)
            return False
        n_a, n_b, n_both = rows[0] if rows else (0, 0, 0)
        return bool(n_a) and n_a == n_b == n_both
