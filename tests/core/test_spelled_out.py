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
])
def test_an_abbreviation_is_found_spelled_out(folder, question, metric):
    lexicon = build_lexicon(load_catalog(FIXTURES / folder / "catalog"), {})
    assert metric in {h.entry.target for h in spot(lexicon, question) if h.entry.kind == "metric"}
