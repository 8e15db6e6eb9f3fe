"""Did a corrective action work? The metric since the action against the baseline it was expected to follow.

Pure. The gap at the alert (value - expected on the anomaly day) is what the action set out to close. The
gap now is the mean of actual - expected over the days since the action started (each day's expected value
comes from the detector's baseline fitted on history before the anomaly, so the incident itself does not
lower the bar). The share of the gap closed decides the verdict:

    recovered   >= 80% of the gap closed
    partly      >= 30%
    not yet     otherwise (including a gap that grew)

An action that overshoots (a drop followed by a rise above the baseline) counts as recovered.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["recovered", "partly", "not_yet", "no_data"]
RECOVERED_SHARE = 0.8
PARTLY_SHARE = 0.3


@dataclass(frozen=True)
class Verdict:
    """The review of one action, with the numbers behind it."""

    outcome: Outcome
    days: int  # days with data since the action started
    actual: float | None  # mean actual over those days
    expected: float | None  # mean expected over those days
    gap_then: float  # value - expected on the alert day
    gap_now: float | None  # mean (actual - expected) since the action
    closed: float | None  # share of the gap closed (1 = all of it; may exceed 1 or be negative)

    def to_json(self) -> dict[str, object]:
        return {"outcome": self.outcome, "days": self.days, "actual": self.actual, "expected": self.expected,
                "gap_then": self.gap_then, "gap_now": self.gap_now, "closed": self.closed}


def review(points: Sequence[tuple[dt.date, float | None, float | None]], *, value_then: float,
           expected_then: float) -> Verdict:
    """Judge an action from `points` (day, actual, expected) since it started; `value_then` and
    `expected_then` are the alert's value and expected value on the anomaly day."""
    usable = [(a, e) for _, a, e in points
              if a is not None and e is not None and math.isfinite(a) and math.isfinite(e)]
    gap_then = value_then - expected_then
    if not usable:
        return Verdict("no_data", 0, None, None, gap_then, None, None)
    actual = sum(a for a, _ in usable) / len(usable)
    expected = sum(e for _, e in usable) / len(usable)
    gap_now = actual - expected
    closed = 1.0 - gap_now / gap_then if gap_then else None
    if (closed is not None and closed >= RECOVERED_SHARE) or (closed is None and gap_now == 0):
        outcome: Outcome = "recovered"
    elif closed is not None and closed >= PARTLY_SHARE:
        outcome = "partly"
    else:
        outcome = "not_yet"
    return Verdict(outcome, len(usable), actual, expected, gap_then, gap_now, closed)
