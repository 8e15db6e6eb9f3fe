"""Which slice anomalies are worth a notice. Pure.

A metric watched overall and per slice value is judged dozens of times a day, so a band that gives one false
alarm a month on one series gives one a day over all of them: owners would mute the bot. Three rules keep the
slices honest without losing a real regional drop (DESIGN §6: a slice with about 50 orders a day is watched):

1. **Family-wise threshold.** The band of every slice series of a metric is widened so that the chance that
   *any* of its N slices crosses on an ordinary day is about the chance that one series crosses the metric's
   own band (Šidák on the normal tail: the one-sided tail ``q`` of the base threshold becomes ``q / N``).
   A metric with 16 slices and the medium band (z 4) judges its slices at z 4.65.
2. **Material slices only.** A slice judged on a day must have carried at least ``MIN_SHARE`` of the metric's
   volume (the value for sums and counts, the denominator for ratios) over the weeks before it; a handful of
   orders in a marketplace channel is noise whatever its percentage change. Averages, medians and formulas
   carry no volume, so a handful of tickets cannot be told from a crowd: their slices must break the band by a
   wide margin (``WIDE_MARGIN`` times its half-width).
3. **Covered by the overall notice.** When the whole metric alerts the same day in the same direction, a slice
   that merely moves with it (its relative deviation less than ``COVERED_FACTOR`` times the whole's) adds
   nothing: the overall notice names where the change came from (contributors). A slice that moved far more
   than the whole (a concentrated failure) still gets its own notice.

Dimensions the metric's own filter conditions on (revenue counts completed orders only, so "revenue by order
status" is one value) are not sliced at all; ``loop/scanner`` finds them in the filters.
"""
from __future__ import annotations

import math
from statistics import NormalDist

MIN_SHARE = 0.03  # a slice under 3% of the metric's volume is not judged
COVERED_FACTOR = 1.5  # a slice moving less than 1.5 times as much (relatively) as the alerting whole is covered by it
WIDE_MARGIN = 2.0  # slices without a volume (averages, formulas) must break twice the band's half-width
SHARE_DAYS = 28  # the share is the slice's median volume over these days before the judged day, over the whole's
_NORMAL = NormalDist()


def slice_threshold(base: float, slices: int) -> float:
    """The band half-width (robust z) for each of ``slices`` slice series of a metric whose own band is
    ``base``: the family of slices crosses about as often as one series crosses ``base``."""
    if slices <= 1:
        return base
    tail = 1.0 - _NORMAL.cdf(base)
    if tail <= 0.0:
        return base
    return max(base, _NORMAL.inv_cdf(1.0 - tail / slices))


def material(slice_volume: float | None, whole_volume: float | None, min_share: float = MIN_SHARE) -> bool:
    """True when a slice's typical volume is at least ``min_share`` of the whole's (unknown volumes pass:
    averages have no volume to compare, and the family-wise band still applies to them)."""
    if slice_volume is None or whole_volume is None or not math.isfinite(whole_volume) or whole_volume <= 0:
        return True
    return slice_volume >= min_share * whole_volume


def wide_break(severity: float, threshold: float, margin: float = WIDE_MARGIN) -> bool:
    """True when a judged value lies beyond ``margin`` times the band's half-width (in robust z units)."""
    return abs(severity) >= margin * threshold


def relative(value: float, expected: float) -> float:
    """Relative deviation from the expected value (0 when nothing was expected)."""
    return (value - expected) / abs(expected) if expected else 0.0


def covered(slice_change: float, whole_change: float, *, same_direction: bool,
            factor: float = COVERED_FACTOR) -> bool:
    """True when the whole alerts in the same direction and the slice's relative deviation is less than
    ``factor`` times the whole's: the overall notice already says it."""
    if not same_direction or whole_change == 0:
        return False
    return abs(slice_change) < factor * abs(whole_change)
