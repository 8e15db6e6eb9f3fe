"""The interpreter on a third catalog nobody tuned it on: a B2B SaaS business (tests/fixtures/generality_saas).

The catalog, warehouse and 175 questions were written before reading the interpreter; the first run is the
honest measure of how it generalises. Real pieces throughout: the catalog, a warehouse built by
build_warehouse.py for the value index, and the bundled embedding model.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import Report, evaluate, parse_cases

HERE = Path(__file__).resolve().parent / "fixtures" / "generality_saas"
QUESTIONS = HERE / "questions.yaml"
THRESHOLD = 0.95  # first measured 67.4% (118/175, MRR semi-additive), 93.7% without it; 96.0% after the fixes


def build_warehouse(path: Path) -> Path:
    """Build the SaaS warehouse at `path` with the fixture's generator."""
    spec = importlib.util.spec_from_file_location("generality_saas_build_warehouse", HERE / "build_warehouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(path, end=dt.date(2026, 11, 26))


@pytest.fixture(scope="module")
def understander(tmp_path_factory):
    from metricloop.adapters.embeddings import SentenceEmbedder
    from metricloop.adapters.value_index import build_value_index
    from metricloop.adapters.warehouse import DuckDBWarehouse
    from metricloop.core.understand.interpreter import Understander

    tmp = tmp_path_factory.mktemp("generality_saas")
    path = build_warehouse(tmp / "saas.duckdb")
    catalog = load_catalog(HERE / "catalog")
    values = build_value_index(catalog, DuckDBWarehouse(str(path), read_only=True))
    return Understander(catalog, SentenceEmbedder(cache_dir=tmp / "cache"), values)


def _cases():
    data = YAML(typ="safe").load(QUESTIONS.read_text(encoding="utf-8"))
    return data["today"], parse_cases(data)


@pytest.fixture(scope="module")
def report(understander) -> Report:
    today, cases = _cases()
    return evaluate(cases, lambda text, ctx: understander.interpret(text, today=today, context=ctx))


def _must_refuse(case) -> bool:
    kind = case.expect.get("kind", "query")
    return bool({"no_match", "unsupported"} & set(kind if isinstance(kind, list) else [kind]))


def test_question_set_is_big_and_varied():
    _, cases = _cases()
    assert len(cases) >= 120
    assert sum(has_cjk(c.q) for c in cases) >= 25
    assert sum(_must_refuse(c) or c.expect.get("kind") == "clarify" for c in cases) >= 20
    assert {"simple", "colloquial", "typo", "breakdown", "filter", "multi", "topn", "compare", "trend",
            "followup", "zh", "refuse", "clarify"} <= {c.category for c in cases}


def test_generality_saas_accuracy(report: Report):
    lines = [f"{o.case.category:11} {o.case.q!r}: {'; '.join(o.problems)}" for o in report.failures]
    by_cat = {k: f"{a}/{n}" for k, (a, n) in report.by(lambda c: c.category).items()}
    assert report.accuracy >= THRESHOLD, f"accuracy {report.accuracy:.1%} by category {by_cat}\n" + "\n".join(lines)


def test_refusals_never_answer_with_a_number(report: Report):
    """A question that must be refused (not in the catalog, rows, forecasts) never gets a number."""
    refusals = [o for o in report.outcomes if _must_refuse(o.case)]
    assert len(refusals) >= 20
    assert [o.case.q for o in refusals if o.got.kind == "query"] == []


# -- general fixes, each found by this set and catalog-independent -------------------------------------------

@pytest.fixture(scope="module")
def semi_additive(tmp_path_factory):
    """MRR declared semi-additive over a dimension the model does not have: loads, cannot be computed."""
    from metricloop.core.understand.interpreter import Understander

    tmp = tmp_path_factory.mktemp("semi_additive")
    for f in (HERE / "catalog").glob("*.yml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "revenue.yml":
            text = text.replace("        expr: mrr\n        non_additive_dimension: {name: date_month,",
                                "        expr: mrr\n        non_additive_dimension: {name: no_such_day,")
        (tmp / f.name).write_text(text, encoding="utf-8")
    catalog = load_catalog(tmp)
    assert catalog.metric("mrr").unsupported_reason and catalog.metric("arr").unsupported_reason
    return Understander(catalog)


@pytest.mark.parametrize("text", ["MRR last month", "ARR by region", "NRR in Q2 2026", "上个月的MRR是多少"])
def test_an_uncomputable_metric_is_refused_not_swapped(semi_additive, text):
    """Named exactly, a governed metric the engine cannot compute is refused with its reason — never read
    as a neighbour (first run: 'NRR in Q2 2026' was answered with churned MRR, 'MRR' clarified to new MRR)."""
    got = semi_additive.interpret(text, today=dt.date(2026, 11, 27))
    assert got.kind == "unsupported" and ("semi-additive" in got.reason or "uses 'mrr'" in got.reason), got.reason


def test_a_computable_metric_containing_the_name_still_answers(semi_additive):
    got = semi_additive.interpret("new MRR last quarter", today=dt.date(2026, 11, 27))
    assert got.kind == "query" and got.query.metrics == ("new_mrr",)


# Questions that failed on the first run, before the general fixes they document.
FIXED = [
    ("which customers have the most seats", "clarify", None),             # a ranking of what we cannot group by
    ("churn last month", "clarify", None),                                # a value word that also names metrics
    ("rank industries by MRR", "query", [("mrr", True)]),                 # "rank" sorts biggest first
]


@pytest.mark.parametrize("text,kind,order", FIXED)
def test_general_fixes(understander, text, kind, order):
    got = understander.interpret(text, today=dt.date(2026, 11, 27))
    assert got.kind == kind, got.reason
    if order:
        assert [(o.field, o.descending) for o in got.query.order_by] == order


def test_bare_huanbi_is_month_over_month(understander):
    """MRR环比 with no period: this month so far against last month (the README's convention), not the last 30 days."""
    got = understander.interpret("MRR环比", today=dt.date(2026, 11, 27))
    assert got.query.compare == "previous_period"
    assert (got.query.time_range.start, got.query.time_range.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 27))
