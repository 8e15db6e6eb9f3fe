"""Compiled SQL gives the same rows as hand-written SQL on generated data (tests/fixtures/compile/cases.yaml)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from compile_world import make_catalog, make_warehouse
from ruamel.yaml import YAML

from metricloop.adapters.warehouse import to_python
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery

CASES = YAML(typ="safe").load((Path(__file__).parents[1] / "fixtures/compile/cases.yaml").read_text())


@pytest.fixture(scope="module")
def world():
    return make_catalog(), make_warehouse()


def _norm(rows, ordered: bool):
    def cell(v):
        v = to_python(v)
        return round(v, 6) if isinstance(v, float) and not math.isnan(v) else v

    out = [tuple(cell(v) for v in row) for row in rows]
    return out if ordered else sorted(out, key=repr)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_compiled_equals_hand_written(world, case):
    catalog, con = world
    compiled = compile_query(catalog, MetricQuery.model_validate(case["query"]), as_of=case.get("as_of"))
    got = con.execute(compiled.sql).fetchall()
    want = con.execute(case["sql"]).fetchall()
    assert got, "a case must return rows to prove anything"
    assert _norm(got, case.get("ordered", False)) == _norm(want, case.get("ordered", False))
    names = [c.name for c in compiled.columns]
    assert len(names) == len(got[0])
    if compiled.query.is_time_series:
        assert names[0] == "metric_time" and compiled.columns[0].role == "time"
