"""The interpreter on catalogs it was never tuned on: one harness over the tests/fixtures/generality* folders.

- generality: a ride-hailing business.
- generality_saas: a B2B SaaS business (175 questions).
- generality_ads: paid marketing / ads (ratio, derived and cumulative metrics over two semantic models; ~100
  questions as growth marketers ask them).

Each catalog, its warehouse (built by the folder's build_warehouse.py) and its questions were written before
reading the interpreter; the first run is the honest measure of how it generalises. Real pieces throughout: the
catalog, the warehouse for the value index, and the bundled embedding model. End to end, `metricloop ask --json`
goes through the real CLI (understanding, compile, DuckDB) and its rows must equal plain SQL written by hand
against the same warehouse.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import importlib.util
import json
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import SentenceEmbedder
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.cli import app
from metricloop.core.text import expand_shorthand, has_cjk
from metricloop.core.understand.evaluate import Case, Report, evaluate, parse_cases
from metricloop.core.understand.interpreter import Understander

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 27)
WAREHOUSE_END = dt.date(2026, 11, 26)
CATEGORIES = {"simple", "colloquial", "typo", "breakdown", "filter", "multi", "topn", "compare", "trend",
              "followup", "zh", "refuse", "clarify"}


def _must_refuse(case: Case) -> bool:
    kind = case.expect.get("kind", "query")
    return bool({"no_match", "unsupported"} & set(kind if isinstance(kind, list) else [kind]))


@dataclass(frozen=True)
class QuestionSet:
    """One fixture folder and how much its question set and its first-run measurements demand."""

    folder: str
    warehouse: str  # file name of the built warehouse
    threshold: float  # overall accuracy
    min_questions: int
    min_chinese: int
    not_answered: Callable[[Case], bool]  # what counts as a question that must not be answered with a number
    min_not_answered: int
    min_refusals: int

    @property
    def here(self) -> Path:
        return FIXTURES / self.folder


SETS = {s.folder: s for s in [
    QuestionSet("generality", "rides.duckdb",
                threshold=0.95,  # first measured 91.5% (before fixes), 96.4% after
                min_questions=120, min_chinese=25,
                not_answered=lambda c: c.expect.get("kind", "query") != "query", min_not_answered=20,
                min_refusals=20),
    QuestionSet("generality_saas", "saas.duckdb",
                threshold=0.95,  # first measured 67.4% (118/175, MRR semi-additive), 93.7% without it; 96.0% after
                min_questions=120, min_chinese=25,
                not_answered=lambda c: _must_refuse(c) or c.expect.get("kind") == "clarify", min_not_answered=20,
                min_refusals=20),
    QuestionSet("generality_ads", "ads.duckdb",
                threshold=0.97,  # first measured 88.0% (88/100) before any change; 97.0% after the fixes below
                min_questions=80, min_chinese=15,
                not_answered=lambda c: _must_refuse(c) or c.category == "clarify", min_not_answered=12,
                min_refusals=10),
]}


def build_warehouse(folder: str, path: Path) -> Path:
    """Build a fixture's warehouse at `path` with the folder's own generator (the fixtures are not a package)."""
    spec = importlib.util.spec_from_file_location(f"{folder}_build_warehouse", FIXTURES / folder / "build_warehouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(path, end=WAREHOUSE_END)


def shared_warehouse(folder: str, factory: pytest.TempPathFactory, path: Path) -> Path:
    """A copy at `path` of the fixture's warehouse, built once per test run: the soundness checks, the probes, the
    floors and the generality sets all read the same 39 warehouses, and under pytest-xdist each module's worker
    would otherwise build its own. Built by the real generator into a directory of this run only (the workers' base
    directories share a parent per run) under a lock, then renamed into place, so a worker never reads a half-written
    file.
    Checks that two builds give the same rows call `build_warehouse` twice instead."""
    base = factory.getbasetemp()
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cached = run / "shared-warehouses" / f"{folder}.duckdb"
    cached.parent.mkdir(parents=True, exist_ok=True)
    # a worker that needs a warehouse the other is building waits for it instead of building it a second time
    with open(cached.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cached.exists():
            building = cached.with_name(f"{folder}.{os.getpid()}.building.duckdb")
            build_warehouse(folder, building)
            os.replace(building, cached)
    shutil.copyfile(cached, path)
    return path


def shared_embedding_cache(folder: str, factory: pytest.TempPathFactory) -> Path:
    """One embedding cache per catalog for the whole test run: the floors, the probes and the generality sets embed
    the same catalogs (some 5 s each, cold), once instead of once per module. The cache is keyed by the catalog's
    digest, so a shared directory gives the same vectors; one directory per folder, as the cache keeps only the few
    newest files of a directory."""
    base = factory.getbasetemp()
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = run / "shared-embeddings" / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cases(qs: QuestionSet) -> tuple[dt.date, list[Case]]:
    data = YAML(typ="safe").load((qs.here / "questions.yaml").read_text(encoding="utf-8"))
    return data["today"], parse_cases(data)


class Worlds:
    """Each catalog's warehouse, understander and report, built once per test process when first asked for."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._warehouses: dict[str, Path] = {}
        self._understanders: dict[str, Understander] = {}
        self._reports: dict[str, Report] = {}

    def warehouse(self, folder: str) -> Path:
        if folder not in self._warehouses:
            tmp = self._tmp.mktemp(folder)
            self._warehouses[folder] = shared_warehouse(folder, self._tmp, tmp / SETS[folder].warehouse)
        return self._warehouses[folder]

    def understander(self, folder: str) -> Understander:
        if folder not in self._understanders:
            path = self.warehouse(folder)
            catalog = load_catalog(SETS[folder].here / "catalog")
            values = build_value_index(catalog, DuckDBWarehouse(str(path), read_only=True))
            cache = shared_embedding_cache(folder, self._tmp)
            self._understanders[folder] = Understander(catalog, SentenceEmbedder(cache_dir=cache), values)
        return self._understanders[folder]

    def report(self, folder: str) -> Report:
        if folder not in self._reports:
            today, cases = _cases(SETS[folder])
            understander = self.understander(folder)
            self._reports[folder] = evaluate(
                cases, lambda text, ctx: understander.interpret(text, today=today, context=ctx))
        return self._reports[folder]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory) -> Worlds:
    return Worlds(tmp_path_factory)


