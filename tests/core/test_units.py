"""The unit of time a question asks in against the unit a metric's names say (core/understand/units)."""
from __future__ import annotations

import pytest

from metricloop.core.catalog.model import Metric, MetricInput
from metricloop.core.understand.units import unit_conflict, unit_of, unit_words


def _metric(name: str, label: str | None = None, measure: str = "amount") -> Metric:
    return Metric(name=name, type="simple", label=label, measure=MetricInput(name=measure))


@pytest.mark.parametrize(("name", "label", "measure", "unit"), [
    ("watch_hours", "Watch hours", "hours_watched", "hour"),
    ("avg_wait_time", "Avg wait (min)", "wait_amount", "minute"),
    ("avg_wait_time", None, "wait_minutes", "minute"),
    ("rental_days", "Rental days", "days_rented", "day"),
    ("aht", "Avg handle time", "handle_time", None),  # no unit said: never in conflict
    ("minutes_per_day", None, "x", None),  # two units said: not known
    ("admin_fees", "Admin fees", "fees", None),  # "min" inside a word is no unit
])
def test_unit_of_a_metric(name: str, label: str | None, measure: str, unit: str | None) -> None:
    assert unit_of(_metric(name, label, measure)) == unit


@pytest.mark.parametrize(("question", "conflict"), [
    ("how many minutes did people watch last week", "how many minutes"),
    ("watch time in seconds yesterday", "in seconds"),
    ("上周看了多少分钟", "多少分钟"),
    ("watch hours last week", None),
    ("how many hours did people watch", None),  # the metric's own unit
    ("上周看了多少小时", None),
    ("minutes and seconds", None),  # two units: not one asked
])
def test_a_unit_asked_against_hours(question: str, conflict: str | None) -> None:
    assert unit_conflict(_metric("watch_hours", "Watch hours"), question) == ((conflict, "hour") if conflict else None)


def test_the_unit_of_the_metric_is_its_own_words() -> None:
    assert "minutes" in unit_words(_metric("avg_wait_time", "Avg wait (min)"))
    assert unit_words(_metric("aht", "Avg handle time")) == ()

