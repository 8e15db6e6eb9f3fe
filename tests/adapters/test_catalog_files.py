"""The catalog loader: real MetricFlow YAML in, every problem located by file, line and field."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import check_catalog, load_catalog
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery
from metricloop.errors import CatalogError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs"
ACME = Path(__file__).resolve().parents[1] / "fixtures" / "acme_insurance" / "semantic_models"
BROKEN = YAML(typ="safe").load((FIXTURES / "broken_cases.yml").read_text())


def test_loads_every_metric_type_with_meta():
    catalog = load_catalog(FIXTURES / "shop")
    kinds = {m.name: m.type for m in catalog.metrics}
    assert kinds == {"revenue": "simple", "orders": "simple", "aov": "ratio", "revenue_growth": "derived",
                     "revenue_ytd": "cumulative", "trial_conversion": "conversion",
                     "revenue_vs_month_start": "derived"}
    revenue = catalog.metric("revenue")
    assert revenue.meta.owner == "ana@example.com"
    assert revenue.meta.target.value == 100000 and revenue.meta.format.kind == "currency"
    assert revenue.filter == ("{{ Dimension('order__status') }} != 'cancelled'",)
    assert revenue.source.file == "shop/metrics.yml" and revenue.source.line == 2
    orders = catalog.metric("orders")
    assert orders.measure.fill_nulls_with == 0 and orders.measure.join_to_timespine
    growth = catalog.metric("revenue_growth")
    assert [(i.name, i.alias, i.offset_window) for i in growth.metrics] == [
        ("revenue", None, None), ("revenue", "revenue_prev", "1 month")]
    assert catalog.metric("revenue_ytd").grain_to_date == "year"
    assert catalog.metric("trial_conversion").unsupported_reason  # said clearly, catalog still loads
    assert "offset_to_grain" in catalog.metric("revenue_vs_month_start").unsupported_reason  # never a wrong number
    region = catalog.model("customers").dimension("region")
    assert region.synonyms == ("area", "地区") and region.value_synonyms == {"East": ("华东",)}
    assert catalog.model("orders").entity("customer").column == "customer_id"


def test_schema_qualifies_refs():
    catalog = load_catalog(FIXTURES / "shop", schema="analytics")
    assert catalog.model("orders").table == "analytics.orders"


@pytest.mark.parametrize("case", BROKEN, ids=[c["name"] for c in BROKEN])
def test_broken_catalogs_report_every_problem_located(case, tmp_path):
    root = tmp_path / "catalog"
    root.mkdir()
    for name, text in case["files"].items():
        (root / name).write_text(text)
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    reported = [str(p) for p in info.value.problems]
    for expected in case["expect"]:
        assert any(expected in line for line in reported), f"{expected!r} not in {reported}"
    assert f"{len(reported)} problem" in info.value.message


def test_acme_insurance_semantic_layer_loads():
    catalog = load_catalog(ACME)
    assert len(catalog.semantic_models) == 25
    declared = {"loss_payment_amount", "loss_reserve_amount", "total_loss_amount"}
    assert declared < {m.name for m in catalog.metrics}
    created = {m.name for m in catalog.metrics} - declared  # measures with create_metric: true
    assert "number_of_policies" in created and all(catalog.metric(n).type == "simple" for n in created)
    assert catalog.find_measure("number_of_policies") is not None


def test_manifest_import_matches_yaml(tmp_path):
    manifest = {
        "semantic_models": [{
            "name": "orders", "node_relation": {"alias": "orders", "schema_name": "prod"},
            "defaults": {"agg_time_dimension": "ordered_at"},
            "entities": [{"name": "order", "type": "primary", "expr": "order_id"}],
            "dimensions": [{"name": "ordered_at", "type": "time", "type_params": {"time_granularity": "day"}}],
            "measures": [{"name": "order_total", "agg": "sum", "expr": None}],
        }],
        "metrics": [{
            "name": "revenue", "type": "simple", "label": "Revenue",
            "type_params": {"measure": {"name": "order_total", "filter": None}},
            "filter": {"where_filters": [
                {"where_sql_template": "{{ Dimension('order__ordered_at') }} > '2020-01-01'"}]},
            "config": {"meta": {"owner": "bo"}},
        }],
    }
    path = tmp_path / "semantic_manifest.json"
    path.write_text(json.dumps(manifest))
    catalog = load_catalog(path)
    assert catalog.model("orders").table == "orders"
    assert catalog.metric("revenue").meta.owner == "bo"
    assert catalog.metric("revenue").filter[0].startswith("{{ Dimension('order__ordered_at')")


def test_warehouse_checks_name_missing_tables_columns_and_bad_time_types():
    def table_columns(table):
        return {"orders": {"order_id": "INTEGER", "ordered_at": "VARCHAR", "status": "VARCHAR"}}.get(table)

    problems = [str(p) for p in check_catalog(FIXTURES / "shop", table_columns)]
    assert any("table 'customers' does not exist" in p for p in problems)
    assert any("column 'order_total' does not exist in table 'orders'" in p for p in problems)
    assert any("time dimension 'ordered_at' is a VARCHAR column" in p for p in problems)


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CatalogError, match="no such file"):
        load_catalog(tmp_path / "nope")


def test_cached_catalog_is_reused_until_a_file_changes(tmp_path):
    import shutil

    from metricloop.adapters.catalog_files import load_catalog_cached

    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "shop", root)
    cache = tmp_path / "cache"
    first = load_catalog_cached(root, cache_dir=cache)
    assert len(list(cache.glob("catalog-*.pickle"))) == 1
    assert load_catalog_cached(root, cache_dir=cache) == first
    text = (root / "metrics.yml").read_text().replace("label: Revenue", "label: Net sales")
    (root / "metrics.yml").write_text(text)
    assert load_catalog_cached(root, cache_dir=cache).metric("revenue").label == "Net sales"
    (root / "metrics.yml").write_text(text.replace("measure: order_total", "measure: order_totl"))
    with pytest.raises(CatalogError, match="order_totl"):  # problems are never hidden by the cache
        load_catalog_cached(root, cache_dir=cache)


def test_semi_additive_measures_are_computed_and_the_unsupported_rest_said_clearly():
    """Semi-additive measures compile (last snapshot); cumulative windows over them and a non_additive_dimension
    that is not a time dimension are marked with their reason, and so is what is built on those."""
    catalog = load_catalog(FIXTURES / "semi_additive")
    reasons = {m.name: m.unsupported_reason for m in catalog.metrics}
    for computable in ("total_balance", "balance_per_deposit", "balance_doubled", "total_deposits"):
        assert reasons[computable] is None, computable
    assert "cumulative" in reasons["running_balance"] and "measure 'balance'" in reasons["running_balance"]
    assert "running_balance" in reasons["running_balance_doubled"]    # built on it, transitively
    assert "not a time dimension" in reasons["kind_balance"]
    sql = compile_query(catalog, MetricQuery(metrics=("total_balance",))).sql
    assert "OVER (PARTITION BY t0.account)" in sql and "SUM(" in sql  # the window, then the sum


ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
metrics: [{name: lol, type: simple, meta: {synonyms: *h}}]
"""


