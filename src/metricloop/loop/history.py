"""Collect a metric's history from the store and merge it (core/loop/history): what `/metrics history` and
`metricloop history` show."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from metricloop.core.loop.history import Entry, merge_history


def _review(action: Any) -> dict[str, Any] | None:
    """A reviewed action's verdict as a history record (the reviewer stores it as JSON on the action)."""
    if not action.review_result:
        return None
    try:
        verdict = json.loads(action.review_result)
    except (TypeError, ValueError):
        verdict = {"text": str(action.review_result)}
    verdict = verdict if isinstance(verdict, dict) else {"text": str(verdict)}
    text = verdict.get("text") or verdict.get("outcome") or ""
    fields = {k: v for k, v in verdict.items() if k != "text" and not isinstance(v, (dict, list))}
    return {**fields, "at": action.updated_at, "user": None, "text": str(text), "action_id": action.id,
            "alert_id": action.alert_id}


def _changes(store: Any, metric: str) -> list[Any]:
    """The metric's changelog (a store without definition history, e.g. a test double, has none)."""
    changes = getattr(store, "definition_changes", None)
    return changes(metric) if changes is not None else []


def metric_history(store: Any, catalog: Any, metric: str, lang: str = "en") -> list[Entry]:
    """Every alert, acknowledgement, action, review, adjustment, comment and definition change of ``metric``,
    oldest first."""
    alerts = store.alerts(metric=metric)
    acks = [a for alert in alerts for a in store.acknowledgements(alert.id)]
    actions = [a for alert in alerts for a in store.actions(alert_id=alert.id)]
    reviews = [r for a in actions if (r := _review(a)) is not None]
    found = catalog.metric(metric)
    return merge_history(alerts=[asdict(a) for a in alerts], acknowledgements=[asdict(a) for a in acks],
                         actions=[asdict(a) for a in actions], reviews=reviews,
                         adjustments=[asdict(a) for a in store.adjustments(metric)],
                         comments=[asdict(c) for c in store.comments(metric)],
                         definitions=[v.to_json() for v in _changes(store, metric)],
                         fmt=found.meta.format if found else None, lang=lang)
