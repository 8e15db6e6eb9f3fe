"""A metric named by an acronym, spelled out by its own description (core/understand/kinds.spelled_acronym)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from metricloop.core.catalog.model import Metric, MetricInput
from metricloop.core.understand.kinds import spelled_acronym
from metricloop.core.understand.lexicon import _initialisms


@pytest.mark.parametrize(("name", "label", "description", "spelled"), [
    ("ppa", "PPA", "Per-person average - dine-in net sales / covers (USD).", ["per person average"]),
    ("aov", None, "Average order value: net sales over orders.", ["average order value"]),
    ("gdr", "GDR", "Generic fills / all fills.", []),  # initials nowhere in the description
    ("net_sales", "Net sales", "Net sales after discounts.", []),  # no acronym
])
def test_an_acronym_spelled_out_in_the_description(name, label, description, spelled):
    metric = Metric(name=name, type="simple", label=label, description=description, measure=MetricInput(name="x"))
    assert spelled_acronym(metric) == spelled


@pytest.mark.parametrize(("label", "short"), [
    ("On-time delivery rate", "OTD"),  # the kind of number at the end left out, "on" kept
    ("Out of service rate", "OOS"),
    ("Average transaction value", "ATV"),
])
def test_initialisms_of_a_label(label, short):
    metric = SimpleNamespace(name="m", label=label)
    assert _initialisms([metric], set()).get(short) == "m"
