""""What did we keep after refunds", "take in after discounts": money asked net of other metrics. Pure.

The words after "after" ("net of", "less") name metrics that are deducted (Refunds, Discounts); the answer is the
catalog's one net metric that deducts them — a derived metric subtracting them, or one whose description says
they are taken off — never the deducted metric itself. "after the launch", "after 5pm" name no metric, and two
net metrics that both fit are left to the rest of the interpreter (asked back there).
"""
from __future__ import annotations

import re

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.text import singular, tokens
from metricloop.core.understand.kinds import name_words

_AFTER = re.compile(r"\b(?:after|net\s+of|less)\s+(?:the\s+|all\s+|any\s+|our\s+)?"
                    r"([a-z][a-z-]*(?:(?:\s*,\s*|\s+(?:and|&|plus)\s+)(?:the\s+)?[a-z][a-z-]*){0,3})")


def _deducts(metric: Metric, catalog: Catalog) -> set[str]:
    """The words of what `metric` takes off: the metrics a derived expression subtracts, and its description."""
    said = {singular(t) for t in tokens((metric.description or "").lower())}
    for part in metric.metrics:
        if metric.expr and re.search(rf"-\s*{re.escape(part.alias or part.name)}\b", metric.expr):
            subtracted = catalog.metric(part.name)
            said |= name_words(subtracted) if subtracted is not None else {singular(part.name)}
    return said


def net_after(catalog: Catalog, low: str) -> tuple[str, tuple[int, int]] | None:
    """The net metric the question asks for and the span of its "after …" words, or None."""
    m = _AFTER.search(low)
    if m is None:
        return None
    deducted = {singular(w) for w in re.findall(r"[a-z][a-z-]*", m.group(1))} - {"and", "plus", "the"}
    words = {x.name: name_words(x) for x in catalog.supported_metrics()}
    if not deducted or not deducted <= set().union(*words.values()):
        return None  # "after the launch": no metric is taken off
    nets = [x.name for x in catalog.supported_metrics() if "net" in words[x.name] and x.type != "cumulative"
            and not x.window and deducted <= _deducts(x, catalog)]
    return (nets[0], m.span()) if len(nets) == 1 else None
