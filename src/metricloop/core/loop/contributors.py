"""Which dimension values explain an anomaly on the overall series ("72% of the drop comes from region = East").

Additive metrics (sums, counts): a value's change is its actual minus its expected; its share is that change
divided by the total change of its dimension (the sum over the dimension's values), so the shares of one
dimension add up to 1 and a value moving against the anomaly has a negative share.

Ratio metrics (conversion, average order value): the overall ratio is R = sum_i w_i r_i, where r_i is value
i's own ratio and w_i its share of the denominator. Its change splits exactly into one term per value:

    c_i = w1_i (r1_i - r0_i)  +  (w1_i - w0_i) (r0_i - R0)
          rate effect            mix effect

(1 = actual, 0 = expected). The rate effect is the value's own ratio moving, weighted by its traffic; the mix
effect is traffic moving towards a value whose usual ratio is above or below the overall one. The terms sum
to R1 - R0 because both weight vectors sum to 1. A value absent from the expected side takes R0 as its usual
ratio (no mix effect, all rate); one absent from the actual side has w1 = 0 (all mix).

Which dimension explains best: on an outage every value falls with the whole, so "93% of the drop comes from
status = completed" is true and says nothing (completed orders are 93% of orders). A dimension is ranked by how
concentrated its change is: the distance between each value's part of the change and its part of the usual
volume (half the sum of |change share - volume share|, 0 when every value moves in proportion, near 1 when one
small value carries it all). Values that carry more of the change than of the volume come first, those of the
most concentrated dimension before the others; then the remaining values by share.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

Key = tuple[str, str]


@dataclass(frozen=True)
class Contribution:
    """One dimension value's part in the deviation. For ratios ``actual``/``expected`` are the value's own
    ratio and ``change`` is its effect on the overall ratio (rate + mix). ``share`` is signed: the part of
    its dimension's total deviation it explains."""

    dimension: str
    value: str
    actual: float
    expected: float
    change: float
    share: float


def contributors(actual: Mapping[Key, float], expected: Mapping[Key, float], *, top: int = 3,
                 ratio_parts: Mapping[Key, tuple[float, float]] | None = None) -> list[Contribution]:
    """The ``top`` dimension values that explain most of the deviation: over-represented values of the most
    concentrated dimension first (see the module docstring), largest share first within a dimension.

    Keys are (dimension, value). Additive metrics: ``actual``/``expected`` are each value's amounts; a value
    missing from one side counts as 0 there (a region that sold nothing today). Ratio metrics: ``actual``/
    ``expected`` are each value's ratio and ``ratio_parts`` gives each value's (actual denominator, expected
    denominator); see the module docstring for the decomposition. Only values pushing in their dimension's
    direction (share > 0) are returned; a dimension whose total deviation is 0 explains nothing.
    """
    by_dim: dict[str, list[Key]] = defaultdict(list)
    for key in sorted(set(actual) | set(expected) | set(ratio_parts or {})):
        by_dim[key[0]].append(key)
    found: list[tuple[float, Contribution]] = []
    for dim, keys in by_dim.items():
        rows = _ratio_rows(keys, actual, expected, ratio_parts) if ratio_parts is not None else [
            (k, actual.get(k, 0.0), expected.get(k, 0.0), actual.get(k, 0.0) - expected.get(k, 0.0)) for k in keys]
        total = math.fsum(change for *_, change in rows)
        scale = math.fsum(abs(change) for *_, change in rows)
        if scale == 0 or abs(total) <= 1e-12 * scale:
            continue
        weights = ({k: max(ratio_parts.get(k, (0.0, 0.0))[1], 0.0) for k in keys} if ratio_parts is not None
                   else {k: abs(expected.get(k, 0.0)) for k in keys})
        volume = _volume_shares([weights[k] for k, *_ in rows])
        spread = concentration([change / total for *_, change in rows], volume)
        found += [(spread if change / total > v else None, Contribution(dim, k[1], a, e, change, change / total))
                  for (k, a, e, change), v in zip(rows, volume, strict=True)]
    found = [(spread, c) for spread, c in found if c.share > 0]
    # values carrying more of the change than of the volume, most concentrated dimension first; then the rest
    found.sort(key=lambda sc: (sc[0] is None, -round(sc[0] or 0.0, 9), -sc[1].share, -abs(sc[1].change),
                               sc[1].dimension, sc[1].value))
    return [c for _, c in found[:top]]


def _volume_shares(weights: list[float]) -> list[float]:
    total = math.fsum(weights)
    return [w / total for w in weights] if total > 0 else [1 / len(weights)] * len(weights)


def concentration(change_shares: list[float], volume_shares: list[float]) -> float:
    """How unevenly a dimension's values carry its change: half the sum of |change share - volume share|
    (0: every value moves in proportion to its usual volume)."""
    return 0.5 * math.fsum(abs(c - v) for c, v in zip(change_shares, volume_shares, strict=True))


def _ratio_rows(keys: list[Key], actual: Mapping[Key, float], expected: Mapping[Key, float],
                parts: Mapping[Key, tuple[float, float]]) -> list[tuple[Key, float, float, float]]:
    den1 = {k: max(parts.get(k, (0.0, 0.0))[0], 0.0) for k in keys}
    den0 = {k: max(parts.get(k, (0.0, 0.0))[1], 0.0) for k in keys}
    total1, total0 = math.fsum(den1.values()), math.fsum(den0.values())
    if total1 <= 0 or total0 <= 0:
        return []
    overall0 = math.fsum(den0[k] * expected.get(k, 0.0) for k in keys if den0[k] > 0) / total0
    rows = []
    for k in keys:
        w1, w0 = den1[k] / total1, den0[k] / total0
        r0 = expected.get(k, overall0) if w0 > 0 else overall0
        r1 = actual.get(k, r0) if w1 > 0 else r0
        change = w1 * (r1 - r0) + (w1 - w0) * (r0 - overall0)
        rows.append((k, r1, r0, change))
    return rows
