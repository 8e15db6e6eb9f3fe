"""The same numbers everywhere: every question compiled for PostgreSQL and for Spark gives DuckDB's rows.

Two sets of questions, over the same rows on every engine (copied from DuckDB, see conftest):
- the compile-correctness cases (tests/fixtures/compile/cases.yaml): the engine's compiled SQL against the
  HAND-WRITTEN SQL run on DuckDB (which test_compile_results already holds equal to DuckDB's compiled SQL);
- the demo catalog (tests/fixtures/engines/demo_queries.yaml): every metric in three shapes, plus breakdowns,
  filters, comparisons and limits, against DuckDB's answer to the same question.
Numbers must agree to 1e-9 relative; dates, text and NULLs exactly; row order where the query orders.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.warehouse import to_python
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery
from servers.params import engine_params

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = YAML(typ="safe").load((FIXTURES / "compile/cases.yaml").read_text())
DEMO = YAML(typ="safe").load((FIXTURES / "engines/demo_queries.yaml").read_text())
DEMO_QUERIES = {
    **{f"{group}:{shape}": {"metrics": metrics, **spec}
       for group, metrics in DEMO["metric_groups"].items() for shape, spec in DEMO["shapes"].items()},
    **{q["name"]: q["query"] for q in DEMO["queries"]},
}
REL = 1e-9


def _cell(v):
    v = to_python(v)
    return float(v) if isinstance(v, int) and not isinstance(v, bool) else v


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)
    return a == b


def _sort_key(row):
    # numbers rounded for sorting only (engines differ in the last bits); the comparison itself is 1e-9
    return tuple((0, "") if v is None else (1, f"{v:.6g}") if isinstance(v, float) else (2, str(v)) for v in row)


def assert_same_rows(got, want, *, ordered: bool) -> None:
    """Rows equal cell by cell: numbers to 1e-9 relative, everything else exactly; sorted unless `ordered`."""
    got = [tuple(_cell(v) for v in row) for row in got]
    want = [tuple(_cell(v) for v in row) for row in want]
    assert want, "a question must return rows to prove anything"
    if not ordered:
        got, want = sorted(got, key=_sort_key), sorted(want, key=_sort_key)
    assert len(got) == len(want), f"{len(got)} rows, DuckDB has {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert len(g) == len(w) and all(_same(x, y) for x, y in zip(g, w, strict=True)), \
            f"row {i}: {g} != DuckDB's {w}"


@pytest.mark.parametrize("engine", engine_params())
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_compile_case_equals_hand_written_sql_on_duckdb(engine, case, engine_worlds, duckdb_worlds):
    warehouse = engine_worlds(engine)["compile"]
    world = duckdb_worlds["compile"]
    compiled = compile_query(world.catalog, MetricQuery.model_validate(case["query"]), warehouse.dialect,
                             as_of=case.get("as_of"))
    got = warehouse.run(compiled).rows
    want = world.duckdb.run_sql(case["sql"]).rows
    assert_same_rows(got, want, ordered=case.get("ordered", False))


@pytest.mark.parametrize("engine", engine_params())
@pytest.mark.parametrize("name", sorted(DEMO_QUERIES))
def test_demo_question_equals_duckdb(engine, name, engine_worlds, duckdb_worlds):
    warehouse = engine_worlds(engine)["demo"]
    world = duckdb_worlds["demo"]
    query = MetricQuery.model_validate(DEMO_QUERIES[name])
    want = world.duckdb.run(compile_query(world.catalog, query, "duckdb", as_of=DEMO["as_of"])).rows
    got = warehouse.run(compile_query(world.catalog, query, warehouse.dialect, as_of=DEMO["as_of"])).rows
    assert_same_rows(got, want, ordered=bool(query.order_by) or query.is_time_series)


def test_every_demo_metric_is_asked(duckdb_worlds):
    """The metric groups hold the whole demo catalog (a metric added to the catalog must join a group)."""
    asked = [m for metrics in DEMO["metric_groups"].values() for m in metrics]
    assert sorted(asked) == sorted(m.name for m in duckdb_worlds["demo"].catalog.metrics)
