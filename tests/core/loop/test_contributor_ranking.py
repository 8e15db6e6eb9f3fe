"""Contributors ranked by how concentrated a dimension's change is, not by raw share: on an outage every
order status falls with the whole ("93% of the drop comes from status = completed" says nothing), while one
region carrying the drop is news."""
from __future__ import annotations

import pytest

from metricloop.core.loop.contributors import concentration, contributors

EXPECTED = {("status", "completed"): 930.0, ("status", "returned"): 50.0, ("status", "cancelled"): 20.0,
            ("region", "East"): 400.0, ("region", "West"): 300.0, ("region", "North"): 300.0}


def outage(west_extra: float) -> dict[tuple[str, str], float]:
    """Everything at 60%; West loses ``west_extra`` more (taken from completed orders)."""
    actual = {k: v * 0.6 for k, v in EXPECTED.items()}
    actual[("region", "West")] -= west_extra
    actual[("status", "completed")] -= west_extra
    return actual


def test_a_proportional_dimension_does_not_lead_even_with_the_largest_share():
    found = contributors(outage(100.0), EXPECTED, top=3)
    assert (found[0].dimension, found[0].value) == ("region", "West")
    completed = next(c for c in contributors(outage(100.0), EXPECTED, top=10) if c.value == "completed")
    assert completed.share > found[0].share  # it still explains more of the drop, and still ranks below


@pytest.mark.parametrize(("shares", "volume", "value"), [
    ([0.5, 0.3, 0.2], [0.5, 0.3, 0.2], 0.0),   # in proportion
    ([1.0, 0.0, 0.0], [0.25, 0.25, 0.5], 0.75),  # one small value carries it all
    ([0.9, 0.1], [0.6, 0.4], 0.3),
])
def test_concentration(shares, volume, value):
    assert concentration(shares, volume) == pytest.approx(value)


def test_ratio_contributors_rank_the_concentrated_dimension_first():
    # refund rate: electronics triples while every channel's rate rises a little with it
    expected = {("category", "electronics"): 0.04, ("category", "home"): 0.03,
                ("channel", "web"): 0.035, ("channel", "app"): 0.035}
    actual = {("category", "electronics"): 0.12, ("category", "home"): 0.03,
              ("channel", "web"): 0.075, ("channel", "app"): 0.075}
    parts = {k: (500.0, 500.0) for k in expected}
    found = contributors(actual, expected, ratio_parts=parts, top=2)
    assert (found[0].dimension, found[0].value) == ("category", "electronics")