@pytest.mark.timeout(60)  # unbounded, this ran past 120 s and 2 GB
@pytest.mark.parametrize("file_name", ["bomb.yml", "loop.yml"])
def test_a_yaml_alias_bomb_is_refused_with_its_file(tmp_path, file_name):
    (tmp_path / file_name).write_text(ALIAS_BOMB)
    problems = check_catalog(tmp_path)
    assert any(Path(p.file).name == file_name and "expands to more than" in p.message for p in problems), problems


def test_an_oversized_catalog_file_is_refused_without_reading_it(tmp_path):
    (tmp_path / "huge.yml").write_text("# padding\n" * 600_000)
    problems = check_catalog(tmp_path)
    assert any(Path(p.file).name == "huge.yml" and "limited to 5 MB" in p.message for p in problems), problems


@pytest.mark.timeout(90)  # was 3 min 37 s (sorting every name once per metric); linear takes seconds
def test_twenty_thousand_metrics_validate(tmp_path):
    metrics = "\n".join(f"  - {{name: m{i}, type: simple, label: M{i}, type_params: {{measure: total}}}}"
                        for i in range(20_000))
    (tmp_path / "models.yml").write_text(
        "semantic_models:\n  - name: t\n    model: ref('t')\n    defaults: {agg_time_dimension: day}\n"
        "    entities: [{name: row, type: primary, expr: id}]\n"
        "    dimensions: [{name: day, type: time, type_params: {time_granularity: day}}]\n"
        "    measures: [{name: total, agg: sum, expr: amount}]\n"
        f"metrics:\n{metrics}\n")
    assert check_catalog(tmp_path) == []
