"""MetricQuery: the one structured question every path (ask, digest, scan) compiles and runs.

Pure and frozen. Field references:
- dimensions are MetricFlow-style `entity__dimension` (e.g. `customer__region`),
- `metric_time` is each measure's agg_time_dimension, truncated to `grain`.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from metricloop.core.time.calendar import GRAINS, Grain

METRIC_TIME = "metric_time"
Operator = Literal["=", "!=", "in", "not in", ">", ">=", "<", "<=", "like", "not like"]
Scalar = bool | int | float | str | dt.date
Compare = Literal["previous_period", "year_over_year"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Filter(_Frozen):
    """A structured where-condition: dimension, operator, values. Values are always bound as literals."""

    dimension: str
    op: Operator = "="
    values: tuple[Scalar, ...]

    @model_validator(mode="after")
    def _arity(self) -> Filter:
        if not self.values:
            raise ValueError("a filter needs at least one value")
        if self.op not in ("in", "not in") and len(self.values) != 1:
            raise ValueError(f"operator {self.op!r} takes exactly one value")
        return self


class TimeRange(_Frozen):
    """Inclusive date range on metric_time."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.start > self.end:
            raise ValueError(f"the start {self.start} is after the end {self.end}")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# A compared query's extra columns per metric: its value in the earlier period and its change ("revenue__change").
PREVIOUS, CHANGE = "__previous", "__change"


class OrderBy(_Frozen):
    field: str  # a metric name, a dimension reference, metric_time, or a compared metric's change (metric + CHANGE)
    descending: bool = False


class MetricQuery(_Frozen):
    """A governed question: which metrics, sliced how, over which period."""

    metrics: tuple[str, ...] = Field(min_length=1)
    group_by: tuple[str, ...] = ()
    grain: Grain | None = None
    time_range: TimeRange | None = None
    where: tuple[Filter, ...] = ()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = Field(default=None, ge=1)
    compare: Compare | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise_time(cls, data):  # noqa: ANN001 - pydantic hook
        """Accept `metric_time__month` in group_by, and a grain without metric_time (adds it first)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        group_by = list(data.get("group_by") or ())
        grain = data.get("grain")
        for i, ref in enumerate(group_by):
            if isinstance(ref, str) and ref.startswith(METRIC_TIME + "__"):
                suffix = ref.split("__", 1)[1]
                if suffix in GRAINS:
                    grain = grain or suffix
                    group_by[i] = METRIC_TIME
        if grain and METRIC_TIME not in group_by:
            group_by.insert(0, METRIC_TIME)
        if METRIC_TIME in group_by and not grain:
            grain = "day"
        data["group_by"] = tuple(dict.fromkeys(group_by))
        data["grain"] = grain
        return data

    @property
    def is_time_series(self) -> bool:
        return METRIC_TIME in self.group_by

    @property
    def dimensions(self) -> tuple[str, ...]:
        """group_by without metric_time."""
        return tuple(g for g in self.group_by if g != METRIC_TIME)

    def with_changes(self, **changes) -> MetricQuery:  # noqa: ANN003
        """A copy with some fields replaced, re-validated (used by follow-ups)."""
        data = self.model_dump()
        data.update(changes)
        return MetricQuery.model_validate(data)
