"""Metric layers: strategic → operational → execution, through `meta.drivers` and formula inputs. Pure.

A metric's drivers are the metrics listed in `meta.drivers` plus the inputs of its formula (a ratio's
numerator and denominator, a derived metric's metrics), each once and never itself. The tree under a metric
follows drivers down; each metric is expanded once and later mentions point back to it (catalogs may have
cycles, and one driver often feeds several metrics). `driven_by` lists the metrics one layer above.
"""
from __future__ import annotations

from dataclasses import dataclass

from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.present.texts import say

TIER_ORDER = {"strategic": 0, "operational": 1, "execution": 2}


@dataclass(frozen=True)
class TreeNode:
    """A metric and the drivers under it. `repeat`: already expanded higher up in the tree."""

    metric: str
    tier: str | None
    children: tuple[TreeNode, ...] = ()
    repeat: bool = False
    missing: bool = False  # named as a driver but not in the catalog


def _rank(metric: Metric | None) -> int | None:
    return TIER_ORDER.get(metric.meta.tier or "") if metric is not None else None


def drivers(catalog: Catalog, metric: Metric) -> tuple[str, ...]:
    """The metrics driving `metric`: meta.drivers first, then formula inputs; each once, never itself.

    A formula input on a higher tier is not a driver (AOV = revenue / orders does not make revenue drive
    AOV when revenue is strategic and AOV operational): layers flow down. Listed drivers always count."""
    names = list(metric.meta.drivers)
    inputs: list[str] = []
    if metric.type == "ratio":
        inputs = [i.name for i in (metric.numerator, metric.denominator) if i is not None]
    elif metric.type == "derived":
        inputs = [i.name for i in metric.metrics]
    own = _rank(metric)
    for name in inputs:
        rank = _rank(catalog.metric(name))
        if own is None or rank is None or rank >= own:
            names.append(name)
    return tuple(n for n in dict.fromkeys(names) if n != metric.name)


def driven_by(catalog: Catalog, name: str) -> tuple[str, ...]:
    """The metrics `name` drives (one layer up), sorted by tier then name."""
    above = [m for m in catalog.metrics if m.name != name and name in drivers(catalog, m)]
    return tuple(m.name for m in sorted(above, key=lambda m: (TIER_ORDER.get(m.meta.tier or "", 3), m.name)))


def metric_tree(catalog: Catalog, name: str, max_depth: int = 6) -> TreeNode:
    """The tree of drivers under metric `name` (KeyError when there is no such metric). Each metric is
    expanded once, where it first appears (depth first); later appearances are marked `repeat`."""
    if catalog.metric(name) is None:
        raise KeyError(name)
    expanded: set[str] = set()

    def node(metric_name: str, depth: int) -> TreeNode:
        metric = catalog.metric(metric_name)
        if metric is None:
            return TreeNode(metric_name, None, missing=True)
        if metric_name in expanded:
            return TreeNode(metric_name, metric.meta.tier, repeat=True)
        expanded.add(metric_name)
        kids = () if depth >= max_depth else tuple(node(d, depth + 1) for d in drivers(catalog, metric))
        return TreeNode(metric_name, metric.meta.tier, kids)

    return node(name, 0)


def tree_lines(catalog: Catalog, root: TreeNode, lang: str = "en") -> list[str]:
    """The tree as indented text lines: `Revenue (revenue) · strategic`, drivers below with ├─ / └─."""
    def label(n: TreeNode) -> str:
        metric = catalog.metric(n.metric)
        if metric is None:
            return n.metric + say("tree_missing", lang)
        text = f"{metric.display_name} ({n.metric})"
        if n.tier:
            text += " · " + say(f"tier_{n.tier}", lang)
        return text + (say("tree_repeat", lang) if n.repeat else "")

    lines = [label(root)]

    def walk(n: TreeNode, prefix: str) -> None:
        for i, child in enumerate(n.children):
            last = i == len(n.children) - 1
            lines.append(f"{prefix}{'└─ ' if last else '├─ '}{label(child)}")
            walk(child, prefix + ("   " if last else "│  "))

    walk(root, "")
    above = driven_by(catalog, root.metric)
    if above:
        lines.append(say("tree_drives", lang, names=", ".join(above)))
    return lines
