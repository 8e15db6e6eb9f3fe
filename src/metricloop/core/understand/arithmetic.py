"""Arithmetic between two metric mentions ("gross revenue minus revenue", "payroll cost plus bonuses", "claims per
1,000 shipments", 收入减去退款), and the governed metric that is its result, if the catalog has one. Pure.
"""
from __future__ import annotations

import re

from metricloop.core.catalog.model import Catalog
from metricloop.core.text import STOPWORDS, humanise, tokens

# Arithmetic between two metric mentions ("gross revenue minus revenue", 收入减去退款): a number no
# governed metric defines. ("plus", "and", "/" join two metrics answered side by side.)
# "claims per 1,000 shipments" between two metrics is a division too: the governed ratio, never one of the two
_PER_METRIC = r"per\s+(?:(?:[\d,]+|a|an|each|every|one|hundred|thousand)\s+)?|每(?:[\d,]+|千|百|万)?"
_ARITH = re.compile(r"\s*(?:minus|less|subtract(?:ed|ing)?|divided\s+by|times|multiplied\s+by|-|−|\*|×|÷"
                    r"|减去|减|除以|乘以|" + _PER_METRIC + r")\s*(?:the\s+|our\s+)?")


_PLUS = re.compile(r"\s*(?:plus|\+|加上|加)\s*(?:the\s+|our\s+)?")
_OPERATORS = (("-", re.compile(r"\s*(?:minus|less|subtract(?:ed|ing)?|-|−|减去|减)\s*(?:the\s+|our\s+)?")),
              ("/", re.compile(r"\s*(?:divided\s+by|/|÷|除以|" + _PER_METRIC + r")\s*(?:the\s+|our\s+)?")),
              ("+", _PLUS))
_SCALE = {"hundred": 100.0, "thousand": 1000.0, "千": 1000.0, "百": 100.0, "万": 10000.0}


def arithmetic_between(groups: list, low: str) -> tuple[str, list[str], str, tuple[int, int]] | None:
    """(the words, the two metrics, the operator, the span) when two metric mentions are joined by an
    arithmetic operator ("payroll cost plus bonuses", "gross revenue minus revenue", 收入减去退款)."""
    for a, b in zip(groups, groups[1:], strict=False):
        gap = low[a[0].end : b[0].start]
        if _ARITH.fullmatch(gap) or _PLUS.fullmatch(gap):
            names = list(dict.fromkeys(h.entry.target for h in (*a, *b)))
            op = next((o for o, rx in _OPERATORS if rx.fullmatch(gap)), "*")
            scale = re.search(r"\d[\d,]*|hundred|thousand|千|百|万", gap) if op == "/" else None
            if scale:  # "per 1,000": the ratio scaled so
                op += str(_SCALE.get(scale.group(0)) or float(scale.group(0).replace(",", "")))
            return low[a[0].start : b[0].end], names, op, (a[0].start, b[0].end)
    return None


def governed_result(catalog: Catalog, names: list[str], op: str) -> str | None:
    """The governed metric that *is* `A op B` (a derived `expr`, or a ratio for "/"), if the catalog has one."""
    if len(names) != 2:
        return None
    a, b = names
    scale = float(op[1:]) if op.startswith("/") and len(op) > 1 else None
    op = op[:1]
    wanted = {f"{a}{op}{b}"} | ({f"{b}{op}{a}"} if op in "+*" else set())
    if scale is not None:  # "claims per 1,000 shipments" is claims * 1000 / shipments, and only that
        wanted = {f"{a}*{n}/{b}" for n in (f"{scale:g}", f"{scale:.1f}", str(int(scale)))} \
            | {f"{n}*{a}/{b}" for n in (f"{scale:g}", f"{scale:.1f}", str(int(scale)))}
    for m in catalog.supported_metrics():
        if m.type == "ratio" and op == "/" and scale is None and m.numerator and m.denominator \
                and (m.numerator.name, m.denominator.name) == (a, b):
            return m.name
        inputs = {i.alias or i.name: i for i in m.metrics}
        if m.type == "derived" and m.expr and set(inputs) == {a, b} \
                and not any(i.filter or i.offset_window or i.offset_to_grain for i in inputs.values()) \
                and re.sub(r"\s+", "", m.expr) in wanted:
            return m.name
    return None


# words before "per" that name no quantity of their own ("how much per trip", "average per order")
_NO_QUANTITY = frozenset({"much", "many", "average", "avg", "mean", "total", "amount", "number", "count", "typical",
                          "usual", "overall", "what", "how", "is", "was", "our", "the", "that", "this"})
# "cost per bike rebalanced": words that are no metric of their own, then "per" and a metric mention
_PER_BEFORE = re.compile(r"\b([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)\s+per\s+(?:the\s+|each\s+|a\s+|an\s+)?$")


def per_mention(catalog: Catalog, groups: list, low: str) \
        -> tuple[str | None, str, tuple[int, int], str, tuple[str, ...]] | None:
    """(the ratio, the words, the span, the metric after "per", every ratio over it) for "<words> per <metric>" where
    the words are no metric mention: the ratio is the governed one whose denominator is that metric and whose name
    holds one of the words ("cost per bike rebalanced" is Rebalancing cost per bike, never Bikes rebalanced), or
    None when no name holds them — the metric after "per" alone is then never the answer."""
    for group in groups:
        names = {h.entry.target for h in group}
        m = _PER_BEFORE.search(low[: group[0].start])
        if len(names) != 1 or not m:
            continue
        said = set(tokens(m.group(1))) - STOPWORDS - _NO_QUANTITY
        if not said:
            continue
        over = [r for r in catalog.supported_metrics() if r.type == "ratio" and r.denominator
                and r.denominator.name in names and r.name not in names]
        found = [r.name for r in over
                 if said & set(tokens(" ".join((humanise(r.name), r.label or "", humanise(r.numerator.name)))))]
        return (found[0] if len(found) == 1 else None), m.group(1), (m.start(1), group[-1].end), next(iter(names)), \
            tuple(r.name for r in over)
    return None
