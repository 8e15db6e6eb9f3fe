"""A small generated warehouse (DuckDB) and its catalog, shared by the compiler tests.

Tables: regions ← customers ← orders ← refunds, sessions → customers, and balances → customers (daily
account snapshots with gaps: a semi-additive measure must pick the right snapshot, never sum them). Every value is
derived from hash-free arithmetic on row numbers, so the data is the same on every machine.
"""
from __future__ import annotations

import duckdb

from metricloop.core.catalog.model import Catalog, Dimension, Entity, Measure, Metric, MetricInput, SemanticModel

TABLES = """
CREATE TABLE regions AS
  SELECT i AS region_id, ['North', 'South', 'East', 'West'][i] AS name, CASE WHEN i <= 2 THEN 'A' ELSE 'B' END AS zone
  FROM range(1, 5) t(i);
CREATE TABLE customers AS
  SELECT i AS customer_id, CASE WHEN i % 9 = 0 THEN NULL ELSE 1 + (i * 7) % 4 END AS region_id,
         ['consumer', 'business', 'public'][1 + (i * 5) % 3] AS segment,
         DATE '2023-10-01' + CAST((i * 37) % 200 AS INTEGER) AS signup_date
  FROM range(1, 61) t(i);
CREATE TABLE orders AS
  SELECT i AS order_id, 1 + (i * 13) % 60 AS customer_id,
         TIMESTAMP '2023-11-01 08:00:00' + INTERVAL (i * 17 % 24) HOUR + INTERVAL ((i * 31) % 240) DAY AS ordered_at,
         CAST(5 + (i * 29) % 97 + ((i * 3) % 100) / 100.0 AS DECIMAL(12, 2)) AS amount,
         CASE WHEN i % 11 = 0 THEN 'cancelled' WHEN i % 4 = 0 THEN 'returned' ELSE 'completed' END AS status,
         (i % 6 = 1) AS is_first
  FROM range(1, 1201) t(i);
CREATE TABLE refunds AS
  SELECT i AS refund_id, (i * 7) % 1200 + 1 AS order_id,
         DATE '2023-11-05' + CAST((i * 11) % 230 AS INTEGER) AS refunded_at,
         CAST(1 + (i * 17) % 40 AS DECIMAL(10, 2)) AS refund_amount
  FROM range(1, 151) t(i);
CREATE TABLE sessions AS
  SELECT i AS session_id, CASE WHEN i % 5 = 0 THEN NULL ELSE 1 + (i * 11) % 60 END AS customer_id,
         DATE '2023-11-01' + CAST((i * 19) % 240 AS INTEGER) AS started_at,
         ['web', 'app', 'email'][1 + i % 3] AS channel, 10 + (i * 23) % 600 AS duration_s
  FROM range(1, 3001) t(i);
CREATE TABLE balances AS
  SELECT a AS account_id, 1 + (a * 7) % 60 AS customer_id, ['basic', 'pro'][1 + a % 2] AS plan,
         DATE '2024-01-01' + CAST(d AS INTEGER) AS snapshot_date,
         CAST(100 + (a * 37 + d * 11) % 500 AS DECIMAL(12, 2)) AS balance
  FROM range(1, 9) t(a), range(0, 120) u(d)
  WHERE (a * 7 + d * 3) % 5 <> 0 AND NOT (a = 3 AND d > 100);
"""


def make_warehouse(path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path)
    con.execute(TABLES)
    return con


def _m(name: str, agg: str, expr: str | None = None, **kw) -> Measure:
    return Measure(name=name, agg=agg, expr=expr, **kw)


def _snapshot(name: str, choice: str | None, *groupings: str) -> Measure:
    """A semi-additive sum of `balance` over `snapshot_date` (window_choice None = MetricFlow's default, min)."""
    nad = {"name": "snapshot_date", "window_choice": choice, "window_groupings": list(groupings)}
    return _m(name, "sum", "balance", non_additive_dimension={k: v for k, v in nad.items() if v})


def _simple(name: str, measure: str, **kw) -> Metric:
    filt = kw.pop("filter", ())
    inp = MetricInput(name=measure, fill_nulls_with=kw.pop("fill", None), join_to_timespine=kw.pop("spine", False))
    return Metric(name=name, type="simple", measure=inp, filter=filt, **kw)


