"""The demo warehouse: deterministic, realistic, keyed, with its documented incidents visible,
and the demo catalog in catalog/ matching it column for column."""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import sqlglot
from ruamel.yaml import YAML
from sqlglot import exp

from metricloop.adapters.catalog_files import check_catalog, load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.demo import build_demo, default_demo_path, describe, plan_incidents
from metricloop.errors import UserError
from metricloop.settings import DEFAULT_CATALOG, DEFAULT_VAR

END = date(2026, 11, 26)
SCALE = 0.1
TABLES = ("customers", "orders", "refunds", "sessions", "support_tickets", "production_batches")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    info = build_demo(path, end=END, scale=SCALE)
    con = duckdb.connect(str(path), read_only=True)
    yield info, con
    con.close()


def one(con, sql: str, params=()):
    return con.execute(sql, list(params)).fetchone()


def checksums(path: Path) -> dict[str, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: one(con, f"SELECT count(*), sum(hash(x)) FROM {t} x") for t in TABLES}


def test_same_arguments_give_the_same_data_and_another_seed_does_not(demo, tmp_path):
    info, _ = demo
    again = build_demo(tmp_path / "again.duckdb", end=END, scale=SCALE)
    other = build_demo(tmp_path / "other.duckdb", end=END, scale=SCALE, seed=8)
    assert checksums(again.path) == checksums(info.path)
    assert again.tables == info.tables
    differs = {t for t, v in checksums(other.path).items() if v != checksums(info.path)[t]}
    assert differs == set(TABLES)


def test_rebuild_replaces_the_file_atomically_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "w" / "demo.duckdb"
    first = build_demo(path, end=date(2024, 6, 30), scale=0.02)
    second = build_demo(path, end=date(2024, 7, 31), scale=0.02)
    assert sorted(p.name for p in path.parent.iterdir()) == ["demo.duckdb"]
    with duckdb.connect(str(path), read_only=True) as con:
        assert one(con, "SELECT max(ordered_at) FROM orders")[0] == date(2024, 7, 31)
    assert second.tables["orders"] > first.tables["orders"]


def test_row_counts_are_reported_and_in_proportion(demo):
    info, con = demo
    for table, count in info.tables.items():
        assert one(con, f"SELECT count(*) FROM {table}")[0] == count
    t = info.tables
    # ~1.5M orders at scale 1.0 → ~150k at 0.1; the rest in proportion to orders
    assert 120_000 < t["orders"] < 200_000
    assert 0.12 < t["customers"] / t["orders"] < 0.35
    assert 0.03 < t["refunds"] / t["orders"] < 0.09
    assert 1.3 < t["sessions"] / t["orders"] < 1.9
    assert 0.03 < t["support_tickets"] / t["orders"] < 0.07
    assert 15_000 < t["production_batches"] < 20_000  # not scaled: 3 plants × 3 lines × 2 shifts


@pytest.mark.parametrize(("table", "column"), [
    ("customers", "signup_date"), ("orders", "ordered_at"), ("refunds", "refunded_at"),
    ("sessions", "session_date"), ("support_tickets", "CAST(created_at AS DATE)"),
    ("production_batches", "produced_on"),
])
def test_every_table_spans_the_demo_period(demo, table, column):
    info, con = demo
    first, last = one(con, f"SELECT min({column}), max({column}) FROM {table}")
    assert info.start == date(2024, 1, 1) and info.end == END
    assert first <= date(2024, 1, 8) and last == END


def test_resolved_tickets_never_resolve_in_the_future(demo):
    _, con = demo
    assert one(con, "SELECT max(resolved_at) FROM support_tickets")[0].date() <= END
    assert one(con, "SELECT count(*) FROM support_tickets WHERE resolved_at IS NULL AND created_at < ?",
               [END - timedelta(days=20)])[0] == 0


FOREIGN_KEYS = [
    ("orders", "customer_id", "customers", "customer_id"),
    ("refunds", "order_id", "orders", "order_id"),
    ("sessions", "customer_id", "customers", "customer_id"),
    ("support_tickets", "customer_id", "customers", "customer_id"),
]


@pytest.mark.parametrize(("child", "fk", "parent", "pk"), FOREIGN_KEYS)
def test_foreign_keys_resolve_and_primary_keys_are_unique(demo, child, fk, parent, pk):
    _, con = demo
    orphans = one(con, f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON c.{fk} = p.{pk} "
                       f"WHERE c.{fk} IS NOT NULL AND p.{pk} IS NULL")[0]
    assert orphans == 0
    assert one(con, f"SELECT count(*) = count(DISTINCT {pk}) FROM {parent}")[0]


