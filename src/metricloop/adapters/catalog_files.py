"""Read a catalog directory (dbt MetricFlow YAML + our meta) or a dbt semantic_manifest.json.

Every problem is collected with file, line and field path and reported at once (CatalogError).
Parsing of raw mappings into models lives in core/catalog/build.py (pure); this module only reads
files and keeps line numbers.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from metricloop import __version__
from metricloop.adapters.cache_files import prune, touch, write_atomically
from metricloop.adapters.catalog_broken import after_broken_files, names_in
from metricloop.core.catalog.access_check import validate_access
from metricloop.core.catalog.build import CatalogBuilder, Located
from metricloop.core.catalog.manifest import normalise_manifest
from metricloop.core.catalog.model import Catalog
from metricloop.core.catalog.validate import validate_against_warehouse, validate_catalog
from metricloop.errors import CatalogError, CatalogProblem

LOOP_FILE_NAMES = {"loop.yml", "loop.yaml"}
MANIFEST_NAME = "semantic_manifest.json"


def _line_of(node: Any, key: Any = None) -> int | None:
    """1-based line of a mapping key / sequence item (ruamel keeps 0-based positions)."""
    try:
        if key is None:
            return node.lc.line + 1
        if isinstance(node, CommentedMap):
            return node.lc.key(key)[0] + 1
        if isinstance(node, CommentedSeq):
            return node.lc.item(key)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return None


# A catalog file is a few hundred kilobytes at most; these bounds stop a hostile file (or a YAML alias
# bomb: 400 bytes that expand to billions of nodes) long before it costs seconds or gigabytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES_PER_FILE = 500_000


class _TooLargeError(Exception):
    """A document expands to more values than any real catalog has."""


class _Budget:
    """How many values one file may still expand to (aliases count each time they are expanded)."""

    def __init__(self, limit: int = MAX_NODES_PER_FILE) -> None:
        self.left = limit

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise _TooLargeError


def _plain(node: Any, budget: _Budget | None = None) -> Any:
    """ruamel containers → plain dicts/lists (strings stay strings), within the file's node budget."""
    budget = budget or _Budget()
    budget.spend()
    if isinstance(node, dict):
        return {str(k): _plain(v, budget) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v, budget) for v in node]
    return node


def _located(node: Any, file: str, path: str, budget: _Budget) -> Located:
    """Wrap a ruamel node so the builder can ask for the line of any field below it."""
    return Located(
        value=_plain(node, budget),
        file=file,
        path=path,
        line_lookup=lambda subpath, _n=node: _line_lookup(_n, subpath),
    )


def _line_lookup(node: Any, subpath: tuple) -> int | None:
    """Follow a tuple of keys/indexes from `node` and return the deepest line known."""
    line = _line_of(node)
    current = node
    for step in subpath:
        found = _line_of(current, step)
        if found is None:
            break
        line = found
        try:
            current = current[step]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _yaml_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    files = sorted([*root.rglob("*.yml"), *root.rglob("*.yaml")])
    return [f for f in files if not any(part.startswith(".") for part in f.relative_to(root).parts)]


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent if root.is_dir() else root.parent))
    except ValueError:
        return str(path)


def load_catalog(path: Path | str, *, schema: str | None = None) -> Catalog:
    """Load and validate a catalog directory, YAML file or semantic_manifest.json.

    Raises CatalogError listing every problem (file, line, field, suggestion).
    """
    root = Path(path)
    if not root.exists():
        raise CatalogError(problems=[CatalogProblem(str(root), None, "catalog", "no such file or directory")])
    builder = CatalogBuilder(schema=schema)
    loop: dict[str, Any] = {}
    loop_doc: tuple[str, Any] = ("loop.yml", None)
    if root.is_file() and root.suffix == ".json" or (root.is_dir() and (root / MANIFEST_NAME).exists()):
        manifest = root if root.is_file() else root / MANIFEST_NAME
        _read_manifest(manifest, builder)
    broken: dict[str, set[str]] = {}  # files that did not load -> the names they mention
    if root.is_dir() or root.suffix in (".yml", ".yaml"):
        yaml = YAML(typ="rt")
        for file in _yaml_files(root):
            shown = _display(file, root)
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                builder.problem(shown, None, "file", f"is {size / 1_048_576:.1f} MB; catalog files are limited to "
                                f"{MAX_FILE_BYTES // 1_048_576} MB (split it into several files)")
                broken[shown] = set()
                continue
            text = None
            try:
                text = file.read_text(encoding="utf-8")
                doc = yaml.load(text)
            except MarkedYAMLError as exc:
                mark = exc.problem_mark
                builder.problem(shown, mark.line + 1 if mark else None, "yaml", f"does not parse: {exc.problem}")
                broken[shown] = names_in(text or "")
                continue
            except YAMLError as exc:  # e.g. a control character (ReaderError): no mark, but a position
                position = getattr(exc, "position", None)
                line = text.count("\n", 0, position) + 1 if text and position is not None else None
                builder.problem(shown, line, "yaml", f"does not parse: {getattr(exc, 'reason', None) or exc}")
                broken[shown] = names_in(text or "")
                continue
            except UnicodeDecodeError as exc:
                builder.problem(shown, None, "file", f"is not UTF-8 text ({exc.reason})")
                broken[shown] = names_in(file.read_bytes().decode("utf-8", "replace"))
                continue
            if doc is None:
                continue
            if not isinstance(doc, dict):
                builder.problem(shown, 1, "document", "expected a mapping at the top level")
                broken[shown] = names_in(text)
                continue
            if file.name in LOOP_FILE_NAMES:  # its `access:` section is checked once the metrics are known
                loop_doc = (shown, doc)
            try:
                loop = _read_document(doc, file, shown, builder) or loop
            except _TooLargeError:
                builder.problem(shown, None, "yaml", f"expands to more than {MAX_NODES_PER_FILE:,} values "
                                "(YAML aliases repeated many times?); write the definitions out instead")
                broken[shown] = names_in(text)
    catalog = builder.build(loop=loop, root=str(root))
    problems = builder.problems + validate_catalog(catalog)
    problems += validate_access(catalog, loop_doc[0], lambda path: _line_lookup(loop_doc[1], path))
    problems = after_broken_files(problems, broken)
    if problems:
        raise CatalogError(problems=problems)
    return catalog