def make_catalog() -> Catalog:
    models = (
        SemanticModel(
            name="orders", table="orders", default_agg_time_dimension="ordered_at",
            entities=(Entity(name="order", type="primary", expr="order_id"),
                      Entity(name="customer", type="foreign", expr="customer_id")),
            dimensions=(Dimension(name="status", type="categorical"),
                        Dimension(name="is_first", type="categorical"),
                        Dimension(name="ordered_at", type="time", time_granularity="day")),
            measures=(_m("revenue", "sum", "amount"), _m("order_count", "count", "order_id"),
                      _m("buyers", "count_distinct", "customer_id"), _m("avg_amount", "average", "amount"),
                      _m("min_amount", "min", "amount"), _m("max_amount", "max", "amount"),
                      _m("median_amount", "median", "amount"),
                      _m("p90_amount", "percentile", "amount", percentile=0.9),
                      _m("p90_amount_disc", "percentile", "amount", percentile=0.9, use_discrete_percentile=True),
                      _m("first_orders", "sum_boolean", "is_first")),
        ),
        SemanticModel(
            name="customers", table="customers", default_agg_time_dimension="signup_date",
            entities=(Entity(name="customer", type="primary", expr="customer_id"),
                      Entity(name="region", type="foreign", expr="region_id")),
            dimensions=(Dimension(name="segment", type="categorical"),
                        Dimension(name="signup_date", type="time", time_granularity="day")),
            measures=(_m("customer_count", "count", "customer_id"),),
        ),
        SemanticModel(
            name="regions", table="regions",
            entities=(Entity(name="region", type="primary", expr="region_id"),),
            dimensions=(Dimension(name="name", type="categorical", label="Region"),
                        Dimension(name="zone", type="categorical")),
        ),
        SemanticModel(
            name="refunds", table="refunds", default_agg_time_dimension="refunded_at",
            entities=(Entity(name="refund", type="primary", expr="refund_id"),
                      Entity(name="order", type="foreign", expr="order_id")),
            dimensions=(Dimension(name="refunded_at", type="time", time_granularity="day"),),
            measures=(_m("refund_amount", "sum"), _m("refund_count", "count", "refund_id")),
        ),
        SemanticModel(
            name="sessions", table="sessions", default_agg_time_dimension="started_at",
            entities=(Entity(name="session", type="primary", expr="session_id"),
                      Entity(name="customer", type="foreign", expr="customer_id")),
            dimensions=(Dimension(name="channel", type="categorical"),
                        Dimension(name="started_at", type="time", time_granularity="day")),
            measures=(_m("session_count", "count", "session_id"), _m("avg_duration", "average", "duration_s")),
        ),
        SemanticModel(
            name="balances", table="balances", default_agg_time_dimension="snapshot_date",
            entities=(Entity(name="account", type="foreign", expr="account_id"),
                      Entity(name="customer", type="foreign", expr="customer_id")),
            dimensions=(Dimension(name="plan", type="categorical"),
                        Dimension(name="snapshot_date", type="time", time_granularity="day")),
            measures=(_snapshot("balance", "max"), _snapshot("account_balance", "max", "account"),
                      _snapshot("opening_balance", "min", "account"), _snapshot("first_day_balance", None),
                      _m("accounts_held", "count_distinct", "account_id")),
        ),
    )
    simple = [
        _simple(m.name, m.name) for sm in models for m in sm.measures
    ]
    metrics = simple + [
        _simple("completed_revenue", "revenue", filter=("{{ Dimension('order__status') }} != 'cancelled'",)),
        _simple("zone_a_revenue", "revenue", filter=("{{ Dimension('region__zone') }} = 'A'",)),
        _simple("revenue_daily_filled", "revenue", fill=0, spine=True),
        Metric(name="aov", type="ratio", label="Average order value",
               numerator=MetricInput(name="revenue"), denominator=MetricInput(name="order_count")),
        Metric(name="refund_rate", type="ratio", numerator=MetricInput(name="refund_count"),
               denominator=MetricInput(name="order_count")),
        Metric(name="revenue_per_customer", type="ratio", numerator=MetricInput(name="revenue"),
               denominator=MetricInput(name="customer_count")),
        Metric(name="cancel_share", type="ratio",
               numerator=MetricInput(name="order_count", filter=("{{ Dimension('order__status') }} = 'cancelled'",)),
               denominator=MetricInput(name="order_count")),
        Metric(name="balance_per_account", type="ratio", numerator=MetricInput(name="account_balance"),
               denominator=MetricInput(name="accounts_held")),
        Metric(name="balance_growth", type="derived", expr="account_balance - opening_balance",
               metrics=(MetricInput(name="account_balance"), MetricInput(name="opening_balance"))),
        Metric(name="net_revenue", type="derived", expr="revenue - refund_amount",
               metrics=(MetricInput(name="revenue"), MetricInput(name="refund_amount", fill_nulls_with=0))),
        Metric(name="revenue_mom", type="derived", expr="(revenue - prev) / prev",
               metrics=(MetricInput(name="revenue"),
                        MetricInput(name="revenue", alias="prev", offset_window="1 month"))),
        Metric(name="revenue_7d", type="cumulative", measure=MetricInput(name="revenue"), window="7 days"),
        Metric(name="revenue_mtd", type="cumulative", measure=MetricInput(name="revenue"), grain_to_date="month"),
        Metric(name="total_customers", type="cumulative", measure=MetricInput(name="customer_count")),
        Metric(name="buyers_7d", type="cumulative", measure=MetricInput(name="buyers"), window="7 days"),
        Metric(name="buyers_7d_last", type="cumulative", measure=MetricInput(name="buyers"), window="7 days",
               period_agg="last"),
        Metric(name="buyers_7d_avg", type="cumulative", measure=MetricInput(name="buyers"), window="7 days",
               period_agg="average"),
    ]
    return Catalog(semantic_models=models, metrics=tuple(metrics))
