"""Derived metrics whose `expr` is just another metric (`expr: revenue`) or a filtered input under an alias pass
`catalog check` and compute (issue 10): each case in tests/fixtures/compile/derived_alias/cases.yaml against
hand-written SQL over the compile tests' generated rows."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import check_catalog, load_catalog
from metricloop.adapters.warehouse import to_python
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from compile_world import make_warehouse  # the shared generated warehouse lives with the core tests

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/compile/derived_alias"
CASES = YAML(typ="safe").load((FIXTURE / "cases.yaml").read_text())


@pytest.fixture(scope="module")
def world():
    return load_catalog(FIXTURE / "catalog"), make_warehouse()


def _rows(rows):
    def cell(v):
        v = to_python(v)
        return round(float(v), 6) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)


def test_the_catalog_passes_check():
    con = make_warehouse()

    def columns(table: str) -> dict[str, str] | None:
        rows = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                           [table]).fetchall()
        return dict(rows) or None

    assert check_catalog(FIXTURE / "catalog", columns) == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_derived_metric_equals_hand_written(world, case):
    catalog, con = world
    compiled = compile_query(catalog, MetricQuery.model_validate(case["query"]))
    got, want = _rows(con.execute(compiled.sql).fetchall()), _rows(con.execute(case["sql"]).fetchall())
    assert want and not any(isinstance(v, float) and math.isnan(v) for row in want for v in row)
    assert got == want
