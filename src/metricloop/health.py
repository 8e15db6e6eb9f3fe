"""Readiness: can this process answer right now? GET /readyz (slack/server.py) is 200 only when

- the store answers (its schema version; a PostgreSQL store that is down or unreachable fails this);
- the warehouse answers a trivial query within a few seconds (``SELECT 1`` in its own dialect-neutral form);
- the interpreter is built (the model side of understanding; the sentence model itself loads lazily on the
  first question that needs it, by design — adapters/embeddings.LazyEmbedder);

and 503 otherwise, naming what is not ready. Liveness (/healthz) is only "the process serves HTTP".
Results are cached for a few seconds so that probes from several places do not load the warehouse.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CACHE_S = 5.0
WAREHOUSE_TIMEOUT_S = 5.0


def _store_ok(store: Any) -> None:
    if store is None:
        raise RuntimeError("no store")
    int(store.schema_version)


def _warehouse_ok(warehouse: Any) -> None:
    if warehouse is None:
        raise RuntimeError("no warehouse")
    warehouse.run_sql("SELECT 1", timeout_s=WAREHOUSE_TIMEOUT_S, max_rows=1)


def _model_ok(service: Any) -> None:
    if getattr(service, "understander", None) is None:
        raise RuntimeError("the interpreter is not built")


@dataclass
class Readiness:
    """Named checks, each a callable that raises when its part is not ready."""

    checks: dict[str, Callable[[], None]]
    cache_s: float = CACHE_S
    _last: tuple[float, bool, dict[str, str]] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def check(self) -> tuple[bool, dict[str, str]]:
        """(ready, {part: "ok" or what is wrong})."""
        with self._lock:
            if self._last is not None and time.monotonic() - self._last[0] < self.cache_s:
                return self._last[1], self._last[2]
            parts = {}
            for name, probe in self.checks.items():
                try:
                    probe()
                    parts[name] = "ok"
                except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said in the reply
                    parts[name] = f"{type(exc).__name__}: {exc}"[:300]
            ready = all(v == "ok" for v in parts.values())
            self._last = (time.monotonic(), ready, parts)
            return ready, parts


def runtime_readiness(runtime: Any) -> Readiness:
    """The store, warehouse and model checks of a built Runtime."""
    service = runtime.service
    return Readiness({"store": lambda: _store_ok(runtime.store),
                      "warehouse": lambda: _warehouse_ok(service.warehouse),
                      "model": lambda: _model_ok(service)})
