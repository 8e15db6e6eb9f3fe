"""Answers that are partial, empty or not there yet say so, in both languages (issue 10): the service's
`message` (what --json carries), the one-sentence summary, the terminal and Slack. Questions with no words
are answered at once, before any interpretation. Cases: tests/fixtures/answer_notes/cases.yml."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rich.console import Console
from ruamel.yaml import YAML
from tests.slack.conftest import FIXTURES, TableUnderstander, build_shop_warehouse

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.answer import Answer, Column
from metricloop.core.present.summary import summarize
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.core.understand.interpreter import Interpretation
from metricloop.render_terminal import print_answer
from metricloop.service import MetricService
from metricloop.slack.blocks import answer_blocks

CASES = YAML(typ="safe").load((FIXTURES / "answer_notes" / "cases.yml").read_text())
SERVICE_CASES = [(c, lang) for c in CASES["service"] for lang in ("en", "zh")]


class Counting:
    """A warehouse wrapper that counts the queries actually run."""

    def __init__(self, inner: DuckDBWarehouse) -> None:
        self.inner, self.runs = inner, 0

    def run(self, compiled, **kwargs):
        self.runs += 1
        return self.inner.run(compiled, **kwargs)


class NeverCalled:
    value_index = None

    def interpret(self, text, **kwargs):
        raise AssertionError(f"interpreted {text!r}")


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    catalog = load_catalog(FIXTURES / "catalogs" / "shop")
    warehouse = DuckDBWarehouse(str(build_shop_warehouse(tmp_path_factory.mktemp("notes") / "shop.duckdb")))
    yield catalog, warehouse
    warehouse.close()


def _service(shop, max_rows: int = 10_000) -> MetricService:
    catalog, warehouse = shop
    return MetricService(catalog=catalog, warehouse=Counting(warehouse), max_rows=max_rows,
                         clock=FixedClock(dt.date(2026, 3, 31)), understander=NeverCalled())


def _terminal(answer: Answer, metrics) -> str:
    console = Console(record=True, width=200, color_system=None, force_terminal=False)
    print_answer(console, answer, metrics)
    return console.export_text()


def _slack(answer: Answer, metrics) -> str:
    texts = []
    for block in answer_blocks(answer, metrics):
        texts.append(str(block.get("text", {}).get("text", "")))
        texts += [str(e.get("text", "")) for e in block.get("elements", []) if isinstance(e, dict)]
        texts += [str(cell.get("text", "")) for row in block.get("rows", []) for cell in row]
    return "\n".join(texts)


@pytest.mark.parametrize(("case", "lang"), SERVICE_CASES, ids=[f"{c['name']}-{lang}" for c, lang in SERVICE_CASES])
def test_the_answer_says_what_its_rows_are(shop, case, lang):
    service = _service(shop, case.get("max_rows", 10_000))
    metrics = {m.name: m for m in service.catalog.metrics}
    answer = service.query(MetricQuery.model_validate(case["query"]), lang=lang)
    expect = case[lang]
    assert answer.status == "answered", answer.message
    if "message" in case and case["message"] is None:
        assert answer.message is None
    for part in expect.get("message", []):
        assert part in (answer.message or ""), (part, answer.message)
    summary = summarize(answer, metrics, lang)
    for part in expect["summary"]:
        assert part in summary, (part, summary)
    for part in expect["not"]:
        assert part not in summary, (part, summary)
    if case.get("not_run"):
        assert service.warehouse.runs == 0 and answer.sql  # nothing run; the SQL that would run is shown
    for shown in (_terminal(answer, metrics), _slack(answer, metrics)):  # both front ends say the same
        assert summary.split("。")[0].split(". ")[0][:40] in shown.replace("\n", " ")
        for part in expect.get("message", []):
            assert part in shown.replace("\n", " ") or part in summary, (part, shown)
        if expect.get("not") and "—" in expect["not"]:
            assert "—" not in shown, shown


def test_the_json_contract_carries_the_note(shop):
    answer = _service(shop, 7).query(MetricQuery(metrics=("revenue",), group_by=("customer",)))
    payload = answer.to_json_dict()
    assert payload["truncated"] is True and "row cap" in payload["message"] and len(payload["rows"]) == 7


# a time series by group, cut inside its third day: the first two days are whole, the third is not
_COLUMNS = [Column(name="metric_time", label="Day", role="time", type="date"),
            Column(name="region", label="Region", role="dimension"),
            Column(name="revenue", label="Revenue", role="metric", metric="revenue", type="number")]
_ROWS = [["2026-01-01", "East", 30.0], ["2026-01-01", "North", 20.0], ["2026-01-01", "West", 10.0],
         ["2026-01-02", "East", 60.0], ["2026-01-02", "North", 50.0], ["2026-01-02", "West", 40.0],
         ["2026-01-03", "East", 90.0]]


@pytest.mark.parametrize(("lang", "says", "never"), [
    ("en", ["Jan 2, 2026", "East had the highest Revenue ($60) of 3 regions", "cut the result after Jan 2, 2026"],
     ["Jan 3", "$90", "of 1 region"]),
    ("zh", ["2026年1月2日", "共 3 个", "2026年1月2日之后被行数上限截断"], ["1月3日", "$90"]),
])
def test_a_partial_last_period_is_not_summarised_as_a_whole_one(shop, lang, says, never):
    metrics = {m.name: m for m in shop[0].metrics}
    query = MetricQuery(metrics=("revenue",), grain="day", group_by=("customer__region",))
    answer = Answer(status="answered", query=query, metrics=["revenue"], columns=_COLUMNS, rows=_ROWS,
                    truncated=True, language=lang)
    summary = summarize(answer, metrics, lang)
    assert all(s in summary for s in says), summary
    assert not any(n in summary for n in never), summary


@pytest.mark.parametrize(("question", "lang"), [(q, lang) for lang, qs in CASES["no_words"].items() for q in qs])
def test_a_question_of_symbols_only_is_not_read_as_a_metric(shop, question, lang):
    service = _service(shop)
    answer = service.ask(question)  # NeverCalled: the interpreter is never reached
    assert (answer.status, answer.language, answer.query) == ("no_match", lang, None)
    assert answer.message.startswith("I could not read a question" if lang == "en" else "无法从中读出问题")
    assert not answer.rows and service.warehouse.runs == 0
    shown = _terminal(answer, {})
    assert "metricloop catalog list" in shown and "/metrics list" not in shown  # the terminal's hint, not Slack's


@pytest.mark.parametrize("question", ["   ", "orders';--", "1=1", "Ｒｅｖｅｎｕｅ？"])
def test_blank_text_and_text_with_words_still_go_to_the_interpreter(shop, question):
    """Blank text is the interpreter's (it answers with its own help); only symbols alone stop in the service."""
    service = _service(shop)
    service.understander = TableUnderstander()
    service.ask(question)
    assert [text for text, _ in service.understander.asked] == [question]


