"""The documented incidents planted in the demo warehouse, placed relative to its last day.

They are the ground truth for the anomaly work: each names the catalog metric that should
move, the slice it moves in (as `entity__dimension` → value) and the days affected.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np

IncidentKind = Literal["outage", "regional_drop", "refund_spike", "drift"]


@dataclass(frozen=True)
class Incident:
    """One planted event: what happened, when, and where to look for it."""

    kind: IncidentKind
    start: date
    end: date  # inclusive
    metric: str  # catalog metric that shows it best
    description: str
    slice: dict[str, str] = field(default_factory=dict)  # empty = the whole business
    factor: float = 1.0  # the planted multiplier (at the worst point, for a drift)
    also: tuple[str, ...] = ()  # other metrics that move with it

    def days(self) -> list[date]:
        """Every affected day."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


OUTAGE_FACTOR = 0.06
REGION_DROP = ("West", 0.6)
REFUND_SPIKE = ("electronics", 3.0)
PASS_RATE_DRIFT = ("Monterrey", -0.07)  # pass rate falls by 7 points over the drift
CSAT_DRIFT = -0.9  # mean CSAT score falls by 0.9 points over the drift
DRIFT_DAYS = 42


def plan_incidents(end: date) -> list[Incident]:
    """The incidents of a demo warehouse whose last day is `end` (newest data always has some)."""

    def d(k: int) -> date:
        return end - timedelta(days=k)

    region, region_factor = REGION_DROP
    category, refund_factor = REFUND_SPIKE
    plant, pass_drop = PASS_RATE_DRIFT
    return [
        Incident(
            kind="outage", start=d(8), end=d(8), metric="orders", factor=OUTAGE_FACTOR,
            also=("sessions", "revenue", "gross_revenue", "conversions", "tickets"),
            description="Checkout and site outage: orders and web sessions fall to about 6% of a normal day; "
            "support tickets jump to 2.5x.",
        ),
        Incident(
            kind="regional_drop", start=d(29), end=d(23), metric="orders", factor=region_factor,
            slice={"order__region": region}, also=("revenue", "gross_revenue", "active_customers"),
            description=f"Carrier failure in the {region} region: its orders drop 40% for a week.",
        ),
        Incident(
            kind="refund_spike", start=d(18), end=d(15), metric="refund_rate", factor=refund_factor,
            slice={"order__product_category": category}, also=("refunded_amount", "net_revenue"),
            description=f"A defective {category} shipment: orders placed on these days are refunded at 3x the "
            "usual rate, within 0-2 days (refunds dated on these days and the two after).",
        ),
        Incident(
            kind="drift", start=d(DRIFT_DAYS - 1), end=end, metric="pass_rate", factor=pass_drop,
            slice={"batch__plant": plant},
            description=f"Slow tooling wear at the {plant} plant: its pass rate slides about 7 points "
            f"over the last {DRIFT_DAYS} days.",
        ),
        Incident(
            kind="drift", start=d(DRIFT_DAYS - 1), end=end, metric="csat_satisfied_rate", factor=CSAT_DRIFT,
            also=("csat_score",),
            description=f"Support quality slips: the mean CSAT score falls about 0.9 points over the last "
            f"{DRIFT_DAYS} days, so the share of satisfied responses declines steadily.",
        ),
    ]


def ramp(n: int, end_index: int, days: int = DRIFT_DAYS) -> np.ndarray:
    """Per-day weights for a drift: 0 before it, rising linearly to 1 on day `end_index`."""
    t = np.arange(n)
    start = end_index - days + 1
    return np.clip((t - start + 1) / days, 0.0, 1.0)
