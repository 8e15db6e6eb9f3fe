"""Contributors: which dimension values explain an overall deviation, for sums and for ratios."""
from __future__ import annotations

import random

import pytest

from metricloop.core.loop.contributors import Contribution, contributors


def test_additive_share_of_the_drop_per_value():
    expected = {("region", "East"): 500.0, ("region", "West"): 300.0, ("region", "North"): 200.0,
                ("channel", "web"): 600.0, ("channel", "store"): 400.0}
    actual = {("region", "East"): 356.0, ("region", "West"): 260.0, ("region", "North"): 184.0,
              ("channel", "web"): 420.0, ("channel", "store"): 380.0}
    found = contributors(actual, expected, top=3)
    # Total drop is 200 in both dimensions; web explains 180 (90%), East 144 (72%), West 40 (20%).
    assert [(c.dimension, c.value) for c in found] == [("channel", "web"), ("region", "East"), ("region", "West")]
    assert found[1] == Contribution("region", "East", 356.0, 500.0, -144.0, pytest.approx(0.72))
    assert sum(c.share for c in contributors(actual, expected, top=10) if c.dimension == "region") == pytest.approx(1)


def test_values_moving_against_the_anomaly_are_not_contributors_and_missing_values_count_as_zero():
    expected = {("region", "East"): 100.0, ("region", "West"): 100.0, ("region", "South"): 50.0}
    actual = {("region", "East"): 130.0, ("region", "West"): 90.0}  # South sold nothing today
    found = contributors(actual, expected, top=5)
    assert [c.value for c in found] == ["South", "West"]  # total -30: South -50 (167%), West -10 (33%)
    assert found[0].share == pytest.approx(50 / 30) and found[0].actual == 0.0


def test_no_deviation_means_no_contributors():
    same = {("region", "East"): 10.0, ("region", "West"): 5.0}
    assert contributors(same, same) == []


def test_ratio_rate_and_mix_effects_add_up_to_the_overall_change():
    # Conversion rate per device; actual/expected are each device's rate, parts its (actual, expected) visits.
    expected = {("device", "mobile"): 0.02, ("device", "desktop"): 0.05}
    actual = {("device", "mobile"): 0.01, ("device", "desktop"): 0.05}
    parts = {("device", "mobile"): (500.0, 500.0), ("device", "desktop"): (500.0, 500.0)}
    found = contributors(actual, expected, ratio_parts=parts)
    assert [c.value for c in found] == ["mobile"]  # desktop's rate and traffic share did not move
    assert found[0].change == pytest.approx(-0.005) and found[0].share == pytest.approx(1.0)
    # Pure mix: rates unchanged, traffic shifts to the low-converting device; the overall rate still drops.
    shifted = {("device", "mobile"): (800.0, 500.0), ("device", "desktop"): (200.0, 500.0)}
    found = contributors(expected, expected, ratio_parts=shifted, top=5)
    overall0, overall1 = 0.035, (800 * 0.02 + 200 * 0.05) / 1000
    assert sum(c.change for c in found) == pytest.approx(overall1 - overall0)
    assert {c.value for c in found} == {"mobile", "desktop"}
    assert sum(c.share for c in found) == pytest.approx(1.0)


def test_ratio_decomposition_is_exact_on_many_segments():
    rnd = random.Random(3)
    keys = [("country", f"c{i}") for i in range(12)]
    rate0 = {k: rnd.uniform(0.01, 0.1) for k in keys}
    rate1 = {k: r * rnd.uniform(0.6, 1.3) for k, r in rate0.items()}
    parts = {k: (rnd.uniform(10, 1000), rnd.uniform(10, 1000)) for k in keys}

    def overall(rates, side):
        return sum(rates[k] * parts[k][side] for k in keys) / sum(parts[k][side] for k in keys)

    change = overall(rate1, 0) - overall(rate0, 1)
    shown = contributors(rate1, rate0, ratio_parts=parts, top=99)
    assert 0 < len(shown) < len(keys)  # some countries pushed the other way
    for c in shown:  # share = change / total, so every row recovers the total: the terms sum exactly
        assert c.change / c.share == pytest.approx(change, rel=1e-9)
    assert sum(c.share for c in shown) >= 1.0
