"""Definition history: every catalog load records each metric's definition; a change is a changelog entry.

`record_catalog(store, catalog, commit=...)` is called wherever a catalog is loaded for real (runtime start-up,
`metricloop catalog check`). The first load ever records a baseline (no news); afterwards a metric whose
definition hash moved gets a version with its field-level diff (core/catalog/definition), the catalog's git
commit, and one announcement per recipient queued in the notices outbox in the same transaction: a DM to each
follower and a message in the metric's channel (``meta.channel``, else the alerts channel). The outbox posts
each once (loop/outbox.py, slack/changelog_blocks.py). An unchanged reload writes nothing.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol

from metricloop.adapters.catalog_git import git_commit
from metricloop.adapters.store_governance import DefinitionVersion
from metricloop.core.catalog.definition import canonical_json, catalog_definitions, diff_definitions
from metricloop.core.catalog.model import Catalog
from metricloop.core.loop.routing import notice_channel

log = logging.getLogger(__name__)


class DefinitionStore(Protocol):
    """The store methods the changelog uses (``SQLiteStore`` has them)."""

    def latest_definitions(self) -> dict[str, DefinitionVersion]: ...
    def record_definition(self, metric: str, hash_: str | None, definition: str | None, *, kind: str,
                          previous: str | None, changes: list[dict[str, Any]], git_commit: str | None,
                          announce: list[tuple[str, dict[str, Any]]] = ()) -> DefinitionVersion | None: ...
    def followers(self, metric: str) -> list[str]: ...


def recipients(store: DefinitionStore, catalog: Catalog, metric: str) -> list[str]:
    """Who hears of a change: each follower (a user id: a DM) and the metric's notice channel, once each."""
    return list(dict.fromkeys([*store.followers(metric), notice_channel(catalog.metric(metric), catalog.loop)]))


def record_catalog(store: DefinitionStore, catalog: Catalog, *, commit: str | None = None) -> list[DefinitionVersion]:
    """Record every metric's definition; return the changelog entries this load created (oldest first)."""
    latest = store.latest_definitions()
    baseline = not latest  # nothing recorded yet: today's definitions are where history starts
    current = catalog_definitions(catalog)
    created: list[DefinitionVersion] = []
    for name, (hash_, definition) in sorted(current.items()):
        before = latest.get(name)
        if before is not None and before.hash == hash_:
            continue
        kind = ("initial" if baseline else "added") if before is None or before.hash is None else "changed"
        changes = [c.to_json() for c in diff_definitions(before.definition, definition)] if kind == "changed" else []
        created += _record(store, catalog, name, hash_, canonical_json(definition), kind,
                           before.hash if before else None, changes, commit)
    for name, before in sorted(latest.items()):
        if name not in current and before.hash is not None:
            created += _record(store, catalog, name, None, None, "removed", before.hash, [], commit)
    return [v for v in created if v.kind != "initial"]


def _record(store: DefinitionStore, catalog: Catalog, name: str, hash_: str | None, definition: str | None,
            kind: str, previous: str | None, changes: list[dict[str, Any]], commit: str | None) -> list:
    metric = catalog.metric(name)
    payload = {"metric": name, "label": metric.display_name if metric else name, "kind": kind, "hash": hash_,
               "previous": previous, "changes": changes, "commit": commit}
    announce = [] if kind == "initial" else [(to, payload) for to in recipients(store, catalog, name)]
    version = store.record_definition(name, hash_, definition, kind=kind, previous=previous, changes=changes,
                                      git_commit=commit, announce=announce)
    return [] if version is None else [version]


def record_catalog_safely(store: Any, catalog: Catalog, catalog_dir: Any) -> list[DefinitionVersion]:
    """`record_catalog` with the catalog's git commit; a failure is logged, never raised (a start-up or a
    `catalog check` must not fail because the history could not be written)."""
    try:
        return record_catalog(store, catalog, commit=git_commit(catalog_dir))
    except Exception:  # history is a record of the load, not a condition of it
        log.exception("could not record the catalog's definitions")
        return []
