"""The scan plan's rules on the demo catalog: which metrics, which slices, which direction, which queries."""
from __future__ import annotations

import datetime as dt

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.catalog.model import Target
from metricloop.core.loop.detect import THRESHOLDS
from metricloop.core.loop.holidays import holiday_days
from metricloop.core.loop.plan import Adjustments, build_plan, direction_of, slice_candidates
from metricloop.errors import UserError
from metricloop.settings import DEFAULT_CATALOG

CATALOG = load_catalog(DEFAULT_CATALOG)
ORDER_DIMS = ("order__status", "order__channel", "order__product_category", "order__region", "order__is_first_order")
COUNTS = {"order__status": 3, "order__channel": 4, "order__product_category": 6, "order__region": 5,
          "order__is_first_order": 2, "customer__region": 5, "customer__country": 40, "customer__segment": 3,
          "customer__acquisition_channel": 1, "session__device": 3, "session__traffic_source": 5,
          "session__converted": 2, "ticket__priority": 4, "ticket__channel": 4, "ticket__csat": 5,
          "batch__plant": 3, "batch__line": 9, "refund__reason": 5}
PLAN = build_plan(CATALOG, COUNTS)


@pytest.mark.parametrize(("metric", "scanned"), [
    ("revenue", True),                  # meta.alert enabled
    ("discount_amount", True),          # simple, says nothing about alerts: on by default
    ("net_revenue", True),              # derived, on by default
    ("contact_rate", True),             # derived across two models
    ("units_passed", True),             # simple, on by default
    ("total_customers", False),         # cumulative with alert disabled
    ("active_customers_7d", False),     # cumulative: never by default
    ("revenue_growth_mom", False),      # derived, explicitly disabled
])
def test_which_metrics_alert(metric, scanned):
    p = PLAN.get(metric)
    assert (p is not None and p.alert) is scanned


@pytest.mark.parametrize(("metric", "slices"), [
    ("orders", ORDER_DIMS),  # every categorical dimension of its own model within max_slices
    ("new_customers", ("customer__region", "customer__segment")),  # 40 countries > 25; one channel value is no slice
    ("pass_rate", ("batch__plant", "batch__line")),  # meta.alert.slices
    ("refund_rate", ("order__product_category", "order__region", "order__channel")),  # explicit, across models
    ("contact_rate", ()),  # no dimension reaches both tickets and orders
])
def test_slices(metric, slices):
    assert PLAN.get(metric).slices == slices


def test_max_slices_comes_from_loop_yml_and_explicit_slices_ignore_it():
    small = CATALOG.model_copy(update={"loop": {**CATALOG.loop, "anomaly_scan": {"max_slices": 4}}})
    plan = build_plan(small, COUNTS)
    assert plan.get("orders").slices == ("order__status", "order__channel", "order__is_first_order")
    assert plan.get("pass_rate").slices == ("batch__plant", "batch__line")  # 9 lines, but named explicitly
    assert slice_candidates(CATALOG, CATALOG.metric("orders")) == ORDER_DIMS


def test_direction_from_alert_settings_else_the_target_else_both():
    assert [direction_of(CATALOG.metric(m)) for m in ("revenue", "refund_rate", "pass_rate")] == ["both", "up", "down"]
    net = CATALOG.metric("net_revenue")  # no alert settings, target higher → a drop is what matters
    assert direction_of(net) == "down" == PLAN.get("net_revenue").settings.direction
    lower = net.model_copy(update={"meta": net.meta.model_copy(update={"target": Target(value=1, direction="lower")})})
    assert direction_of(lower) == "up"
    assert direction_of(CATALOG.metric("discount_amount")) == "both"  # neither


def test_sensitivity_min_volume_and_owner_adjustments():
    orders = PLAN.get("orders").settings
    assert (orders.threshold, orders.min_volume) == (THRESHOLDS["medium"], 20)  # the catalog's 3.0 is the default
    assert PLAN.get("aov").settings.threshold == pytest.approx(THRESHOLDS["medium"] * 3.5 / 3.0)
    expected_day = dt.date(2026, 5, 1)
    adjusted = build_plan(CATALOG, COUNTS, adjustments={"orders": Adjustments(
        sensitivity="low", snoozed_until=dt.date(2026, 5, 3), expected_days=frozenset({expected_day}))})
    p = adjusted.get("orders")
    assert p.settings.threshold == THRESHOLDS["low"]
    assert (p.snoozed_until, p.skip) == (dt.date(2026, 5, 3), frozenset({expected_day}))


def test_drivers_are_meta_drivers_and_inputs_and_unscanned_drivers_are_fetched_overall_only():
    assert PLAN.get("refund_rate").drivers == ("refunded_amount", "gross_revenue")
    assert PLAN.get("contact_rate").drivers == ("tickets", "orders")
    only = build_plan(CATALOG, COUNTS, only={"contact_rate"})
    assert [(p.metric, p.alert, p.slices) for p in only.metrics] == [
        ("contact_rate", True, ()), ("tickets", False, ()), ("orders", False, ())]


def test_one_query_per_metric_and_slice_dimension_ending_at_the_last_judged_day():
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    queries = PLAN.queries(start, end)
    assert len(queries) == sum(1 + len(p.slices) for p in PLAN.metrics)
    by_key = {(q.metric, q.dimension): q.query for q in queries}
    ratio = by_key[("refund_rate", "order__region")]
    assert ratio.metrics == ("refund_rate", "gross_revenue")  # judged with its denominator
    assert ratio.group_by == ("metric_time", "order__region") and ratio.grain == "day"
    assert {q.query.time_range.end for q in queries} == {end}
    assert {q.query.time_range.start for q in queries} == {start - dt.timedelta(days=90)}  # loop.yml lookback


@pytest.mark.parametrize(("setting", "day", "included"), [
    (None, dt.date(2026, 11, 26), False),
    ("US", dt.date(2026, 11, 26), True),   # Thanksgiving: fourth Thursday
    ("US", dt.date(2026, 11, 27), False),
    ("US", dt.date(2027, 5, 31), True),    # Memorial Day: last Monday of May
    (["2026-03-08"], dt.date(2026, 3, 8), True),
    ({"calendar": "US", "dates": ["2026-03-08"]}, dt.date(2026, 12, 25), True),
])
def test_holiday_calendars(setting, day, included):
    assert (day in holiday_days(setting)) is included


def test_an_unknown_holiday_calendar_is_a_user_error():
    with pytest.raises(UserError, match="no built-in calendar"):
        holiday_days("Atlantis")
