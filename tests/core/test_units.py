"""The unit of time a question asks in against the unit a metric's names say (core/understand/units)."""
from __future__ import annotations

import pytest

from metricloop.core.catalog.model import Metric, MetricInput, MetricMeta, NumberFormat
from metricloop.core.understand.units import asked_currency, currency_conflict, unit_conflict, unit_of, unit_words


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
    ("患者平均等待分钟", "分钟"),  # (the text read: 多少 is gone, the unit said is still the unit asked)
    ("avg days to close last month", "avg days to"),  # a span averaged, said in days
    ("how many days did people watch", None),  # "how many days" counts days as often as it times
    ("24小时内看了多少", None),  # a window of hours, no unit asked
])
def test_a_unit_asked_against_hours(question: str, conflict: str | None) -> None:
    assert unit_conflict(_metric("watch_hours", "Watch hours"), question) == ((conflict, "hour") if conflict else None)


def test_the_unit_of_the_metric_is_its_own_words() -> None:
    assert "minutes" in unit_words(_metric("avg_wait_time", "Avg wait (min)"))
    assert unit_words(_metric("aht", "Avg handle time")) == ()



def _money(currency: str = "USD", kind: str = "currency") -> Metric:
    return Metric(name="send_volume", type="simple", measure=MetricInput(name="principal"),
                  meta=MetricMeta(format=NumberFormat(kind=kind, currency=currency)))


@pytest.mark.parametrize(("question", "currency", "kept", "conflict"), [
    ("year to date send volume in mexican pesos", "MXN", "USD", True),
    ("gmv last month in euros", "EUR", "USD", True),
    ("上个月gmv换算成人民币是多少", "CNY", "USD", True),
    ("revenue in canadian dollars", "CAD", "USD", True),  # the longest name said wins: not USD
    ("revenue in usd", "USD", "USD", False),
    ("revenue in dollars", "$", "USD", False),  # any dollar: the one the metric is kept in
    ("revenue in dollars", "$", "CAD", False),
    ("revenue in dollars", "$", "EUR", True),
    ("revenue in euros", "EUR", "EUR", False),
    ("send volume to mexico this year", None, "USD", False),  # a country, no currency
    ("pounds of coffee sold", None, "USD", False),  # a unit of weight, not asked "in" it
])
def test_a_currency_asked_against_the_one_a_metric_is_kept_in(question, currency, kept, conflict) -> None:
    asked = asked_currency(question)
    assert (asked[0] if asked else None) == currency
    assert currency_conflict(_money(kept), currency) is conflict
    assert currency_conflict(_money(kept, kind="number"), currency) is False  # a count is in no currency
