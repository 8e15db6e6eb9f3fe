"""The governed test shop for property tests: its warehouse, a hand-written model of what may be seen, and an
oracle that answers a question as the operator over a copy of the warehouse holding only the allowed rows.

Nothing here uses the code under test to decide what is allowed: visibility and reachability are written out
by hand from tests/fixtures/catalogs/governed, and the allowed rows are plain SQL views.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb

from metricloop.adapters.warehouse import DuckDBWarehouse

GOVERNED = Path(__file__).parents[1] / "fixtures" / "catalogs" / "governed"
USERS = ("U1", "U2", "U3", "U4")
GROUPS = ("g1", "g2", "g3")
DOMAIN = {"revenue": "sales", "orders": "sales", "aov": "sales", "big_revenue": "finance", "big_share": "sales",
          "small_revenue": "sales", "customers": "growth", "sessions": "growth", "orders_per_session": "growth"}
INPUTS = {"aov": ("revenue", "orders"), "big_share": ("big_revenue", "revenue"),
          "small_revenue": ("revenue", "big_revenue"), "revenue_growth": ("revenue",),
          "revenue_per_customer": ("revenue", "customers"), "orders_per_session": ("orders", "sessions")}
MODELS = {"revenue": {"orders"}, "orders": {"orders"}, "aov": {"orders"}, "big_revenue": {"orders"},
          "big_share": {"orders"}, "small_revenue": {"orders"}, "revenue_growth": {"orders"},
          "revenue_ytd": {"orders"}, "revenue_7d": {"orders"}, "largest_order": {"orders"},
          "customers": {"customers"}, "revenue_per_customer": {"orders", "customers"}, "sessions": {"sessions"},
          "orders_per_session": {"orders", "sessions"}}
METRICS = tuple(MODELS)
# the dimensions each model's rows can be filtered by (orders reach customers along the customer entity)
REACH = {"orders": {"customer__region", "customer__segment", "order__status", "order__channel"},
         "customers": {"customer__region", "customer__segment"}, "sessions": {"session__device"}}
VALUES = {"customer__region": ("East", "West", "North"), "customer__segment": ("enterprise", "smb"),
          "order__status": ("completed", "cancelled"), "order__channel": ("online", "store"),
          "session__device": ("mobile", "desktop")}
COLUMN = {"customer__region": "region", "customer__segment": "segment", "order__status": "status",
          "order__channel": "channel", "session__device": "device"}
OWNER = {"customer__region": "customers", "customer__segment": "customers", "order__status": "orders",
         "order__channel": "orders", "session__device": "sessions"}


def build_warehouse(path: Path) -> DuckDBWarehouse:
    """The governed shop's tables in a writable DuckDB file (the oracle adds filtered schemas to it)."""
    con = duckdb.connect(str(path))
    con.execute((GOVERNED / "warehouse.sql").read_text())
    con.close()
    return DuckDBWarehouse(str(path), read_only=False, timeout_s=30, max_rows=100_000)


def _in(column: str, values: tuple[Any, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def filtered_schema(warehouse: DuckDBWarehouse, rows: dict[str, tuple[Any, ...]]) -> str:
    """A schema whose tables are views holding only the rows `rows` allows; made once per distinct `rows`."""
    name = "p_" + hashlib.sha1(repr(sorted(rows.items())).encode()).hexdigest()[:10]
    con = warehouse.connection
    if con.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", [name]).fetchone():
        return name
    conds: dict[str, list[str]] = {"orders": [], "customers": [], "sessions": []}
    for dim, values in rows.items():
        conds[OWNER[dim]].append(_in(COLUMN[dim], values))
        if OWNER[dim] == "customers":  # an order's customer row decides its region and segment
            conds["orders"].append(_in("c." + COLUMN[dim], values))

    def where(model: str) -> str:
        return " WHERE " + " AND ".join(conds[model]) if conds[model] else ""

    con.execute(f"CREATE SCHEMA {name}")
    con.execute(f"CREATE VIEW {name}.customers AS SELECT * FROM main.customers{where('customers')}")
    con.execute(f"CREATE VIEW {name}.sessions AS SELECT * FROM main.sessions{where('sessions')}")
    con.execute(f"CREATE VIEW {name}.orders AS SELECT o.* FROM main.orders o "
                f"LEFT JOIN main.customers c ON o.customer_id = c.customer_id{where('orders')}")
    return name


def visible_values(warehouse: DuckDBWarehouse, rows: dict[str, tuple[Any, ...]], dim: str) -> set[Any]:
    """The values of `dim` a user limited to `rows` may name: those in the allowed rows of every model that can
    be filtered by all of `rows` and reaches `dim` (a model that cannot take the row filters shows nothing)."""
    schema = filtered_schema(warehouse, rows)
    sources = {"orders": f"{schema}.orders o LEFT JOIN main.customers c ON o.customer_id = c.customer_id",
               "customers": f"{schema}.customers c", "sessions": f"{schema}.sessions s"}
    alias = {"orders": "o", "customers": "c", "sessions": "s"}
    found: set[Any] = set()
    for model, source in sources.items():
        if dim not in REACH[model] or not set(rows) <= REACH[model]:
            continue
        column = ("c." if OWNER[dim] == "customers" else alias[model] + ".") + COLUMN[dim]
        sql = f"SELECT DISTINCT {column} FROM {source} WHERE {column} IS NOT NULL"
        found |= {r[0] for r in warehouse.connection.execute(sql).fetchall()}
    return found


def allowed_metrics(access: dict[str, Any], user: str) -> set[str]:
    """The metrics `user` may see under `access`, by the rules as documented (inputs included)."""
    groups = {g for g, spec in access.get("groups", {}).items() if user in spec["members"]} | {"everyone"}
    closed = access.get("default") == "closed"

    def own(metric: str) -> bool:
        rule = access.get("metrics", {}).get(metric)
        if rule is None:
            rule = access.get("domains", {}).get(DOMAIN.get(metric))
        return (not closed) if rule is None else bool(groups & set(rule))

    def visible(metric: str) -> bool:
        return own(metric) and all(visible(i) for i in INPUTS.get(metric, ()))

    return {m for m in METRICS if visible(m)}


def allowed_rows(access: dict[str, Any], user: str) -> dict[str, tuple[Any, ...]]:
    """Dimension → values `user` may see (several groups on one dimension: the union)."""
    out: dict[str, set[Any]] = {}
    for spec in access.get("groups", {}).values():
        if user in spec["members"]:
            for dim, values in spec.get("rows", {}).items():
                out.setdefault(dim, set()).update(values)
    return {d: tuple(sorted(v)) for d, v in out.items()}


def answerable(metrics: tuple[str, ...], rows: dict[str, tuple[Any, ...]]) -> bool:
    """Whether every model the metrics read can be filtered by every row filter (else: denied, fail closed)."""
    return all(dim in REACH[model] for m in metrics for model in MODELS[m] for dim in rows)


def dims_for(metrics: tuple[str, ...]) -> list[str]:
    """Dimensions every one of the metrics can be sliced by."""
    common = set(VALUES)
    for m in metrics:
        for model in MODELS[m]:
            common &= REACH[model]
    return sorted(common)


def same_rows(a: list[list[Any]], b: list[list[Any]]) -> bool:
    """Equal row for row, numbers to 1e-6 relative."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b, strict=True):
        for x, y in zip(ra, rb, strict=True):
            if isinstance(x, float) or isinstance(y, float):
                if x is None or y is None or abs(float(x) - float(y)) > 1e-6 * max(1.0, abs(float(y))):
                    return False
            elif x != y:
                return False
    return True
