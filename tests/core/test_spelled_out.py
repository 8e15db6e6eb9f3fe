"""Abbreviations in a catalog's names and labels are also found spelled out (core/understand/lexicon): "Visits WoW %"
is "visits week over week", "Supplier OTD %" is "supplier on time delivery" — the question's words, either way."""
from __future__ import annotations

from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.understand.lexicon import build_lexicon, spot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(("folder", "question", "metric"), [
    ("blind_clinics", "visits week over week last month", "visits_wow"),
    ("blind_manufacturing", "supplier on time delivery last month", "supplier_otd_rate"),
    ("blind_hotels", "average length of stay this year", "alos"),
    ("blind_delivery", "gross merchandise value last month", "gmv"),
    ("blind_bowling", "f&b revenue last month", "fnb_revenue"),  # "Food & beverage revenue" said by its initials
])
def test_an_abbreviation_is_found_spelled_out(folder, question, metric):
    lexicon = build_lexicon(load_catalog(FIXTURES / folder / "catalog"), {})
    assert metric in {h.entry.target for h in spot(lexicon, question) if h.entry.kind == "metric"}


@pytest.mark.parametrize(("folder", "question", "metric", "found"), [
    # a label's parenthetical qualifier may be left unsaid ...
    ("generality", "bookings growth last month", "bookings_growth_wow", True),
    # ... but not a running total's window: "Applications (rolling 28 days)" without it is the plain count, another
    # number (session 18: "applications this year" was answered with the 28-day rolling figure)
    ("blind_permits", "applications this year", "applications_rolling_28d", False),
    ("blind_permits", "applications rolling 28 days yesterday", "applications_rolling_28d", True),
])
def test_a_label_is_also_found_without_its_parenthetical_unless_that_is_a_window(folder, question, metric, found):
    lexicon = build_lexicon(load_catalog(FIXTURES / folder / "catalog"), {})
    assert (metric in {h.entry.target for h in spot(lexicon, question) if h.entry.kind == "metric"}) is found
