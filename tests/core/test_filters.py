"""Filter templates and structured filters become sqlglot predicates with resolved columns."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlglot import exp

from metricloop.core.compile.filters import TemplateRef, bind_filter, parse_filter, structured_filter
from metricloop.core.query import Filter
from metricloop.errors import UserError

COLUMNS = {"order__status": "o.status", "metric_time__month": "DATE_TRUNC('month', o.ts)", "customer": "o.customer_id",
           "customer__region__month": "DATE_TRUNC('month', r.d)"}


def _resolve(ref: TemplateRef) -> exp.Expression:
    return exp.maybe_parse(COLUMNS[ref.ref], dialect="duckdb")


@pytest.mark.parametrize(
    "template, sql",
    [
        ("{{ Dimension('order__status') }} != 'cancelled'", "o.status <> 'cancelled'"),
        ("{{ TimeDimension('metric_time', 'month') }} >= '2024-01-01'", "DATE_TRUNC('MONTH', o.ts) >= '2024-01-01'"),
        ("{{ Entity('customer') }} is not null", "NOT o.customer_id IS NULL"),
        ("{{Dimension('customer__region').grain('month')}} = '2024-02-01'", "DATE_TRUNC('MONTH', r.d) = '2024-02-01'"),
        ("{{ Dimension('order__status') }} in ('a', 'b') and {{ Entity('customer') }} > 3",
         "o.status IN ('a', 'b') AND o.customer_id > 3"),
    ],
)
def test_templates_resolve_to_columns(template, sql):
    assert bind_filter(parse_filter(template), _resolve).sql("duckdb") == sql


@pytest.mark.parametrize(
    "template",
    [
        "status = 'x'",  # a bare column: not governed
        "{{ Metric('revenue') }} > 3",
        "{{ Dimension('a') }} = 1; DROP TABLE orders",
        "{{ Dimension('a') }} in (SELECT 1)",
        "{{ TimeDimension('metric_time', 'fortnight') }} > '2024-01-01'",
        "{{ Dimension(order__status) }} = 1",
    ],
)
def test_bad_templates_are_user_errors(template):
    with pytest.raises(UserError):
        parse_filter(template)


@pytest.mark.parametrize(
    "flt, sql",
    [
        (Filter(dimension="d", values=("O'Brien",)), "c = 'O''Brien'"),
        (Filter(dimension="d", op="not in", values=("a", "b")), "NOT c IN ('a', 'b')"),
        (Filter(dimension="d", op="like", values=("N%",)), "c LIKE 'N%'"),
        (Filter(dimension="d", op=">=", values=(dt.date(2024, 1, 2),)), "c >= CAST('2024-01-02' AS DATE)"),
        (Filter(dimension="d", op="!=", values=(3,)), "c <> 3"),
        (Filter(dimension="d", values=(True,)), "c = TRUE"),
    ],
)
def test_structured_filters_bind_literals(flt, sql):
    assert structured_filter(flt, exp.column("c")).sql("duckdb") == sql
