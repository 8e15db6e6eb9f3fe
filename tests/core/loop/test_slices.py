"""The slice rules (core/loop/slices): family-wise band, material share, covered by the overall notice."""
from __future__ import annotations

import pytest

from metricloop.core.loop.slices import covered, material, slice_threshold, wide_break


@pytest.mark.parametrize(("base", "slices", "low", "high"), [
    (4.0, 1, 4.0, 4.0),      # one series: its own band
    (4.0, 16, 4.55, 4.7),    # revenue's 16 slices at the medium band
    (4.0, 100, 4.9, 5.1),
    (3.0, 25, 3.8, 3.95),
    (5.0, 25, 5.5, 5.7),
])
def test_the_slice_band_widens_with_the_number_of_slices(base, slices, low, high):
    assert low <= slice_threshold(base, slices) <= high


@pytest.mark.parametrize(("part", "whole", "ok"), [
    (50.0, 700.0, True),     # about 50 orders a day out of 700: watched
    (20.0, 700.0, False),    # under 3%: not judged
    (None, 700.0, True),     # no volume known (averages): the wide-margin rule applies instead
    (5.0, 0.0, True),
])
def test_material_share(part, whole, ok):
    assert material(part, whole) is ok


@pytest.mark.parametrize(("slice_change", "whole_change", "same", "is_covered"), [
    (-0.95, -0.94, True, True),   # an outage: every slice falls with the whole
    (-0.40, -0.08, True, False),  # a regional drop inside a mild overall dip: its own notice
    (2.20, 1.60, True, True),     # under 1.5x the whole's rise
    (2.97, 1.60, True, False),    # the electronics refund rate: 1.9x the whole's rise
    (-0.90, -0.94, False, False),  # the whole alerts the other way: not covered
])
def test_a_slice_moving_with_an_alerting_whole_is_covered(slice_change, whole_change, same, is_covered):
    assert covered(slice_change, whole_change, same_direction=same) is is_covered


def test_slices_without_volume_need_a_wide_break():
    assert wide_break(-9.3, 4.6) and not wide_break(7.3, 4.6)
