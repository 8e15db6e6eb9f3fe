"""`metricloop digest`, `metricloop actions` and `metricloop catalog tree`: the loop's digests, corrective
actions and metric layers from the terminal.

    metricloop digest [--date D] [--dry-run] [--json] [--target T]
    metricloop actions [--open] [--json]
    metricloop catalog tree METRIC [--json]

`digest` builds each recipient's digest for day D (default today: it reports the latest complete period
before D). With SLACK_BOT_TOKEN set and without --dry-run it posts them to Slack exactly like the scheduler
(once per recipient and day: whatever the scheduler already sent is not sent again); otherwise it prints them.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from metricloop.adapters.store_open import open_configured_store
from metricloop.cli_options import CATALOG, JSON_LIST, WAREHOUSE
from metricloop.errors import UserError

_DATE = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="The digest's day (default today).")
_DRY = typer.Option(False, "--dry-run", help="Build and print; post and record nothing.")
_TARGET = typer.Option([], "--target", "-t", help="Only these recipients (channel or user; repeat).")
_OPEN = typer.Option(False, "--open", help="Only open actions.")



def digest(date: dt.datetime | None = _DATE, dry_run: bool = _DRY, as_json: bool = JSON_LIST,
           target: list[str] = _TARGET, catalog: Path | None = CATALOG, warehouse: Path | None = WAREHOUSE) -> None:
    """Build (and send) the digests: each channel in loop.yml's digest.channels and each following user."""
    from metricloop.clock import FixedClock, SystemClock
    from metricloop.core.loop.digest_text import digest_text
    from metricloop.core.present.texts import say
    from metricloop.loop.digester import Digester
    from metricloop.runtime import build_service
    from metricloop.settings import load_settings

    settings = load_settings(catalog_dir=catalog, warehouse=warehouse)
    day = date.date() if date else SystemClock(settings.timezone).today()
    service = build_service(settings, clock=FixedClock(day, settings.timezone))
    store = open_configured_store(settings)
    digester = Digester(service, store)
    targets = [t for t in digester.targets() if not target or t.key in target]
    if target and not targets:
        raise UserError(f"No digest goes to {', '.join(target)} (see digest.channels in loop.yml, and follows).")
    send = settings.slack_configured and not dry_run
    if send:
        from metricloop.adapters.charts import VegaChartRenderer
        from metricloop.slack.app import make_client
        from metricloop.slack.digest_blocks import SlackDigestPoster

        digester.poster = SlackDigestPoster(make_client(settings), service.catalog, VegaChartRenderer())
    out = []
    now = dt.datetime.now(dt.UTC)
    for t in targets:
        built = digester.build(t, day)
        failed: dict[str, str] = {}
        try:
            outcome = digester.send(t, day, now, built) if send else ("empty" if built.empty else "printed")
        except UserError as exc:  # a channel Slack lacks, or the bot is not in: say so, send the others
            outcome, failed = "failed", {"error": exc.message}
            print(f"{t.key}: {exc.message}", file=sys.stderr)
        out.append({**built.to_json(), "language": t.language, "outcome": outcome, **failed})
        if as_json:
            continue
        if built.empty:
            print(say("digest_not_sent_empty", t.language, target=t.key, period=day.isoformat()))
            continue
        print(f"== {t.key} ({outcome})")
        print(digest_text(service.catalog, built, t.language))
        print()
    if as_json:
        print(json.dumps(out, ensure_ascii=False, default=str))


def actions(open_only: bool = _OPEN, as_json: bool = JSON_LIST) -> None:
    """Corrective actions by due date: metric, owner, due (overdue marked), plan, status, review verdict."""
    from metricloop.core.present.texts import say
    from metricloop.settings import load_settings

    settings = load_settings()
    store = open_configured_store(settings)
    today = dt.date.today()
    rows = []
    for a in store.actions(status="open" if open_only else None):
        alert = store.get_alert(a.alert_id)
        review = json.loads(a.review_result) if a.review_result else None
        rows.append({**asdict(a), "metric": alert.metric if alert else None, "alert_day": alert.day if alert else None,
                     "overdue": a.status == "open" and a.due < today.isoformat(), "review": review})
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if not rows:
        print(say("actions_none", "en"))
    for r in rows:
        verdict = f"  review: {r['review']['outcome']}" if r["review"] else ""
        late = " OVERDUE" if r["overdue"] else ""
        print(f"#{r['id']} due {r['due']}{late}  {r['metric']} (alert {r['alert_day']})  {r['status']}  "
              f"owner {r['owner']}: {r['plan']}{verdict}")


def catalog_tree(metric: str = typer.Argument(..., help="The metric's name."), as_json: bool = JSON_LIST,
                 catalog: Path | None = CATALOG) -> None:
    """A metric's layers: the metrics that drive it (meta.drivers, formula inputs) and those it drives."""
    from metricloop.core.loop.tree import TreeNode, driven_by, metric_tree, tree_lines
    from metricloop.core.text import suggest
    from metricloop.runtime import load_catalog_for
    from metricloop.settings import load_settings

    cat = load_catalog_for(load_settings(catalog_dir=catalog))
    if cat.metric(metric) is None:
        hints = suggest(metric, [m.name for m in cat.metrics], n=1)
        raise UserError(f"Unknown metric {metric!r}." + (f" Did you mean {hints[0]!r}?" if hints else ""))
    root = metric_tree(cat, metric)
    if not as_json:
        print("\n".join(tree_lines(cat, root)))
        return

    def node(n: TreeNode) -> dict[str, Any]:
        return {"metric": n.metric, "tier": n.tier, "repeat": n.repeat, "missing": n.missing,
                "drivers": [node(c) for c in n.children]}

    print(json.dumps({**node(root), "drives": list(driven_by(cat, metric))}, ensure_ascii=False))


def register(app: typer.Typer, catalog_app: typer.Typer) -> None:
    """Add `digest`, `actions` and `catalog tree` to the `metricloop` command."""
    app.command("digest")(digest)
    app.command("actions")(actions)
    catalog_app.command("tree")(catalog_tree)
