"""`metricloop scan` and `metricloop alerts`: the anomaly scan and its stored alerts from the terminal.

    metricloop scan [--date D | --from D1 --to D2] [--dry-run] [--json] [--metric M]
    metricloop alerts [--open] [--json]
    metricloop history METRIC [--json]

A range evaluates each day as if it were that day. Without --dry-run anomalies and freshness problems are
stored with their notices (once per natural key) and the pending notices are posted: printed here, or left
for the Slack notifier (loop.outbox.post_pending) when SLACK_BOT_TOKEN is set.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from metricloop.adapters.store_open import open_configured_store
from metricloop.cli_options import CATALOG, JSON_LIST, WAREHOUSE
from metricloop.errors import UserError
from metricloop.progress import progress_bar

_TEXT = {
    "en": {"none": "No anomalies from {start} to {end} ({series} series, {queries} queries, {secs:.1f} s).",
           "found": "{n} anomalies from {start} to {end} ({series} series, {queries} queries, {secs:.1f} s):",
           "stale": "Data freshness: {model} has no data for {day} (latest: {latest}); its metrics are not judged.",
           "stored": "{created} new alert(s) stored; {posted} notice(s) posted.",
           "pending": "{pending} notice(s) wait in the outbox for the Slack notifier.",
           "dates": "Give --date, or both --from and --to (not both forms)."},
}


def _text(key: str, **values: object) -> str:
    return _TEXT["en"][key].format(**values)


def _days(date: dt.datetime | None, start: dt.datetime | None, end: dt.datetime | None,
          today: dt.date) -> tuple[dt.date, dt.date]:
    if date is not None and (start or end) or bool(start) != bool(end):
        raise UserError(_text("dates"))
    if start and end:
        if start > end:
            raise UserError(f"The start {start.date()} is after the end {end.date()}.")
        return start.date(), end.date()
    day = date.date() if date else today - dt.timedelta(days=1)  # yesterday: the last complete day
    return day, day


def _line(a) -> str:  # noqa: ANN001 - an Anomaly
    where = ", ".join(f"{k}={v}" for k, v in a.slice) or "all"
    why = "; ".join(f"{c.value} ({c.dimension}) {c.share:.0%}" for c in a.contributors[:2])
    drivers = f"; drivers: {', '.join(a.drivers)}" if a.drivers else ""
    return (f"{a.day}  {a.metric} [{where}] {a.direction}: {a.value:,.4g} vs expected {a.expected:,.4g} "
            f"({a.lower:,.4g} – {a.upper:,.4g}), z {a.severity:+.1f}" + (f"; {why}" if why else "") + drivers)


_DATE = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="Day to scan (default: yesterday).")
_FROM = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="First day of a range.")
_TO = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="Last day of a range.")
_DRY = typer.Option(False, "--dry-run", help="Store and post nothing.")
_METRIC = typer.Option([], "--metric", "-m", help="Only these metrics (repeat).")
_OPEN = typer.Option(False, "--open", help="Only alerts not yet acknowledged or resolved.")


def scan(date: dt.datetime | None = _DATE, start: dt.datetime | None = _FROM, end: dt.datetime | None = _TO,
         dry_run: bool = _DRY, as_json: bool = JSON_LIST, metric: list[str] = _METRIC,
         catalog: Path | None = CATALOG, warehouse: Path | None = WAREHOUSE) -> None:
    """Scan metrics for anomalies: yesterday by default, a day (--date) or each day of a range."""
    from metricloop.clock import FixedClock, SystemClock
    from metricloop.loop.scanner import run_scan
    from metricloop.runtime import build_service
    from metricloop.settings import load_settings

    settings = load_settings(catalog_dir=catalog, warehouse=warehouse)
    first, last = _days(date, start, end, SystemClock(settings.timezone).today())
    service = build_service(settings, clock=FixedClock(last, settings.timezone))
    unknown = [m for m in metric if service.catalog.metric(m) is None]
    if unknown:
        raise UserError(f"Unknown metric {', '.join(map(repr, unknown))}.")
    store = None if dry_run else open_configured_store(settings)
    with progress_bar(f"scanning {first} – {last}" if first != last else f"scanning {last}", quiet=as_json) as tick:
        result = run_scan(service, store, last, start=first, dry_run=dry_run, only=set(metric) or None,
                          progress=tick)
    out = sys.stderr if as_json else sys.stdout
    if as_json:
        print(json.dumps([a.to_json() for a in result.anomalies], ensure_ascii=False))
    else:
        key = "found" if result.anomalies else "none"
        print(_text(key, n=len(result.anomalies), start=first, end=last, series=result.series,
                    queries=result.queries, secs=result.elapsed_s))
        for a in result.anomalies:
            print("  " + _line(a))
    for problem in result.freshness:
        print(_text("stale", model=problem.model, day=problem.expected_day, latest=problem.latest_day), file=out)
    for error in result.errors:
        print(f"query failed: {error}", file=sys.stderr)
    if store is not None:
        _post(store, settings, result.created, out, service)



def _post(store, settings, created: int, out, service=None) -> None:  # noqa: ANN001
    from metricloop.loop.outbox import PrintNotifier, post_pending

    if settings.slack_configured:
        from metricloop.adapters.charts import VegaChartRenderer
        from metricloop.slack.app import make_client
        from metricloop.slack.notifier import build_notifier

        # Slack: the notices go to their channels now (what fails stays pending for serve or the next scan)
        notifier = build_notifier(make_client(settings), store, service, VegaChartRenderer())
        posted = post_pending(store, notifier)
        print(_text("stored", created=created, posted=posted), file=out)
        if store.pending_notices():
            print(_text("pending", pending=len(store.pending_notices())), file=out)
            for problem in notifier.channel_problems(store.pending_notices()):  # e.g. "#sales" missing in Slack
                print(problem, file=out)
        return
    posted = post_pending(store, PrintNotifier(out=out))
    print(_text("stored", created=created, posted=posted), file=out)


def alerts(open_only: bool = _OPEN, as_json: bool = JSON_LIST) -> None:
    """Stored alerts, newest day first."""
    from metricloop.settings import load_settings

    store = open_configured_store(load_settings())
    found = store.alerts(status="open" if open_only else None)
    if as_json:
        print(json.dumps([asdict(a) for a in found], ensure_ascii=False, default=str))
        return
    for a in found:
        where = ", ".join(f"{k}={v}" for k, v in sorted(a.slice.items())) or "all"
        print(f"#{a.id} {a.day}  {a.metric} [{where}] {a.direction}  {a.status}  value {a.value} "
              f"expected {a.expected}" + (f"  posted {a.channel}/{a.ts}" if a.ts else ""))
    if not found:
        print("No alerts." if not open_only else "No open alerts.")


def history(metric: str = typer.Argument(..., help="The metric's name."), as_json: bool = JSON_LIST,
            catalog_dir: Path | None = CATALOG) -> None:
    """A metric's alerts, acknowledgements, actions, reviews, adjustments and comments, in time order."""
    from metricloop.core.loop.history import kind_label
    from metricloop.loop.history import metric_history
    from metricloop.runtime import load_catalog_for
    from metricloop.settings import load_settings

    settings = load_settings(catalog_dir=catalog_dir)
    catalog = load_catalog_for(settings)
    if catalog.metric(metric) is None:
        raise UserError(f"There is no governed metric called '{metric}'.")
    entries = metric_history(open_configured_store(settings), catalog, metric)
    if as_json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, default=str))
        return
    for e in entries:
        print(f"{e.at[:16].replace('T', ' ')}  {kind_label(e.kind):<17} {e.user or '':<10} {e.text}")
    if not entries:
        print(f"Nothing recorded for {metric} yet.")


def register(app: typer.Typer) -> None:
    """Add `scan`, `alerts` and `history` to the `metricloop` command."""
    app.command("scan")(scan)
    app.command("alerts")(alerts)
    app.command("history")(history)
