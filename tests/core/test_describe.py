"""Restatements name what will be computed, in the question's language."""
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.present.describe import describe_query, dimension_label, dimension_labels
from metricloop.core.query import MetricQuery

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "catalog")


@pytest.mark.parametrize("ref, lang, label", [
    ("order__region", "en", "Region"),        # regression: was restated as the customer's region
    ("customer__region", "en", "Customer region"),
    ("order__region", "zh", "地区"),
])
def test_dimension_label_follows_the_entity(ref, lang, label):
    assert dimension_label(CATALOG, ref, lang) == label


@pytest.mark.parametrize("refs, lang, shown", [
    # a value in two dimensions is asked about by their names, never by references (order__region) — of two
    # entities, the name that does not say whose it is says so
    (["order__region", "customer__region"], "en", "Region (order), Customer region"),
    (["order__region", "customer__region"], "zh", "地区 (order)、客户地区 (customer)"),
    (["order__region"], "en", "Region"),
])
def test_dimension_labels_name_the_dimensions_asked_about(refs, lang, shown):
    assert dimension_labels(CATALOG, refs, lang) == shown


@pytest.mark.parametrize("query, lang, expected", [
    (dict(metrics=["revenue"], group_by=["order__region"], time_range={"start": "2025-04-01", "end": "2025-06-30"}),
     "en", "Revenue by Region, Q2 2025"),
    (dict(metrics=["revenue", "orders"], grain="month", time_range={"start": "2025-01-01", "end": "2025-06-30"},
          compare="year_over_year"), "en", "Revenue and Orders, monthly, January – June 2025, vs a year earlier"),
    (dict(metrics=["revenue"], time_range={"start": "2026-10-01", "end": "2026-10-31"}), "zh", "销售额，2026年10月"),
])
def test_describe_query(query, lang, expected):
    assert describe_query(CATALOG, MetricQuery.model_validate(query), lang) == expected


def test_columns_are_labelled_in_chinese_for_chinese_answers():
    from metricloop.core.answer import Column
    from metricloop.core.present.describe import localise_columns

    columns = [Column(name="metric_time", label="Month", role="time", type="date"),
               Column(name="order__region", label="Region", role="dimension"),
               Column(name="revenue", label="Revenue", role="metric", metric="revenue", type="number"),
               Column(name="revenue__change", label="Revenue change", role="change", metric="revenue", type="number")]
    labels = [c.label for c in localise_columns(CATALOG, columns, "month", "zh")]
    assert labels == ["月份", "地区", "销售额", "销售额变化"]
    assert localise_columns(CATALOG, columns, "month", "en") == columns