# -- the question sets -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", list(SETS))
def test_question_set_is_big_and_varied(folder):
    qs = SETS[folder]
    _, cases = _cases(qs)
    assert len(cases) >= qs.min_questions
    assert sum(has_cjk(c.q) for c in cases) >= qs.min_chinese
    assert sum(qs.not_answered(c) for c in cases) >= qs.min_not_answered
    assert {c.category for c in cases} >= CATEGORIES


@pytest.mark.parametrize("folder", list(SETS))
def test_generality_accuracy(worlds, folder):
    report = worlds.report(folder)
    lines = [f"{o.case.category:11} {o.case.q!r}: {'; '.join(o.problems)}" for o in report.failures]
    by_cat = {k: f"{a}/{n}" for k, (a, n) in report.by(lambda c: c.category).items()}
    assert report.accuracy >= SETS[folder].threshold, \
        f"accuracy {report.accuracy:.1%} by category {by_cat}\n" + "\n".join(lines)


# false answers left on each set, named so that a new one fails here (the accuracy floor alone would let it by)
KNOWN_FALSE = {
    "generality": {"how many riders do we have", "cancellations last week"},
    "generality_saas": set(),  # "how many seats are customers paying for" is asked back since session 8
    "generality_ads": {"are we paying too much per click these days?",
                       "how efficient was our spend last month, ROAS-wise"},
}


@pytest.mark.parametrize("folder", list(SETS))
def test_no_new_false_answers(worlds, folder):
    assert {o.case.q for o in worlds.report(folder).false_answers} <= KNOWN_FALSE[folder]


@pytest.mark.parametrize("folder", list(SETS))
def test_refusals_never_answer_with_a_number(worlds, folder):
    """A question that must be refused (not in the catalog, rows, forecasts, opinions) never gets a number.
    (Questions that should only be clarified are scored by the accuracy test.)"""
    refusals = [o for o in worlds.report(folder).outcomes if _must_refuse(o.case)]
    assert len(refusals) >= SETS[folder].min_refusals
    assert [o.case.q for o in refusals if o.got.kind == "query"] == []


# -- general fixes, each found by one of the sets and catalog-independent ------------------------------------------

def _facts(query, keys) -> dict:
    """The named facts of a MetricQuery, in the shape FIXED states them."""
    read = {"metrics": lambda q: list(q.metrics), "limit": lambda q: q.limit, "group_by": lambda q: q.group_by,
            "order_by": lambda q: [(o.field, o.descending) for o in q.order_by]}
    return {k: read[k](query) for k in keys}


