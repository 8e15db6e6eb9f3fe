"""Two readings of a value that keep the same rows are one answer (adapters/same_rows, core/compile)."""
from __future__ import annotations

import duckdb
import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.same_rows import WarehouseSameRows
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.compile.compiler import compile_same_rows
from metricloop.errors import UserError

CATALOG = """
semantic_models:
  - name: branches
    model: ref('dim_branches')
    entities: [{name: branch, type: primary, expr: branch_id}]
    dimensions:
      - {name: branch_name, type: categorical}
      - {name: city, type: categorical}
  - name: jobs
    model: ref('fct_jobs')
    defaults: {agg_time_dimension: job_date}
    entities: [{name: job, type: primary, expr: job_id}, {name: branch, type: foreign, expr: branch_id}]
    dimensions: [{name: job_date, type: time, type_params: {time_granularity: day}}]
    measures: [{name: job_count, agg: count, expr: job_id}]
metrics:
  - {name: jobs, label: Jobs, type: simple, type_params: {measure: job_count}}
"""


@pytest.fixture()
def same_rows(tmp_path):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "models.yml").write_text(CATALOG, encoding="utf-8")
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE dim_branches AS SELECT * FROM (VALUES (1, 'Phoenix', 'Phoenix'), "
                    "(2, 'Tampa Bay', 'Tampa'), (3, 'Dallas North', 'Plano'), (4, 'Dallas South', 'Plano'), "
                    "(5, 'Mesa', 'Phoenix')) t(branch_id, branch_name, city)")
        con.execute("CREATE TABLE fct_jobs AS SELECT 1 AS job_id, 1 AS branch_id, DATE '2026-11-02' AS job_date")
    catalog = load_catalog(tmp_path / "catalog")
    return catalog, WarehouseSameRows(catalog, DuckDBWarehouse(str(path), read_only=True))


@pytest.mark.parametrize(("a", "b", "same"), [
    (("branch__city", "Tampa"), ("branch__branch_name", "Tampa Bay"), True),     # the one branch in Tampa
    (("branch__city", "Phoenix"), ("branch__branch_name", "Phoenix"), False),    # Mesa is in Phoenix too
    (("branch__city", "Plano"), ("branch__branch_name", "Dallas North"), False),  # two branches in Plano
    (("branch__city", "Nowhere"), ("branch__branch_name", "Nowhere"), False),    # no rows at all: never "the same"
    (("branch__city", "x'; DROP TABLE dim_branches; --"), ("branch__branch_name", "Mesa"), False),  # a literal
])
def test_two_readings_keep_the_same_rows_only_when_the_warehouse_says_so(same_rows, a, b, same):
    _, check = same_rows
    assert check(a, b) is same


def test_a_dimension_no_model_reaches_is_an_error_and_reads_as_not_the_same(same_rows):
    catalog, check = same_rows
    with pytest.raises(UserError):
        compile_same_rows(catalog, ("branch__city", "Tampa"), ("customer__segment", "Retail"))
    assert check(("branch__city", "Tampa"), ("customer__segment", "Retail")) is False
