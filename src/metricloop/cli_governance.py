"""`metricloop catalog changes`, `metricloop audit` and `explain --user`: the definition changelog, the audit
trail, and what one person would get for a query.

    metricloop catalog changes [--json] [--metric M]
    metricloop audit [--since D] [--user U] [--format csv|json]
    metricloop explain -m M [...] --user U [--json]     (the command is in cli.py; the report is built here)

Both read the durable store (METRICLOOP_STORE_PATH). The changelog is written by every catalog load (serve's
start-up, `catalog check`); the audit trail by the Slack app (questions, clicks, modal submissions, replies).
"""
from __future__ import annotations

import datetime as dt
import json
import sys

import typer

from metricloop.adapters.store_governance import DefinitionVersion
from metricloop.adapters.store_open import open_configured_store
from metricloop.audit import export_csv, export_rows
from metricloop.core.catalog.access import AccessDenied, metric_inputs
from metricloop.core.query import MetricQuery
from metricloop.errors import UserError
from metricloop.loop.changelog import record_catalog_safely
from metricloop.runtime import load_catalog_for
from metricloop.service import MetricService, denied_answer
from metricloop.settings import Settings, load_settings

_JSON = typer.Option(False, "--json", help="Print one JSON list.")
_METRIC = typer.Option(None, "--metric", "-m", help="Only this metric's changes.")
_SINCE = typer.Option(None, "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
                      help="From this date or time (UTC, inclusive).")
_USER = typer.Option(None, "--user", help="Only what this user (a Slack user id) did.")
_FORMAT = typer.Option("json", "--format", help="csv or json.")


def record_definitions(settings: Settings) -> list[DefinitionVersion]:
    """Record the settings' catalog in the store (`catalog check`); the changelog entries this load made."""
    store = open_configured_store(settings)
    try:
        return record_catalog_safely(store, load_catalog_for(settings), settings.catalog_dir)
    finally:
        store.close()


def catalog_changes(as_json: bool = _JSON, metric: str | None = _METRIC) -> None:
    """Changes of metric definitions, oldest first: what changed (old → new), when, and the git commit."""
    store = open_configured_store(load_settings())
    try:
        changes = store.definition_changes(metric)
    finally:
        store.close()
    if as_json:
        print(json.dumps([c.to_json() for c in changes], ensure_ascii=False, default=str))
        return
    for change in changes:
        commit = f"  commit {change.git_commit[:12]}" if change.git_commit else ""
        print(f"{change.created_at[:16].replace('T', ' ')}  {change.metric}  {change.kind}  "
              f"{change.previous or '—'} → {change.hash or '—'}{commit}")
        for c in change.changes:
            print(f"    {c['field']}: {json.dumps(c['old'], ensure_ascii=False)} → "
                  f"{json.dumps(c['new'], ensure_ascii=False)}")
    if not changes:
        print("No definition changes recorded." if metric is None else f"No definition changes of {metric}.")


def audit(since: dt.datetime | None = _SINCE, user: str | None = _USER, fmt: str = _FORMAT) -> None:
    """Export the audit trail: every question (text, interpretation, SQL, rows, latency, status), click, modal
    submission and adjustment, oldest first."""
    if fmt not in ("csv", "json"):
        raise UserError(f"Unknown format {fmt!r}; use csv or json.")
    store = open_configured_store(load_settings())
    try:
        start = since.replace(tzinfo=dt.UTC).isoformat() if since else None
        entries = store.audit_entries(since=start, user=user)
    finally:
        store.close()
    if fmt == "csv":
        export_csv(entries, sys.stdout)
    else:
        print(json.dumps(export_rows(entries), ensure_ascii=False, default=str))


def explain_for(service: MetricService, query: MetricQuery, user: str | None, dialect: str) -> dict:
    """What `user` (id, e-mail or @handle; None: the local operator) would get for `query`, as Slack applies
    their policy: each metric allowed or denied (and the hidden metrics a denied one is built on), the row
    filters added to every measure, and the SQL as they would see it — none when the query is denied."""
    policy = service.policy_for(user)
    metrics = []
    for name in query.metrics:
        allowed = policy is None or policy.can_see(name)
        metric = service.catalog.metric(name)
        hidden = [] if allowed or metric is None else [i for i in metric_inputs(metric)
                                                       if service.catalog.metric(i) and not policy.can_see(i)]
        metrics.append({"metric": name, "allowed": allowed, **({"hidden_inputs": hidden} if hidden else {})})
    report = {"user": "operator" if policy is None else policy.who,
              "groups": sorted(policy.groups) if policy is not None else [],
              "row_filters": [f.model_dump(mode="json") for f in (policy.row_filters if policy else ())],
              "metrics": metrics, "status": "allowed", "sql": None, "message": None}
    try:
        report["sql"] = service.explain(query, dialect, user=policy)
    except AccessDenied as exc:  # the same words Slack would say, and no SQL
        report.update(status="denied", message=denied_answer(query, exc, "en").message)
    return report


def print_explanation(report: dict) -> None:
    """The report of `explain_for` for a terminal: who, their groups and row filters, each metric, the SQL."""
    groups = ", ".join(report["groups"]) or "none"
    print(f"user: {report['user']} (groups: {groups})")
    rows = [f"{f['dimension']} {f['op']} {', '.join(map(str, f['values']))}" for f in report["row_filters"]]
    print(f"row filters: {'; '.join(rows) if rows else 'none (every row)'}")
    for m in report["metrics"]:
        built = f" (built on hidden {', '.join(m['hidden_inputs'])})" if m.get("hidden_inputs") else ""
        print(f"{m['metric']}: {'allowed' if m['allowed'] else 'denied'}{built}")
    print(report["sql"] if report["status"] == "allowed" else f"denied: {report['message']}")


def register(app: typer.Typer, catalog_app: typer.Typer) -> None:
    """Add `audit` to `metricloop` and `changes` to `metricloop catalog`."""
    app.command("audit")(audit)
    catalog_app.command("changes")(catalog_changes)
