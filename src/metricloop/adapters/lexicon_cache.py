"""The interpreter's lexicon and speller kept on disk (var/cache) between processes, until the catalog, its values
or metricloop change.

Building them reads the shipped glossaries (~15,000 lines), renders every catalog phrase in Chinese and indexes
it by sound: over half a second of every cold `metricloop ask`, always with the same result for the same catalog,
dimension values and code (issue 9: a 2-second CLI). What is cached is what the builder returns, so answers are
the same either way; a cache that cannot be read or written is rebuilt or skipped.
"""
from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from metricloop.adapters.cache_files import prune, touch, write_atomically
from metricloop.core.catalog.model import Catalog
from metricloop.core.understand.lexicon import DimKey

Values = Mapping[DimKey, Sequence[str]] | None
_PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of everything a lexicon is built from besides the catalog and its values: the pure core's code
    and the shipped data files (by content, so a checkout or an edit is noticed), and the Python version."""
    digest = hashlib.blake2b(sys.version.encode(), digest_size=16)
    files = sorted([*(_PACKAGE / "core").rglob("*.py"), *(_PACKAGE / "data").iterdir()])
    for file in files:
        if file.is_file():
            digest.update(file.relative_to(_PACKAGE).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _values_digest(values: Mapping[DimKey, Sequence[str]] | None) -> str:
    rows = sorted((tuple(key), tuple(map(str, seq))) for key, seq in (values or {}).items())
    return hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()


def cached_builds(catalog: Catalog, catalog_key: str, cache_dir: Path) -> Callable[..., Any]:
    """A `built(kind, build, catalog, values)` for the interpreter: `build(catalog, values)`, kept in `cache_dir`
    when the catalog is `catalog` (identified on disk by `catalog_key`, its files' fingerprint); any other catalog
    is built as usual."""

    def built(kind: str, build: Callable[[Catalog, Values], Any], asked: Catalog, values: Values = None) -> Any:
        if asked is not catalog:
            return build(asked, values)
        key = hashlib.blake2b(f"{kind}:{catalog_key}:{_values_digest(values)}:{code_version()}".encode(),
                              digest_size=12).hexdigest()
        file = Path(cache_dir) / f"{kind}-{key}.pickle"
        try:
            found = pickle.loads(file.read_bytes())  # noqa: S301 - our own cache file, written below
            touch(file)
            return found
        except Exception:  # noqa: BLE001 - absent, torn or from another version: built again below
            pass
        made = build(asked, values)
        try:
            write_atomically(file, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
            prune(file.parent, f"{kind}-*.pickle")
        except OSError:  # a read-only cache: answers stay the same, only slower to start
            pass
        return made

    return built