# Questions that failed on a set's first run, before the general fixes they document.
FIXED = [
    ("generality", "forecast bookings for next month", "unsupported", {}),         # a forecast is no past period
    ("generality", "下个月的流水会是多少", "unsupported", {}),
    ("generality", "bookings by rider age", "clarify", {}),                       # "by <metric word> age": unknown
    ("generality", "online hours by ride type", "clarify", {}),                   # "rides" in "ride type" hid it
    ("generality", "bookings growth last week", "query", {"metrics": ["bookings_growth_wow"]}),  # no "(week over week)"
    ("generality", "active riders by acquisition channel this quarter", "query",
     {"metrics": ["active_riders"]}),                                              # a word qualifying a dimension
    ("generality_saas", "which customers have the most seats", "clarify", {}),    # a ranking of what we cannot group by
    ("generality_saas", "churn last month", "clarify", {}),                       # a value word that also names metrics
    ("generality_saas", "rank industries by MRR", "query", {"order_by": [("mrr", True)]}),  # "rank": biggest first
    ("generality_ads", "spend by ad creative", "clarify", {}),                    # "by <2-letter word> <noun>": unknown
    ("generality_ads", "which users converted from TikTok", "clarify", {}),       # "which <noun>" we cannot group by
    ("generality_ads", "show me the raw click log for yesterday", "unsupported", {}),  # raw data / logs are rows
    ("generality_ads", "本季度花费最多的5个广告系列", "query",
     {"limit": 5, "group_by": ("ad_day__campaign",)}),                             # 最多的5个: a top five, not one
    ("generality_ads", "how did mobile do last week", "clarify", {}),             # a known slice, no metric: ask which
    ("generality_ads", "performance by channel", "clarify", {}),
    ("generality_ads", "上周谷歌的表现怎么样", "clarify", {}),
]


@pytest.mark.parametrize("folder,text,kind,facts", FIXED)
def test_general_fixes(worlds, folder, text, kind, facts):
    got = worlds.understander(folder).interpret(text, today=TODAY)
    assert got.kind == kind, got.reason
    if facts:
        assert _facts(got.query, facts) == facts


def test_a_word_of_the_metric_name_is_no_extra_filter(worlds):
    """"did we complete" with the metric "Completed trips" adds no status = completed filter."""
    understander = worlds.understander("generality")
    got = understander.interpret("How many trips did we complete last month?", today=TODAY)
    assert got.query.metrics == ("completed_trips",) and got.query.where == ()
    kept = understander.interpret("completed trips paid by cash last month", today=TODAY)
    assert [(f.dimension, f.values) for f in kept.query.where] == [("trip__payment_method", ("cash",))]


def test_a_trend_over_n_months_is_monthly(worlds):
    """"over the last 3 months" counts months: three monthly points, not thirteen weekly ones (first run: week)."""
    got = worlds.understander("generality_ads").interpret("how has CTR evolved over the last 3 months", today=TODAY)
    assert got.query.grain == "month"
    assert (got.query.time_range.start, got.query.time_range.end) == (dt.date(2026, 8, 1), dt.date(2026, 10, 31))


@pytest.mark.parametrize("text,want", [
    ("which country had the cheapest clicks", "which country had the lowest cost per click"),
    ("most expensive conversions by channel", "highest cost per conversion by channel"),
    ("the cheapest plan", "the cheapest plan"),  # a singular noun is a thing, not a unit to price
])
def test_price_words_read_as_unit_cost(text, want):
    """First run (ads): "the cheapest clicks" was answered with clicks; it asks for the cost per click."""
    assert expand_shorthand(text) == want


def test_bare_huanbi_is_month_over_month(worlds):
    """MRR环比 with no period: this month so far against last month (the README's convention), not the last 30 days."""
    got = worlds.understander("generality_saas").interpret("MRR环比", today=TODAY)
    assert got.query.compare == "previous_period"
    assert (got.query.time_range.start, got.query.time_range.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 27))


@pytest.fixture(scope="module")
def semi_additive(tmp_path_factory):
    """SaaS MRR declared semi-additive over a dimension the model does not have: loads, cannot be computed."""
    tmp = tmp_path_factory.mktemp("semi_additive")
    for f in (SETS["generality_saas"].here / "catalog").glob("*.yml"):
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
    got = semi_additive.interpret(text, today=TODAY)
    assert got.kind == "unsupported" and ("semi-additive" in got.reason or "uses 'mrr'" in got.reason), got.reason


def test_a_computable_metric_containing_the_name_still_answers(semi_additive):
    got = semi_additive.interpret("new MRR last quarter", today=TODAY)
    assert got.kind == "query" and got.query.metrics == ("new_mrr",)


# -- end to end: `metricloop ask --json` rows equal hand-written SQL -----------------------------------------------

