"""The entity graph, reference resolution with suggestions, and compile errors."""
from __future__ import annotations

import pytest
from compile_world import make_catalog

from metricloop.core.catalog.graph import available_dimensions, measures_of, resolve_dimension
from metricloop.core.compile.compiler import compile_dimension_values, compile_query
from metricloop.core.query import MetricQuery
from metricloop.errors import UserError


@pytest.fixture(scope="module")
def catalog():
    return make_catalog()


def test_available_dimensions_are_shared_by_all_metrics(catalog):
    dims = available_dimensions(catalog, ["revenue"])
    assert {"metric_time", "order__status", "customer__segment", "region__name", "customer__region__name"} <= set(dims)
    assert [s.target for s in dims["region__name"].path] == ["customers", "regions"]
    both = available_dimensions(catalog, ["revenue", "customer_count"])
    assert "region__name" in both and "order__status" not in both  # customers cannot reach orders (one-to-many)
    assert "session__channel" not in available_dimensions(catalog, ["revenue"])  # never many-to-many


def test_measures_of_follows_inputs(catalog):
    assert measures_of(catalog, "net_revenue") == ["revenue", "refund_amount"]
    assert measures_of(catalog, "refund_rate") == ["refund_count", "order_count"]


def test_unknown_dimension_suggests(catalog):
    with pytest.raises(UserError) as err:
        resolve_dimension(catalog, ["revenue"], "customer__segmnt")
    assert "customer__segment" in err.value.suggestions
    with pytest.raises(UserError) as err:
        compile_query(catalog, MetricQuery(metrics=("customer_count",), group_by=("order__status",)))
    assert "not available" in err.value.message


def test_unknown_metric_and_order_suggest(catalog):
    with pytest.raises(UserError) as err:
        compile_query(catalog, MetricQuery(metrics=("revenu",)))
    assert err.value.suggestions[0] == "revenue"
    with pytest.raises(UserError):
        compile_query(catalog, MetricQuery(metrics=("revenue",), order_by=({"field": "orders"},)))
    with pytest.raises(UserError):
        compile_query(catalog, MetricQuery(metrics=("revenue",), compare="previous_period"))


def test_columns_and_labels(catalog):
    q = MetricQuery(metrics=("aov",), group_by=("region__name",), grain="month",
                    time_range={"start": "2024-01-01", "end": "2024-02-29"}, compare="previous_period")
    cols = compile_query(catalog, q).columns
    assert [(c.name, c.label, c.role) for c in cols] == [
        ("metric_time", "Month", "time"), ("region__name", "Region", "dimension"),
        ("aov", "Average order value", "metric"),
        ("aov__previous", "Average order value (previous period)", "previous"),
        ("aov__change", "Average order value change", "change"),
    ]


def test_schema_and_dimension_values(catalog):
    sql = compile_query(catalog, MetricQuery(metrics=("revenue",), group_by=("region__zone",)), schema="analytics").sql
    assert "analytics.orders AS t0" in sql and "analytics.regions" in sql
    values = compile_dimension_values(catalog, "region__zone", limit=50)
    assert values == ("SELECT DISTINCT t0.zone AS region__zone FROM regions AS t0 WHERE NOT t0.zone IS NULL "
                      "ORDER BY region__zone LIMIT 50")
    with pytest.raises(UserError):
        compile_dimension_values(catalog, "nope__x")
