"""`metricloop catalog words | teach | forget`: the words owners taught for their metrics, from a terminal.

    metricloop catalog words [--metric M] [--json]
    metricloop catalog teach "落槌额" hammer_total
    metricloop catalog forget "落槌额"
    metricloop catalog gaps [--since D] [--json]      (the words people asked with that no metric has yet)

The operator (whoever runs the CLI on the bot's host) may teach for any metric; in Slack only a metric's owner
may (`/metrics teach`, slack/teaching.py — the same rules and the same replies). Words live in the durable store
(METRICLOOP_STORE_PATH / METRICLOOP_STORE_URL); a running bot picks them up within a minute, and its channel
hears of each (the notices outbox).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re

import typer

from metricloop.adapters.store_open import open_configured_store
from metricloop.audit import trail_for
from metricloop.core.text import has_cjk
from metricloop.errors import UserError
from metricloop.runtime import build_service, load_catalog_for, relearner
from metricloop.service import MetricService
from metricloop.settings import Settings, load_settings
from metricloop.slack.teaching import TeachingDesk, TeachingReply, current_gaps, gaps_text, reader, teaching_reply

_JSON = typer.Option(False, "--json", help="Print one JSON list.")
_METRIC = typer.Option(None, "--metric", "-m", help="Only this metric's words.")
_SINCE = typer.Option(None, "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
                      help="Questions from this date or time on (UTC, inclusive).")
OPERATOR = "operator"


def operator_teaching(settings: Settings, verb: str, arg: str, service: MetricService | None = None,
                      channel: str = "cli") -> TeachingReply:
    """One teaching verb (teach | forget | words) as the operator, who may teach for any metric. A word to teach
    is first read as a question by `service`'s interpreter (built here when None), as the bot reads it; a given
    `service` (the terminal chat's) relearns at once when a word changed."""
    own = service is None
    if own and verb == "teach":
        service = build_service(settings, understanding=True)
    store = open_configured_store(settings)
    try:
        understander = service.understander if service else None
        desk = TeachingDesk(catalog=service.catalog if service else load_catalog_for(settings), store=store,
                            owns=lambda *_: True, mention=lambda person: person or "—",
                            reads_as=reader(understander, service.today) if understander else None,
                            values=understander.value_map if understander else None)
        who = f"{OPERATOR}:{os.environ.get('USER', '')}".rstrip(":")
        reply = teaching_reply(verb, arg, who, desk, "zh" if has_cjk(arg) else "en")
        if reply.audit is not None:
            trail = trail_for(store)
            trail.record(who, f"{verb}_word", reply.audit, channel=channel)
            trail.flush()
        if reply.changed and not own and service is not None:
            relearner(settings, service, store, service.clock, None)()
    finally:
        store.close()
    return reply


def _run(verb: str, arg: str) -> str:
    """One teaching verb as the operator; its reply without Slack's mrkdwn (a refusal fails the command)."""
    reply = operator_teaching(load_settings(), verb, arg)
    if reply.audit is None and verb != "words":  # nothing changed: say why, and fail the command
        raise UserError(plain(reply.text))
    return plain(reply.text)


def plain(text: str) -> str:
    """A reply without Slack's mrkdwn: no bold marks, user mentions as the bare id."""
    return re.sub(r"<@(?:operator:)?([^>]+)>", r"\1", text.replace("*", ""))


def words(metric: str | None = _METRIC, as_json: bool = _JSON) -> None:
    """The words taught for metrics (all, or one metric's), oldest first."""
    if as_json:
        store = open_configured_store(load_settings())
        try:
            taught = store.taught_words(metric)
        finally:
            store.close()
        print(json.dumps([{"phrase": w.phrase, "kind": w.kind, "target": w.target, "taught_by": w.taught_by,
                           "at": w.at} for w in taught], ensure_ascii=False))
        return
    print(_run("words", metric or ""))


def teach(phrase: str = typer.Argument(..., help="The words people use, e.g. \"hammer total\" or 落槌额."),
          metric: str = typer.Argument(..., help="What they mean: a metric (name or label), a dimension, or a value "
                                                 "(\"channel: Online\", or the value alone).")) -> None:
    """Teach a phrase for a metric (questions using it ask for that metric), a dimension or a value."""
    print(_run("teach", f"{phrase} = {metric}"))


def forget(phrase: str = typer.Argument(..., help="A phrase taught before.")) -> None:
    """Forget a taught phrase (the record of who taught it stays in the store)."""
    print(_run("forget", phrase))


def gaps(since: dt.datetime | None = _SINCE, as_json: bool = _JSON) -> None:
    """The words people asked with (in Slack) that no metric has yet, most asked first, each with a question
    that used it: what an owner teaches first."""
    store = open_configured_store(load_settings())
    try:
        found = current_gaps(store, since.replace(tzinfo=dt.UTC).isoformat() if since else None)
    finally:
        store.close()
    if as_json:
        print(json.dumps([g.to_json() for g in found], ensure_ascii=False))
        return
    print(plain(gaps_text(found).replace("/metrics teach <words> = <metric>", "metricloop catalog teach <words> "
                                                                             "<metric> (or /metrics teach in Slack)")))


def register(catalog_app: typer.Typer) -> None:
    """Add `words`, `teach`, `forget` and `gaps` to `metricloop catalog`."""
    catalog_app.command("words")(words)
    catalog_app.command("teach")(teach)
    catalog_app.command("forget")(forget)
    catalog_app.command("gaps")(gaps)