def test_orders_customers_and_refunds_tell_one_story(demo):
    _, con = demo
    # every customer's first order is on their sign-up day, in their region; no order before sign-up
    assert one(con, """SELECT count(*) FROM orders o JOIN customers c USING (customer_id)
                       WHERE o.ordered_at < c.signup_date OR o.region <> c.region
                          OR (o.is_first_order AND o.ordered_at <> c.signup_date)""")[0] == 0
    first_orders = one(con, "SELECT count(*) FROM orders WHERE is_first_order")[0]
    assert first_orders == one(con, "SELECT count(*) FROM customers")[0]
    bad_refunds = one(con, """SELECT count(*) FROM refunds r JOIN orders o USING (order_id)
                              WHERE r.refunded_at < o.ordered_at OR r.refund_amount > o.order_total
                                 OR o.status = 'cancelled'""")[0]
    assert bad_refunds == 0
    # a returned order was refunded in full
    assert one(con, """SELECT count(*) FROM orders o LEFT JOIN refunds r USING (order_id)
                       WHERE o.status = 'returned'
                         AND (r.refund_amount IS NULL OR r.refund_amount <> o.order_total)""")[0] == 0


def daily(con, sql: str) -> dict[date, float]:
    return dict(con.execute(sql).fetchall())


def test_weekends_growth_and_holidays_shape_the_orders(demo):
    _, con = demo
    by_dow = dict(con.execute("SELECT isodow(ordered_at), count(*) FROM orders GROUP BY 1").fetchall())
    assert by_dow[6] > 1.12 * by_dow[2]  # Saturday beats Tuesday
    h1 = dict(con.execute("""SELECT year(ordered_at), count(*) FROM orders
                             WHERE month(ordered_at) <= 6 GROUP BY 1""").fetchall())
    assert h1[2026] > 1.4 * h1[2024]
    days = daily(con, "SELECT ordered_at, count(*) FROM orders "
                      "WHERE ordered_at BETWEEN '2025-11-01' AND '2026-01-31' GROUP BY 1")
    nov = sorted(v for d, v in days.items() if d.month == 11)
    jan = sorted(v for d, v in days.items() if d.month == 1)
    assert days[date(2025, 11, 28)] > 2 * nov[len(nov) // 2]  # Black Friday
    assert days[date(2025, 12, 25)] < 0.6 * nov[len(nov) // 2]  # Christmas Day
    assert days[date(2026, 1, 1)] < 0.5 * jan[len(jan) // 2]  # New Year dip


def test_a_slice_with_about_fifty_orders_a_day_exists(demo):
    _, con = demo
    per_day = one(con, "SELECT count(*) / 28 FROM orders WHERE channel = 'marketplace' AND ordered_at > ?",
                  [END - timedelta(days=28)])[0]
    assert 35 < per_day / SCALE < 70


def test_the_planned_incidents_are_listed_in_the_info_and_the_file(demo):
    info, con = demo
    assert info.incidents == plan_incidents(END)
    assert {i.kind for i in info.incidents} == {"outage", "regional_drop", "refund_spike", "drift"}
    for inc in info.incidents:
        assert info.start <= inc.start <= inc.end <= END
        assert inc.start >= END - timedelta(days=60)  # the newest data always has some
    stored = con.execute("SELECT kind, start_date, end_date, metric FROM demo_incidents ORDER BY ALL").fetchall()
    assert stored == sorted((i.kind, i.start, i.end, i.metric) for i in info.incidents)
    as_json = describe(info)
    assert as_json["end"] == "2026-11-26" and as_json["tables"] == info.tables
    assert [i["start"] for i in as_json["incidents"]] == [i.start.isoformat() for i in info.incidents]


def incident(info, kind: str, metric: str | None = None):
    return next(i for i in info.incidents if i.kind == kind and (metric is None or i.metric == metric))


def test_outage_day_has_almost_no_orders_or_sessions(demo):
    info, con = demo
    day = incident(info, "outage").start
    for table, col in (("orders", "ordered_at"), ("sessions", "session_date")):
        since = END - timedelta(days=60)
        counts = daily(con, f"SELECT {col}, count(*) FROM {table} WHERE {col} > '{since}' GROUP BY 1")
        normal = sorted(counts.values())[len(counts) // 2]
        assert counts[day] < 0.2 * normal, table


def test_regional_drop_cuts_the_regions_share_for_a_week(demo):
    info, con = demo
    inc = incident(info, "regional_drop")
    region = inc.slice["order__region"]
    share = "SELECT avg((region = ?)::INT) FROM orders WHERE ordered_at BETWEEN ? AND ?"
    during = one(con, share, [region, inc.start, inc.end])[0]
    before = one(con, share, [region, inc.start - timedelta(days=35), inc.start - timedelta(days=1)])[0]
    assert (inc.end - inc.start).days == 6
    assert during < 0.75 * before


def test_refund_spike_triples_the_categorys_refund_rate(demo):
    info, con = demo
    inc = incident(info, "refund_spike")
    category = inc.slice["order__product_category"]
    rate = """SELECT count(r.refund_id) / count(*) FROM orders o LEFT JOIN refunds r USING (order_id)
              WHERE o.product_category = ? AND o.ordered_at BETWEEN ? AND ?"""
    during = one(con, rate, [category, inc.start, inc.end])[0]
    before = one(con, rate, [category, inc.start - timedelta(days=90), inc.start - timedelta(days=30)])[0]
    assert during > 2.2 * before
    refunds_by_day = daily(con, f"""SELECT refunded_at, sum(refund_amount) FROM refunds JOIN orders USING (order_id)
                                     WHERE product_category = '{category}'
                                       AND refunded_at > '{END - timedelta(days=60)}'
                                     GROUP BY 1""")
    normal = sorted(refunds_by_day.values())[len(refunds_by_day) // 2]
    assert max(refunds_by_day[inc.start + timedelta(days=k)] for k in range(1, 4)) > 3 * normal


def test_pass_rate_drifts_down_at_one_plant_only(demo):
    info, con = demo
    inc = incident(info, "drift", "pass_rate")
    rate = """SELECT plant, sum(units_passed) / sum(units_produced) FROM production_batches
              WHERE produced_on BETWEEN ? AND ? GROUP BY 1"""
    before = dict(con.execute(rate, [inc.start - timedelta(days=28), inc.start - timedelta(days=1)]).fetchall())
    last_week = dict(con.execute(rate, [END - timedelta(days=6), END]).fetchall())
    for plant in before:
        drop = before[plant] - last_week[plant]
        assert drop > 0.05 if plant == inc.slice["batch__plant"] else abs(drop) < 0.01, plant


def test_csat_drifts_down_over_the_last_six_weeks(demo):
    info, con = demo
    inc = incident(info, "drift", "csat_satisfied_rate")
    assert (inc.end - inc.start).days == 41
    sat = ("SELECT avg((csat >= 4)::INT) FROM support_tickets "
           "WHERE csat IS NOT NULL AND CAST(created_at AS DATE) BETWEEN ? AND ?")
    before = one(con, sat, [inc.start - timedelta(days=90), inc.start - timedelta(days=1)])[0]
    last = one(con, sat, [END - timedelta(days=13), END])[0]
    middle = one(con, sat, [inc.start, inc.start + timedelta(days=13)])[0]
    assert last < middle < before + 0.02 and before - last > 0.12


def test_default_demo_path_is_under_var_and_default_end_is_yesterday(tmp_path):
    assert default_demo_path() == DEFAULT_VAR / "demo.duckdb"
    info = build_demo(tmp_path / "today.duckdb", scale=0.01)
    assert info.end == date.today() - timedelta(days=1)
    assert max(i.end for i in info.incidents) == info.end


def test_a_too_short_period_or_bad_scale_is_refused(tmp_path):
    with pytest.raises(UserError, match="60 days"):
        build_demo(tmp_path / "x.duckdb", end=date(2024, 1, 15))
    with pytest.raises(UserError, match="positive"):
        build_demo(tmp_path / "x.duckdb", end=END, scale=0)
    assert not (tmp_path / "x.duckdb").exists()


# ---- the demo catalog against the demo warehouse -------------------------------------------------

CATALOG_FILES = sorted(DEFAULT_CATALOG.glob("*.yml"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def raw_yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def columns_of(expr: str) -> set[str]:
    return {c.name for c in sqlglot.parse_one(expr, read="duckdb").find_all(exp.Column)}


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.name)
def test_every_catalog_file_parses_and_its_columns_exist(demo, path):
    _, con = demo
    doc = raw_yaml(path)
    assert isinstance(doc, dict)
    for sm in doc.get("semantic_models", []):
        table = re.fullmatch(r"ref\('(\w+)'\)", sm["model"]).group(1)
        cols = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                                [table]).fetchall())
        assert cols, f"{path.name}: no table {table}"
        for item in [*sm.get("entities", []), *sm.get("dimensions", []), *sm.get("measures", [])]:
            assert columns_of(str(item.get("expr", item["name"]))) <= set(cols), (path.name, item["name"])
        for dim in sm.get("dimensions", []):
            if dim["type"] == "time":
                assert cols[dim.get("expr", dim["name"])] in ("DATE", "TIMESTAMP"), dim["name"]


def test_the_catalog_loads_and_checks_clean_against_the_warehouse(demo):
    info, _ = demo
    wh = DuckDBWarehouse(str(info.path))
    try:
        assert check_catalog(DEFAULT_CATALOG, wh.table_columns) == []
    finally:
        wh.close()


def test_metrics_cover_every_type_with_governance_meta():
    catalog = load_catalog(DEFAULT_CATALOG)
    assert 24 <= len(catalog.metrics) <= 30
    assert {m.type for m in catalog.metrics} == {"simple", "ratio", "derived", "cumulative"}
    cumulative = {m.name: (m.window, m.grain_to_date) for m in catalog.metrics if m.type == "cumulative"}
    assert set(cumulative.values()) >= {("7 days", None), (None, "year"), (None, None)}
    assert any(i.offset_window == "1 month" for m in catalog.metrics for i in m.metrics)
    seen: dict[str, str] = {}
    for m in catalog.metrics:
        assert m.label and m.description and m.meta.owner, m.name
        assert m.meta.domain in {"sales", "marketing", "support", "operations", "finance"}, m.name
        assert any(CJK.search(s) for s in m.meta.synonyms) and any(not CJK.search(s) for s in m.meta.synonyms), m.name
        for s in m.meta.synonyms:
            owner = seen.setdefault(s.lower(), m.name)
            assert owner == m.name, f"synonym {s!r} is shared by {owner} and {m.name}"
    for sm in catalog.semantic_models:
        for d in sm.dimensions:
            assert d.label and any(CJK.search(s) for s in d.synonyms), (sm.name, d.name)
    regions = catalog.model("orders").dimension("region").value_synonyms
    assert set(regions) == {"North", "South", "East", "West", "Central"} and "华东" in regions["East"]


def test_loop_settings_name_real_metrics_and_domains():
    catalog = load_catalog(DEFAULT_CATALOG)
    loop = catalog.loop
    names = {m.name for m in catalog.metrics}
    assert loop["timezone"] == "UTC" and loop["holidays"] is None
    assert loop["digest"]["schedule"] == "0 8 * * 1-5"
    for channel, metrics in loop["digest"]["channels"].items():
        assert set(metrics) <= names, channel
    domains = {m.meta.domain for m in catalog.metrics}
    assert set(loop["access"]["domains"]) <= domains
    groups = set(loop["access"]["groups"])
    assert all(set(allowed) <= groups for allowed in loop["access"]["domains"].values())


def test_incidents_name_catalog_metrics_and_dimensions():
    catalog = load_catalog(DEFAULT_CATALOG)
    entities = {e.name: sm for sm in catalog.semantic_models for e in sm.entities if e.type == "primary"}
    for inc in plan_incidents(END):
        assert catalog.metric(inc.metric) is not None and all(catalog.metric(a) for a in inc.also)
        for ref, value in inc.slice.items():
            entity, dim = ref.split("__")
            dimension = entities[entity].dimension(dim)
            assert dimension is not None and value in dimension.value_synonyms, ref


def test_every_metric_compiles_and_runs_on_the_demo(demo):
    info, _ = demo
    catalog = load_catalog(DEFAULT_CATALOG)
    wh = DuckDBWarehouse(str(info.path))
    try:
        for m in catalog.metrics:
            query = MetricQuery(metrics=(m.name,), grain="month",
                                time_range=TimeRange(start=date(2026, 8, 1), end=date(2026, 10, 31)))
            rows = wh.run(compile_query(catalog, query)).rows
            assert len(rows) == 3 and all(r[1] is not None for r in rows), m.name
    finally:
        wh.close()


def test_if_missing_rebuilds_a_stale_demo(tmp_path):
    """`make run` keeps a fresh demo and rebuilds one whose data ended more than a week ago."""
    from typer.testing import CliRunner

    from metricloop.cli import app
    from metricloop.demo.build import demo_end

    path = tmp_path / "demo.duckdb"
    build_demo(path, end=date.today() - timedelta(days=30), scale=0.02)
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--path", str(path), "--if-missing", "--scale", "0.02"])
    assert result.exit_code == 0 and "rebuilding" in result.output
    assert demo_end(path) == date.today() - timedelta(days=1)
    result = runner.invoke(app, ["demo", "--path", str(path), "--if-missing", "--scale", "0.02"])
    assert "present" in result.output and demo_end(path) == date.today() - timedelta(days=1)
