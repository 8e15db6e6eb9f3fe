"""A metric's history: alerts, acknowledgements, corrective actions, reviews, adjustments, comments and
changes of its definition, merged into one list in time order. Pure: the records come in as mappings (the
store's rows as dicts).

Each entry has ``kind``, ``at`` (ISO timestamp, UTC), ``user``, ``text`` (one line for people) and the
structured fields of its record, which is what ``metricloop history --json`` prints.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from metricloop.core.catalog.model import NumberFormat
from metricloop.core.present.formatting import format_value
from metricloop.core.present.texts import say

KINDS = ("definition", "alert", "acknowledgement", "action", "review", "adjustment", "comment")
Record = Mapping[str, Any]


@dataclass(frozen=True)
class Entry:
    """One thing that happened to a metric."""

    kind: str
    at: str
    user: str | None
    text: str
    fields: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``{kind, at, user, text, ...structured fields}``."""
        return {"kind": self.kind, "at": self.at, "user": self.user, "text": self.text, **self.fields}


def _slice_text(values: Mapping[str, Any] | None) -> str:
    parts = [f"{str(k).split('__')[-1]} = {v}" for k, v in sorted((values or {}).items())]
    return f" ({', '.join(parts)})" if parts else ""


def _alert(row: Record, fmt: NumberFormat | None, lang: str) -> Entry:
    text = say("history_alert_text", lang, day=row.get("day"), slice=_slice_text(row.get("slice")),
               value=format_value(row.get("value"), fmt, lang), expected=format_value(row.get("expected"), fmt, lang),
               direction=say(f"direction_{row.get('direction', 'down')}", lang))
    keys = ("id", "day", "slice", "direction", "value", "expected", "lower", "upper", "severity", "status",
            "contributors", "drivers")
    return Entry("alert", str(row.get("created_at", "")), None, text, {k: row.get(k) for k in keys if k in row})


def _action(row: Record, lang: str) -> Entry:
    text = say("history_action_text", lang, plan=row.get("plan", ""), owner=row.get("owner", ""),
               due=row.get("due", ""), status=row.get("status", ""))
    keys = ("id", "alert_id", "owner", "due", "plan", "expected_effect", "status")
    return Entry("action", str(row.get("created_at", "")), row.get("created_by") or row.get("owner"), text,
                 {k: row.get(k) for k in keys if k in row})


def _adjustment(row: Record) -> Entry:
    payload = dict(row.get("payload") or {})
    text = str(payload.get("text") or payload.get("reason") or "")
    structured = {k: v for k, v in payload.items() if k != "text"}
    return Entry("adjustment", str(row.get("created_at", "")), row.get("author"), text,
                 {"id": row.get("id"), "adjustment": row.get("kind"), **structured})


def _definition(row: Record, lang: str) -> Entry:
    """A changelog entry (adapters/store_governance DefinitionVersion.to_json): which fields changed."""
    kind = row.get("kind")
    fields = ", ".join(str(c.get("field")) for c in row.get("changes") or ())
    text = say("history_definition_text", lang, fields=fields) if kind == "changed" else say(
        f"history_definition_{kind}", lang)
    keys = ("id", "kind", "hash", "previous", "changes", "commit")
    return Entry("definition", str(row.get("at") or row.get("created_at", "")), None, text,
                 {k: row.get(k) for k in keys if k in row})


def merge_history(*, alerts: Iterable[Record] = (), acknowledgements: Iterable[Record] = (),
                  actions: Iterable[Record] = (), reviews: Iterable[Record] = (), adjustments: Iterable[Record] = (),
                  comments: Iterable[Record] = (), definitions: Iterable[Record] = (),
                  fmt: NumberFormat | None = None, lang: str = "en") -> list[Entry]:
    """Every record as an Entry, oldest first (ties: a definition change first, an alert before what answers
    it, then by id)."""
    entries = [_definition(r, lang) for r in definitions]
    entries += [_alert(r, fmt, lang) for r in alerts]
    entries += [Entry("acknowledgement", str(r.get("created_at", "")), r.get("user"), str(r.get("note") or ""),
                      {"id": r.get("id"), "alert_id": r.get("alert_id")}) for r in acknowledgements]
    entries += [_action(r, lang) for r in actions]
    entries += [Entry("review", str(r.get("at") or r.get("created_at", "")), r.get("user"), str(r.get("text") or ""),
                      {k: v for k, v in r.items() if k not in ("at", "created_at", "user", "text")}) for r in reviews]
    entries += [_adjustment(r) for r in adjustments]
    entries += [Entry("comment", str(r.get("created_at", "")), r.get("author"), str(r.get("text") or ""),
                      {k: r.get(k) for k in ("id", "alert_id", "channel", "thread_ts") if k in r}) for r in comments]
    return sorted(entries, key=lambda e: (e.at, KINDS.index(e.kind), e.fields.get("id") or 0))


def kind_label(kind: str, lang: str = "en") -> str:
    """The word shown for an entry's kind ("Alert", "告警")."""
    return say(f"history_{kind}", lang)
