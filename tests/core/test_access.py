"""Access policies (core/catalog/access): who is in which group, which metrics they see (inputs included),
which rows (row filters), what two policies have in common, and the compiler applying it all."""
import pytest
from sqlglot import exp

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.catalog.access import AccessDenied, Identity, Policy, can_see, effective_policy
from metricloop.core.catalog.model import Catalog, Metric, MetricInput, MetricMeta
from metricloop.core.compile.compiler import compile_query
from metricloop.core.query import Filter, MetricQuery

LOOP = {"access": {"groups": {"finance": ["U1", "ana@example.com"], "exec": ["U9"]},
                   "domains": {"finance": ["finance"]},
                   "metrics": {"board_kpi": ["exec"]}}}


def _metric(name, domain=None):
    return Metric(name=name, type="simple", measure=MetricInput(name="m"), meta=MetricMeta(domain=domain))


CATALOG = Catalog(metrics=(_metric("revenue", "sales"), _metric("refund_rate", "finance"),
                           _metric("board_kpi", "sales")), loop=LOOP)


@pytest.mark.parametrize("user, metric, allowed", [
    ("U5", "revenue", True),             # domain not restricted
    ("U5", "refund_rate", False),        # restricted domain, not a member
    ("U1", "refund_rate", True),
    ("ana@example.com", "refund_rate", True),
    ("U1", "board_kpi", False),          # per-metric rule wins over the (open) domain
    ("U9", "board_kpi", True),
    (None, "refund_rate", True),         # the local operator is trusted
    ("U1", "no_such_metric", False),
])
def test_can_see(user, metric, allowed):
    assert can_see(CATALOG, user, metric) is allowed


GOVERNED = load_catalog("tests/fixtures/catalogs/governed")
RESTRICTED = {"big_revenue", "big_share", "small_revenue"}  # big_revenue and what is built on it


@pytest.mark.parametrize("identity, hidden, rows", [
    (None, set(), ()),
    (Identity(user_id="U0CFO"), set(), ()),
    (Identity(user_id="U0XYZ", email="CFO@example.com"), set(), ()),         # e-mail, any case
    (Identity(user_id="U0XYZ", handle="li.wei"), set(), ()),                 # handle with or without @
    (Identity(handle="#finance"), set(), ()),                                # a channel is a member too
    (Identity(user_id="U0NEW", email="new@example.com"), RESTRICTED, ()),
    (Identity(user_id="U0EAST"), RESTRICTED, (("customer__region", ("East",)),)),
    (Identity(user_id="U7", groups=frozenset({"S0WEST"})), RESTRICTED,       # a Slack user group
     (("customer__region", ("West",)), ("order__channel", ("online",)))),
])
def test_effective_policy(identity, hidden, rows):
    policy = effective_policy(GOVERNED, identity)
    assert {m.name for m in GOVERNED.metrics if not policy.can_see(m.name)} == hidden
    assert tuple((f.dimension, f.values) for f in policy.row_filters) == rows


@pytest.mark.parametrize("loop, who, visible", [
    # closed by default: only what a rule opens, and a ratio needs both of its inputs opened
    ({"default": "closed", "metrics": {"revenue": ["everyone"], "orders": ["everyone"], "aov": ["everyone"]}},
     "U1", {"revenue", "orders", "aov"}),
    ({"default": "closed", "metrics": {"aov": ["everyone"], "revenue": ["everyone"]}}, "U1", {"revenue"}),
    # a derived metric over a restricted input is restricted, whatever its own rule says
    ({"groups": {"g": ["U1"]}, "metrics": {"revenue": ["g"], "revenue_growth": ["everyone"]}}, "U2",
     {"orders", "big_revenue", "largest_order", "customers", "sessions", "orders_per_session",
      "revenue_ytd", "revenue_7d"}),  # other metrics over the same measure have rules of their own
])
def test_default_and_inputs(loop, who, visible):
    catalog = GOVERNED.model_copy(update={"loop": {"access": loop}})
    assert set(effective_policy(catalog, who).visible) == visible


def test_row_filters_of_several_groups_widen_each_other():
    loop = {"groups": {"a": {"members": ["U1"], "rows": {"customer__region": "East"}},
                       "b": {"members": ["U1"], "rows": {"customer__region": ["West"], "customer__segment": "smb"}}}}
    policy = effective_policy(GOVERNED.model_copy(update={"loop": {"access": loop}}), "U1")
    assert [(f.dimension, f.values) for f in policy.row_filters] == [
        ("customer__region", ("East", "West")), ("customer__segment", ("smb",))]


def test_intersection_keeps_what_both_may_see():
    east = effective_policy(GOVERNED, "U0EAST")
    cfo = effective_policy(GOVERNED, "U0CFO")
    both = east & cfo
    assert not both.can_see("big_revenue") and both.can_see("revenue")
    assert both.row_filters == east.row_filters
    assert both.narrower_than(cfo, ["revenue"]) and not both.narrower_than(east, ["revenue", "aov"])
    assert (Policy() & cfo).visible == cfo.visible


EAST = Filter(dimension="customer__region", op="in", values=("East",))


@pytest.mark.parametrize("query", [
    MetricQuery(metrics=("revenue",)),
    MetricQuery(metrics=("aov", "revenue_growth"), grain="month"),
    MetricQuery(metrics=("revenue_ytd", "revenue_7d"), grain="day"),
    MetricQuery(metrics=("revenue_per_customer",), group_by=("customer__segment",)),
    MetricQuery(metrics=("revenue",), group_by=("order__channel",), compare="year_over_year", grain="month",
                order_by=({"field": "revenue", "descending": True},), limit=3),
])
def test_every_measure_read_is_filtered(query):
    """Each table the SQL reads (every FROM orders / customers) is constrained by the row filter."""
    compiled = compile_query(GOVERNED, query, policy=Policy(row_filters=(EAST,)))
    reads = [t.find_ancestor(exp.Select) for t in compiled.expression.find_all(exp.Table)
             if t.name in ("orders", "customers")]
    assert reads
    for select in reads:
        assert "'East'" in select.args["where"].sql(), select.sql()


@pytest.mark.parametrize("metric", ["sessions", "orders_per_session"])
def test_a_row_filter_a_measure_cannot_reach_denies_it(metric):
    with pytest.raises(AccessDenied) as caught:
        compile_query(GOVERNED, MetricQuery(metrics=(metric,)), policy=Policy(row_filters=(EAST,)))
    assert caught.value.rows


def test_a_hidden_metric_is_denied_before_any_sql():
    with pytest.raises(AccessDenied) as caught:
        compile_query(GOVERNED, MetricQuery(metrics=("big_share",)), policy=effective_policy(GOVERNED, "U0NEW"))
    assert caught.value.metrics == ["big_share"]
