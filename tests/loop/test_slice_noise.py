"""Slice noise on the demo warehouse: dimensions fixed by a metric's filter are not sliced, and the last 46
days give a few dozen slice anomalies (about 250 before the slice rules) while the planted slice incidents —
the West regional drop and the electronics refund spike — are still found."""
from __future__ import annotations

import datetime as dt

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.loop.anomaly import make_slice
from metricloop.demo import build_demo, plan_incidents
from metricloop.loop.scanner import make_plan, scan_range
from metricloop.loop.slice_rules import filter_dimensions
from metricloop.service import MetricService
from metricloop.settings import DEFAULT_CATALOG

END = dt.date(2026, 9, 30)
CATALOG = load_catalog(DEFAULT_CATALOG)


@pytest.mark.parametrize(("metric", "fixed"), [
    ("revenue", {"order__status"}),
    ("gross_revenue", {"order__status"}),
    ("aov", {"order__status"}),                     # through its numerator and its denominator's filter
    ("cancellation_rate", {"order__status"}),
    ("returning_customer_rate", {"order__is_first_order", "order__status"}),
    ("csat_satisfied_rate", {"ticket__csat"}),
    ("orders", set()),
    ("sessions", set()),
])
def test_filter_dimensions(metric, fixed):
    assert filter_dimensions(CATALOG, CATALOG.metric(metric)) == fixed


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    path = tmp_path_factory.mktemp("noise") / "demo.duckdb"
    build_demo(path, end=END, scale=0.5)
    warehouse = DuckDBWarehouse(str(path), read_only=True)
    yield MetricService(catalog=CATALOG, warehouse=warehouse, max_rows=100_000)
    warehouse.close()


def test_a_metric_is_not_sliced_by_what_its_filter_fixes(service):
    plan = make_plan(service)
    assert "order__status" not in plan.get("revenue").slices and "order__region" in plan.get("revenue").slices
    assert "order__status" in plan.get("orders").slices


def test_slice_anomalies_over_46_days_are_few_and_the_slice_incidents_are_still_found(service):
    found = scan_range(service, END - dt.timedelta(days=45), END).anomalies
    slices = [a for a in found if a.slice]
    assert len(slices) <= 60, len(slices)  # 247 before the slice rules (measured 49)
    outage = next(i for i in plan_incidents(END) if i.kind == "outage").start
    assert not [a for a in slices if a.day == outage and a.metric == "orders"]  # the overall notice covers them
    for incident in plan_incidents(END):
        if incident.kind in ("regional_drop", "refund_spike"):
            hits = [a for a in slices if a.metric == incident.metric and a.slice == make_slice(incident.slice)
                    and incident.start <= a.day <= incident.end]
            assert hits, incident.kind
