"""A metric named by an acronym, spelled out by its own description (core/understand/kinds.spelled_acronym)."""
from __future__ import annotations

import pytest

from metricloop.core.catalog.model import Metric, MetricInput
from metricloop.core.understand.kinds import spelled_acronym


@pytest.mark.parametrize(("name", "label", "description", "spelled"), [
    ("ppa", "PPA", "Per-person average - dine-in net sales / covers (USD).", ["per person average"]),
    ("aov", None, "Average order value: net sales over orders.", ["average order value"]),
    ("gdr", "GDR", "Generic fills / all fills.", []),  # initials nowhere in the description
    ("net_sales", "Net sales", "Net sales after discounts.", []),  # no acronym
])
def test_an_acronym_spelled_out_in_the_description(name, label, description, spelled):
    metric = Metric(name=name, type="simple", label=label, description=description, measure=MetricInput(name="x"))
    assert spelled_acronym(metric) == spelled