def _read_document(doc: dict, file: Path, shown: str, builder: CatalogBuilder) -> dict[str, Any] | None:
    """Add one YAML document's models and metrics to the builder; loop.yml's content is returned."""
    budget = _Budget()
    if file.name in LOOP_FILE_NAMES:
        return _plain(doc, budget)
    read: list[tuple[str, Located]] = []  # all of a file or none of it: a refusal half-way adds nothing
    for key in ("semantic_models", "metrics"):
        items = doc.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            builder.problem(shown, _line_of(doc, key), key, "expected a list")
            continue
        read += [(key, _located(item, shown, f"{key}[{i}]", budget)) for i, item in enumerate(items)]
    for key, located in read:
        if key == "semantic_models":
            builder.add_semantic_model(located)
        else:
            builder.add_metric(located)
    return None


def _read_manifest(manifest: Path, builder: CatalogBuilder) -> None:
    """dbt's semantic_manifest.json: normalise to the YAML shape, then build the same way."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        builder.problem(str(manifest), getattr(exc, "lineno", None), "json", f"does not parse: {exc}")
        return

    models, metrics = normalise_manifest(data)
    for i, item in enumerate(models):
        builder.add_semantic_model(Located(item, str(manifest), f"semantic_models[{i}]"))
    for i, item in enumerate(metrics):
        builder.add_metric(Located(item, str(manifest), f"metrics[{i}]"))


def check_catalog(path: Path | str, table_columns=None, *, schema: str | None = None) -> list[CatalogProblem]:  # noqa: ANN001
    """All problems of a catalog, including warehouse checks when `table_columns(table)` is given.

    `table_columns` returns {column: type} for a table, or None when the table does not exist.
    """
    try:
        catalog = load_catalog(path, schema=schema)
    except CatalogError as exc:
        return list(exc.problems)
    if table_columns is None:
        return []

    return validate_against_warehouse(catalog, table_columns)


def catalog_fingerprint(root: Path, schema: str | None) -> str:
    """What a cached catalog depends on: every catalog file's path, size and mtime, the schema, our version."""

    files = [root] if root.is_file() else sorted([*root.rglob("*.yml"), *root.rglob("*.yaml"), *root.rglob("*.json")])
    parts = [__version__, str(root.resolve()), str(schema)]
    parts += [f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files if f.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def load_catalog_cached(path: Path | str, *, schema: str | None = None, cache_dir: Path | None = None) -> Catalog:
    """`load_catalog`, with the validated result kept on disk until a catalog file changes.

    Reading YAML with line numbers is the slowest part of a cold start; a catalog that did not change
    need not be read again. Only catalogs without problems are cached.
    """

    root = Path(path)
    if cache_dir is None or not root.exists():
        return load_catalog(root, schema=schema)
    file = Path(cache_dir) / f"catalog-{catalog_fingerprint(root, schema)}.pickle"
    if file.exists():
        try:
            catalog = pickle.loads(file.read_bytes())  # noqa: S301 - our own cache file, written below
            touch(file)
            return catalog
        except Exception:  # noqa: BLE001 - a torn or stale cache is rebuilt
            pass
    catalog = load_catalog(root, schema=schema)
    write_atomically(file, pickle.dumps(catalog))
    prune(file.parent, "catalog-*.pickle")  # one pickle per catalog version used to stay forever
    return catalog
