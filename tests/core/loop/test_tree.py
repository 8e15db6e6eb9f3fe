"""Metric layers: drivers from meta.drivers and formula inputs, layers flowing down, each metric expanded once."""
from __future__ import annotations

from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.loop.tree import driven_by, drivers, metric_tree, tree_lines

CATALOG = Path(__file__).parents[2] / "fixtures" / "loop" / "catalog"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG)


@pytest.mark.parametrize(("metric", "expected"), [
    ("revenue", ("orders", "aov")),                     # listed drivers
    ("aov", ("orders",)),                               # ratio inputs, but not the strategic numerator above it
    ("conversion_rate", ("sessions",)),                 # orders is operational, above execution
    ("revenue_per_session", ("revenue", "sessions")),   # no tier: every input drives it
    ("net_orders", ("all_orders", "cancelled_orders")),
    ("sessions", ()),
])
def test_drivers(catalog, metric, expected):
    assert drivers(catalog, catalog.metric(metric)) == expected


def test_driven_by_lists_the_layer_above(catalog):
    assert driven_by(catalog, "orders") == ("revenue", "aov")
    assert driven_by(catalog, "sessions") == ("orders", "conversion_rate", "revenue_per_session")


def test_tree_text(catalog):
    assert tree_lines(catalog, metric_tree(catalog, "revenue")) == [
        "Revenue (revenue) · Strategic",
        "├─ Orders (orders) · Operational",
        "│  ├─ Sessions (sessions) · Execution",
        "│  └─ Conversion rate (conversion_rate) · Execution",
        "│     └─ Sessions (sessions) · Execution (see above)",
        "└─ Average order value (aov) · Operational",
        "   └─ Orders (orders) · Operational (see above)",
        "Drives: revenue_per_session",
    ]


def test_tree_in_chinese_and_unknown_metric(catalog):
    lines = tree_lines(catalog, metric_tree(catalog, "orders"), "zh")
    assert lines[0] == "Orders (orders) · 运营指标" and lines[-1] == "驱动：revenue, aov"
    with pytest.raises(KeyError):
        metric_tree(catalog, "nope")
