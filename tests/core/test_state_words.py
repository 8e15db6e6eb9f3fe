"""Place words: state and province codes read by their names (core/understand/lexicon.state_words), and the
dimensions that hold cities (lexicon.city_dimensions)."""
from __future__ import annotations

from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.understand.lexicon import city_dimensions, state_words

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(("value", "dimension_values", "names"), [
    ("TX", ["CA", "WA", "TX", "FL", "IL", "NY", "MA"], ("Texas",)),
    ("CA", ["CA", "WA", "TX", "FL", "IL", "NY", "MA"], ("California",)),   # a state among states
    ("CA", ["US", "CA", "MX"], ()),                                         # Canada among countries
    ("ON", ["ON", "QC", "BC"], ("Ontario",)),
    ("TX", ["TX", "Online"], ()),                                           # not every value is a state
])
def test_a_state_code_is_also_the_state_name_among_states(value, dimension_values, names) -> None:
    assert state_words(value, dimension_values) == names


PESTS = {("customers", "service_area"): ["Austin", "Dallas", "Fort Worth", "Houston", "San Antonio"],
         ("leads", "lead_area"): ["Austin", "Dallas", "Houston"],
         ("technicians", "branch"): ["Arlington", "Cedar Park", "Katy", "New Braunfels", "Plano"],  # 2 of 5 cities
         ("customers", "customer_type"): ["Residential", "Commercial"]}


def test_the_dimensions_whose_values_are_mostly_cities_hold_cities() -> None:
    catalog = load_catalog(FIXTURES / "blind_pestcontrol" / "catalog")
    assert city_dimensions(catalog, PESTS) == [("customers", "service_area"), ("leads", "lead_area")]
    assert city_dimensions(catalog, {("customers", "service_area"): ["Austin", "Online"]}) == []  # one is no list
    # a name that is a city's does not make rows a city: "by city" never asks for customers (or warehouses)
    assert city_dimensions(catalog, {("customers", "customer_name"): ["Austin", "Dallas", "Houston"]}) == []


def test_no_dimension_holds_cities_where_one_is_called_city() -> None:
    catalog = load_catalog(FIXTURES / "blind_cleaning" / "catalog")  # City (site) beside a branch named by its city
    branches = {(sm.name, d.name): ["Seattle", "Bellevue", "Tacoma", "Everett", "Portland"]
                for sm in catalog.semantic_models for d in sm.dimensions if d.name == "branch"}
    assert branches and city_dimensions(catalog, branches) == []
