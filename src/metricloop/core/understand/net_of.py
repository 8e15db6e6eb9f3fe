""""What did we keep after refunds", "take in after discounts": money asked net of other metrics; "fuel charges
included": money asked with another metric added. Pure.

The words after "after" ("net of", "less") name metrics that are deducted (Refunds, Discounts); the answer is the
catalog's one net metric that deducts them — a derived metric subtracting them, or one whose description says
they are taken off — never the deducted metric itself. "after the launch", "after 5pm" name no metric, and two
net metrics that both fit are left to the rest of the interpreter (asked back there). Likewise "X included",
"including X", "plus X" name a metric added: the answer is the one derived metric adding it, never X alone.
"""
from __future__ import annotations

import re

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.text import content_tokens, singular, tokens
from metricloop.core.understand.kinds import name_words

_AFTER = re.compile(r"\b(?:after|net\s+of|less)\s+"
                    r"(?:(?:paying|deducting|subtracting|taking\s+(?:out|off)|removing)\s+)?"  # after paying the agents
                    r"(?:the\s+|all\s+|any\s+|our\s+)?"
                    r"([a-z][a-z-]*(?:(?:\s*,\s*|\s+(?:and|&|plus)\s+)(?:the\s+)?[a-z][a-z-]*){0,3})")


def _signed_parts(metric: Metric, catalog: Catalog, sign: str) -> set[str]:
    """The name words of the metrics a derived expression takes with `sign` ("-" subtracts, "+" adds)."""
    said: set[str] = set()
    for part in metric.metrics:
        if metric.expr and re.search(rf"{re.escape(sign)}\s*{re.escape(part.alias or part.name)}\b", metric.expr):
            found = catalog.metric(part.name)
            said |= name_words(found) if found is not None else {singular(part.name)}
    return said


def _deducts(metric: Metric, catalog: Catalog) -> set[str]:
    """The words of what `metric` takes off: the metrics a derived expression subtracts, and its description."""
    return {singular(t) for t in tokens((metric.description or "").lower())} | _signed_parts(metric, catalog, "-")


def net_after(catalog: Catalog, low: str) -> tuple[str, tuple[int, int]] | None:
    """The net metric the question asks for and the span of its "after …" words, or None."""
    m = _AFTER.search(low)
    if m is None:
        return None
    deducted = {singular(w) for w in content_tokens(m.group(1))}  # ("after paying the agents, what …": agents)
    words = {x.name: name_words(x) for x in catalog.supported_metrics()}
    if not deducted or not deducted <= set().union(*words.values()):
        return None  # "after the launch": no metric is taken off
    nets = [x.name for x in catalog.supported_metrics() if "net" in words[x.name] and x.type != "cumulative"
            and not x.window and deducted <= _deducts(x, catalog)]
    return (nets[0], m.span()) if len(nets) == 1 else None


_INCLUDED = re.compile(r"\b([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)\s+(?:included|incl\b\.?)"
                       r"|\b(?:including|incl\b\.?|plus|inclusive\s+of)\s+(?:the\s+|all\s+|any\s+|our\s+)?"
                       r"([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)")
# words that say only that it is money, not which money is added
_MONEY_WORDS = frozenset({"revenue", "sale", "income", "money", "charge", "fee", "cost", "amount", "total", "all",
                          "the", "and", "everything", "it", "that", "them"})


def total_including(catalog: Catalog, low: str) -> tuple[str, tuple[int, int]] | None:
    """The total the question asks for with "X included" / "including X" and the span of those words, or None:
    the one derived metric that adds a metric named by X."""
    m = _INCLUDED.search(low)
    if m is None:
        return None
    added = {singular(w) for w in re.findall(r"[a-z][a-z-]*", m.group(1) or m.group(2))} - _MONEY_WORDS
    if not added:
        return None
    totals = [x.name for x in catalog.supported_metrics() if x.type == "derived" and not x.window
              and added <= _signed_parts(x, catalog, "+")]  # (charter_revenue + fuel_surcharges)
    return (totals[0], m.span()) if len(totals) == 1 else None
