"""The record the LOOP path passes along: one anomaly on one metric, slice and day. Pure.

Produced by the scan (detect + contributors + drivers), stored by the store (its natural key makes a
notice post exactly once however often the scan runs), rendered by Slack and the CLI (`scan --json`).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from metricloop.core.loop.contributors import Contribution

Slice = tuple[tuple[str, str], ...]  # (dimension, value) pairs, sorted; () is the whole metric


def make_slice(values: dict[str, Any] | None) -> Slice:
    """A slice from a mapping of dimension → value (order-independent, values as text)."""
    return tuple(sorted((str(k), str(v)) for k, v in (values or {}).items()))


@dataclass(frozen=True)
class Anomaly:
    """A metric (or one slice of it) that broke its pattern on `day`."""

    metric: str
    day: dt.date
    value: float
    expected: float
    lower: float
    upper: float
    severity: float  # robust z: how many scale units outside the expected band (signed)
    direction: Literal["up", "down"]
    slice: Slice = ()
    contributors: tuple[Contribution, ...] = ()
    drivers: tuple[str, ...] = ()  # driver metrics that also broke pattern that day
    definition: str | None = None  # the metric definition's hash that produced it

    @property
    def slice_dict(self) -> dict[str, str]:
        return dict(self.slice)

    @property
    def deviation(self) -> float:
        """Relative change against the expected value (0.25 = 25% above); 0 when nothing was expected."""
        return (self.value - self.expected) / abs(self.expected) if self.expected else 0.0

    def key(self) -> str:
        """The natural key: metric + slice + day + direction (one notice per key, ever)."""
        return "|".join([self.metric, json.dumps(self.slice_dict, sort_keys=True, ensure_ascii=False),
                         self.day.isoformat(), self.direction])

    def to_json(self) -> dict[str, Any]:
        """The `scan --json` shape."""
        return {
            "metric": self.metric, "slice": self.slice_dict, "date": self.day.isoformat(),
            "value": self.value, "expected": self.expected, "lower": self.lower, "upper": self.upper,
            "severity": self.severity, "direction": self.direction,
            "contributors": [
                {"dimension": c.dimension, "value": c.value, "actual": c.actual, "expected": c.expected,
                 "change": c.change, "share": c.share} for c in self.contributors
            ],
            "drivers": list(self.drivers),
        }


@dataclass(frozen=True)
class FreshnessProblem:
    """A semantic model whose data has not arrived for the day being judged."""

    model: str
    expected_day: dt.date
    latest_day: dt.date | None  # None: no rows at all
    metrics: tuple[str, ...] = field(default=())

    def key(self) -> str:
        return f"freshness|{self.model}|{self.expected_day.isoformat()}"
