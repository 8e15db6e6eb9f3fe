"""The value index: distinct values per categorical dimension, capped, failure-tolerant, refreshable."""
from __future__ import annotations

from pathlib import Path

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.value_index import StaticValueIndex, WarehouseValueIndex
from metricloop.core.answer import Column, ResultTable

SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "shop"


class Rows:
    """A warehouse whose answer depends on which column the SQL selects."""

    def __init__(self, by_alias: dict[str, list]):
        self.by_alias = by_alias
        self.sql: list[str] = []

    def run_sql(self, sql, *, timeout_s=None, max_rows=None):
        self.sql.append(sql)
        for alias, rows in self.by_alias.items():
            if alias in sql:
                if isinstance(rows, Exception):
                    raise rows
                return ResultTable(columns=(Column(name=alias, label=alias, role="dimension"),),
                                   rows=tuple((r,) for r in rows))
        return ResultTable(columns=(), rows=())


def test_values_are_read_per_dimension_and_capped():
    catalog = load_catalog(SHOP)
    wh = Rows({"customer__region": ["East", "West", None], "order__status": [f"s{i}" for i in range(6)]})
    index = WarehouseValueIndex(catalog, wh, cap=5)
    values = index.refresh()
    assert values[("customers", "region")] == ["East", "West"]
    assert values[("orders", "status")] == []  # more than the cap: too varied to be a value list
    assert all("DISTINCT" in s.upper() and "LIMIT 6" in s.upper() for s in wh.sql)


def test_a_failing_dimension_keeps_its_previous_values():
    catalog = load_catalog(SHOP)
    wh = Rows({"customer__region": ["East"], "order__status": ["completed"]})
    index = WarehouseValueIndex(catalog, wh)
    index.refresh()
    wh.by_alias["customer__region"] = RuntimeError("warehouse hiccup")
    wh.by_alias["order__status"] = ["completed", "returned"]
    values = index.refresh()
    assert values[("customers", "region")] == ["East"]
    assert values[("orders", "status")] == ["completed", "returned"]
    assert ("customers", "region") in index.errors


def test_static_index_from_catalog_value_synonyms():
    catalog = load_catalog(SHOP)
    assert StaticValueIndex.from_catalog(catalog).values() == {("customers", "region"): ["East"]}