# (catalog, question) → (metrics, hand-written SQL giving the expected rows: dimension values first, then metrics)
END_TO_END = {
    ("generality", "completed trips by city last month"): (["completed_trips"], """
        SELECT city, count(*) FROM trips
        WHERE status = 'completed' AND requested_at BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY city"""),
    ("generality", "average fare for comfort rides last quarter"): (["average_fare"], """
        SELECT sum(fare) / count(*) FROM trips
        WHERE status = 'completed' AND ride_type = 'comfort' AND requested_at BETWEEN '2026-07-01' AND '2026-09-30'"""),
    ("generality", "new riders by acquisition source last month"): (["new_riders"], """
        SELECT acquisition_source, count(*) FROM riders
        WHERE signed_up_at BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY acquisition_source"""),
    ("generality", "online hours in Hamburg yesterday"): (["online_hours"], """
        SELECT sum(online_hours) FROM driver_shifts WHERE city = 'Hamburg' AND shift_date = '2026-11-26'"""),
    ("generality", "cancellation rate by city this month"): (["cancellation_rate"], """
        SELECT city, count(*) FILTER (WHERE status IN ('rider_cancelled', 'driver_cancelled')) / count(*) FROM trips
        WHERE requested_at BETWEEN '2026-11-01' AND '2026-11-27' GROUP BY city"""),
    ("generality", "trips per online hour last week"): (["trips_per_online_hour"], """
        SELECT (SELECT count(*) FROM trips
                WHERE status = 'completed' AND requested_at BETWEEN '2026-11-16' AND '2026-11-22')
             / (SELECT sum(online_hours) FROM driver_shifts WHERE shift_date BETWEEN '2026-11-16' AND '2026-11-22')"""),
    ("generality_saas", "MRR by plan last month"): (["mrr"], """
        SELECT a.plan, sum(m.mrr) FROM fct_mrr m JOIN dim_accounts a USING (account_id)
        WHERE m.date_month BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY a.plan"""),
    ("generality_saas", "how many logos churned last quarter?"): (["churned_accounts"], """
        SELECT count(DISTINCT account_id) FROM fct_mrr_movements
        WHERE movement_type = 'churn' AND movement_month BETWEEN '2026-07-01' AND '2026-09-30'"""),
    ("generality_saas", "median first response time by support channel this month"):
        (["median_first_response_minutes"], """
        SELECT channel, median(first_response_minutes) FROM fct_tickets
        WHERE created_at BETWEEN '2026-11-01' AND '2026-11-27' GROUP BY channel"""),
    ("generality_saas", "trial conversion rate in EMEA this year"): (["trial_conversion_rate"], """
        SELECT count(*) FILTER (WHERE converted AND started_trial) / count(*) FILTER (WHERE started_trial)
        FROM dim_accounts WHERE region = 'EMEA' AND created_at BETWEEN '2026-01-01' AND '2026-11-27'"""),
    ("generality_saas", "active accounts by feature last week"): (["active_accounts"], """
        SELECT feature, count(DISTINCT account_id) FROM fct_product_events
        WHERE event_date BETWEEN '2026-11-16' AND '2026-11-22' GROUP BY feature"""),
}


def _expected(warehouse: Path, sql: str) -> list[list]:
    """Rows of the hand-written SQL, numbers (DECIMAL sums too) as the floats the JSON carries."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sorted([v if isinstance(v, str) else float(v) for v in r] for r in con.execute(sql).fetchall())


def _close(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) if isinstance(x, (int, float)) and isinstance(y, (int, float))
        else x == y for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("folder,question", list(END_TO_END))
def test_ask_rows_equal_hand_written_sql(worlds, folder, question, tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    metrics, sql = END_TO_END[folder, question]
    warehouse = worlds.warehouse(folder)
    args = ["ask", question, "--catalog", str(SETS[folder].here / "catalog"), "--warehouse", str(warehouse),
            "--today", TODAY.isoformat(), "--json"]
    out = json.loads(CliRunner().invoke(app, args).stdout)
    assert (out["status"], out["metrics"]) == ("answered", metrics), out
    got, want = sorted(out["rows"]), _expected(warehouse, sql)
    assert got and len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=False)), (got, want)


@pytest.mark.parametrize("text,want", [
    ("cancelation rate last quater", "cancelation rate last quarter"),
    ("tkae rate last wek", "tkae rate last week"),
    ("orders this mont", "orders this month"),
    ("revenue last year", "revenue last year"),
    ("the last mile", "the last mile"),  # no period word is one slip away: left as written
])
def test_a_misspelt_period_word_after_last_or_this_is_read(text, want):
    """First run (hotels, delivery): "last quater", "last wek" were asked back as words nothing could place."""
    assert expand_shorthand(text) == want