def _catalog_with(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    for file in (FIXTURES / "catalogs" / "shop").iterdir():
        (root / file.name).write_text(file.read_text().replace(old, new))
    return root


@pytest.mark.parametrize(("old", "new", "what"), [
    ("      - name: region\n        type: categorical\n",
     "      - name: region\n        type: categorical\n        expr: sales_region\n", ("column", "列", "sales_region")),
    ("model: ref('orders')", "model: ref('orders_v2')", ("table", "表", "orders_v2")),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_column_or_table_the_warehouse_lacks_points_to_catalog_check(shop, tmp_path, old, new, what, lang):
    catalog = load_catalog(_catalog_with(tmp_path, old, new))
    service = MetricService(catalog=catalog, warehouse=shop[1], clock=FixedClock(dt.date(2026, 3, 31)))
    answer = service.query(MetricQuery(metrics=("revenue",), group_by=("customer__region",)), lang=lang)
    kind_en, kind_zh, name = what
    assert answer.status == "error" and answer.sql  # the SQL is still there for "Show SQL"
    assert "metricloop catalog check" in answer.message and name in answer.message
    assert (kind_en if lang == "en" else kind_zh) in answer.message
    assert "Binder" not in answer.message and "Catalog Error" not in answer.message


def test_other_engine_errors_keep_their_message(shop):
    """Only a missing column or table is reworded; a compile-time problem keeps the compiler's own message."""
    service = MetricService(catalog=shop[0], warehouse=shop[1], clock=FixedClock(dt.date(2026, 3, 31)))
    answer = service.query(MetricQuery(metrics=("revenue",), group_by=("customer__nowhere",)))
    assert answer.status == "error" and "catalog check" not in answer.message


class AsksTarget:
    """An interpreter reading every question as revenue in March 2026, measured against its target."""

    value_index = None

    def interpret(self, text, *, today=None, context=None, choose_metric=None):
        query = MetricQuery(metrics=["revenue"], time_range=TimeRange(start=dt.date(2026, 3, 1),
                                                                      end=dt.date(2026, 3, 31)))
        return Interpretation(kind="query", query=query, asks_target=True, language="en")


def test_an_answer_against_its_target_shows_it_in_every_front_end(shop):
    """The note was in `message` only: the terminal and Slack never showed it, and the chat's display (a single
    value re-run with its change) dropped it."""
    catalog, warehouse = shop
    service = MetricService(catalog=catalog, warehouse=warehouse, clock=FixedClock(dt.date(2026, 3, 31)),
                            understander=AsksTarget())
    metrics = {m.name: m for m in catalog.metrics}
    answer = service.for_display(service.ask("revenue vs target in march"))
    assert answer.target_note and "month target" in answer.target_note
    assert answer.target_note in (answer.message or "")
    assert "month target" in _terminal(answer, metrics) and "month target" in _slack(answer, metrics)
