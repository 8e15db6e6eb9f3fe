"""The SQL gate: catalog fragments and compiled queries that read files, run statements or leave the
governed tables are refused, with the reason named (and, for catalogs, the file and line)."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import check_catalog
from metricloop.core.sql_guard import check_expression, check_query, governed_tables
from metricloop.errors import UserError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HOSTILE = YAML(typ="safe").load((FIXTURES / "catalogs" / "hostile_exprs.yml").read_text())

MODEL = """semantic_models:
  - name: orders
    model: ref('orders')
    defaults: {agg_time_dimension: ordered_at}
    entities: [{name: order, type: primary, expr: order_id}]
    dimensions:
      - {name: ordered_at, type: time, type_params: {time_granularity: day}}
      - {name: status, type: categorical, expr: %(dimension)s}
    measures:
      - {name: order_total, agg: sum, expr: %(measure)s}
metrics:
  - {name: revenue, type: simple, label: Revenue, type_params: {measure: order_total}, filter: %(filter)s}
  - name: doubled
    type: derived
    label: Doubled
    type_params: {expr: %(derived)s, metrics: [{name: revenue}]}
"""
SAFE = {"measure": "amount", "dimension": "status", "filter": "\"{{ Dimension('order__status') }} = 'paid'\"",
        "derived": "revenue * 2"}


@pytest.mark.parametrize("case", HOSTILE, ids=[c["expr"][:40] for c in HOSTILE])
def test_hostile_catalog_fragments_are_rejected_with_file_and_line(tmp_path, case):
    values = dict(SAFE)
    values[case["place"]] = '"' + case["expr"].replace('"', '\\"') + '"'
    (tmp_path / "orders.yml").write_text(MODEL % values)
    problems = check_catalog(tmp_path)
    unsafe = [p for p in problems if "may not" in p.message]
    assert unsafe, f"not rejected: {case['expr']} (got {problems})"
    assert any(case["reason"] in p.message for p in unsafe), [p.message for p in unsafe]
    assert all(Path(p.file).name == "orders.yml" and p.line for p in unsafe)


def test_the_safe_version_of_the_same_catalog_passes(tmp_path):
    (tmp_path / "orders.yml").write_text(MODEL % SAFE)
    assert [p for p in check_catalog(tmp_path) if "may not" in p.message] == []


@pytest.mark.parametrize("text", ["amount * 2", "CASE WHEN status = 'x' THEN 1 ELSE 0 END", "coalesce(a, 0)",
                                  "date_trunc('day', created_at)", "amount - discount"])
def test_ordinary_expressions_are_allowed(text):
    assert check_expression(text) == []


ALLOWED = governed_tables(["orders", "analytics.customers"])


@pytest.mark.parametrize("sql", [
    "SELECT * FROM orders",
    "WITH m AS (SELECT 1 AS x FROM orders) SELECT x FROM m",
    "SELECT c.id FROM analytics.customers AS c JOIN orders AS o ON o.customer_id = c.id",
    "SELECT * FROM orders UNION ALL SELECT * FROM customers",
])
def test_governed_selects_pass(sql):
    check_query(sql, ALLOWED)


@pytest.mark.parametrize("sql", [
    "DROP TABLE orders",
    "SELECT 1; DROP TABLE orders",
    "INSERT INTO orders VALUES (1)",
    "COPY orders TO '/tmp/x.csv'",
    "ATTACH '/tmp/other.duckdb' AS other",
    "PRAGMA database_list",
    "SET enable_external_access = true",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM secrets",
    "SELECT read_text('/etc/hostname') FROM orders",
])
def test_everything_else_is_refused(sql):
    with pytest.raises(UserError) as err:
        check_query(sql, ALLOWED)
    assert err.value.sql == sql
