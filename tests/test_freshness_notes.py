"""Answers say when their latest days are missing or partial (issue 8's "late data is never a collapse", for
answers): the service's `message`, the one-sentence summary, the terminal and Slack; a fully loaded period says
nothing; follow-ups keep working. Cases: tests/fixtures/freshness_notes/cases.yml, on a warehouse built here whose
last load was cut short (tests/fixtures/freshness_notes/warehouse.sql)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest
from rich.console import Console
from ruamel.yaml import YAML

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.answer import Answer, Option
from metricloop.core.catalog.model import Catalog
from metricloop.core.present.summary import summarize
from metricloop.core.query import MetricQuery
from metricloop.loop.latest_days import PROBE_PREFIX, LatestDays
from metricloop.render_terminal import print_answer
from metricloop.service import MetricService
from metricloop.slack.blocks import answer_blocks, fallback_text
from metricloop.thread_state import ThreadState

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "freshness_notes"
CASES = YAML(typ="safe").load((HERE / "cases.yml").read_text(encoding="utf-8"))
SERVICE_CASES = [(c, lang) for c in CASES["service"] for lang in ("en", "zh")]
TODAY = dt.date(2026, 3, 31)


class Interpretation:
    """Shaped like core.understand.Interpretation (what MetricService.ask reads)."""

    def __init__(self, kind: str, query: MetricQuery | None = None, language: str = "en") -> None:
        self.kind, self.query, self.language = kind, query, language
        self.options: list[Option] = []
        self.restatement = self.reason = None


class Questions:
    """An Interpreter that knows exactly the questions in cases.yml (a query, or a change to the thread's)."""

    value_index = None

    def interpret(self, text: str, *, today: Any = None, context: MetricQuery | None = None, **_: Any):
        entry = CASES["questions"].get(text)
        if entry is None or ("follow_up" in entry and context is None):
            return Interpretation("no_match")
        query = (context.with_changes(**entry["follow_up"]) if "follow_up" in entry
                 else MetricQuery.model_validate(entry["query"]))
        return Interpretation("query", query, entry["lang"])


class Recording:
    """A warehouse wrapper that records each compiled query it runs, and can fail the latest-day probes."""

    def __init__(self, inner: DuckDBWarehouse, fail_probes: bool = False) -> None:
        self.inner, self.fail_probes, self.ran = inner, fail_probes, []

    def run(self, compiled, **kwargs):
        self.ran.append(compiled.query)
        if self.fail_probes and compiled.query.metrics[0].startswith(PROBE_PREFIX):
            raise RuntimeError("the warehouse is down for the probe")
        return self.inner.run(compiled, **kwargs)

    def probes(self) -> list[MetricQuery]:
        return [q for q in self.ran if q.metrics[0].startswith(PROBE_PREFIX)]


def build_late_warehouse(path: Path) -> Path:
    """The shop warehouse whose last load was cut short (warehouse.sql), as a DuckDB file at `path`."""
    con = duckdb.connect(str(path))
    for script in (FIXTURES / "slack" / "shop_warehouse.sql", HERE / "warehouse.sql"):
        con.execute(script.read_text())
    con.close()
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = DuckDBWarehouse(str(build_late_warehouse(tmp_path_factory.mktemp("late") / "late.duckdb")))
    yield wh
    wh.close()


def _catalog(lag: int) -> Catalog:
    shop = load_catalog(FIXTURES / "catalogs" / "shop")
    return Catalog(semantic_models=shop.semantic_models, metrics=shop.metrics, root=shop.root,
                   loop={**shop.loop, "freshness": {"orders": lag}})


def _service(warehouse, lag: int = 1, **kwargs) -> MetricService:
    return MetricService(catalog=_catalog(lag), warehouse=Recording(warehouse, **kwargs), clock=FixedClock(TODAY),
                         understander=Questions())


def _metrics(service: MetricService) -> dict:
    return {m.name: m for m in service.catalog.metrics}


def _terminal(answer: Answer, metrics) -> str:
    console = Console(record=True, width=400, color_system=None, force_terminal=False)
    print_answer(console, answer, metrics)
    return console.export_text().replace("\n", " ")


def _slack(answer: Answer, metrics) -> str:
    texts = [fallback_text(answer, metrics)]
    for block in answer_blocks(answer, metrics):
        texts.append(str(block.get("text", {}).get("text", "")))
        texts += [str(e.get("text", "")) for e in block.get("elements", []) if isinstance(e, dict)]
    return " ".join(texts)


def _says(text: str, parts: list[str], never: list[str] = ()) -> None:
    missing = [p for p in parts if p not in text]
    present = [n for n in never if n in text]
    assert not missing and not present, (text, missing, present)


@pytest.mark.parametrize(("case", "lang"), SERVICE_CASES, ids=[f"{c['name']}-{lang}" for c, lang in SERVICE_CASES])
def test_an_answer_says_which_latest_days_are_missing_or_partial(warehouse, case, lang):
    service = _service(warehouse, case["complete_after_days"])
    metrics = _metrics(service)
    answer = service.note_freshness(service.query(MetricQuery.model_validate(case["query"]), lang=lang))
    expect = case[lang]
    assert answer.status == "answered", answer.message
    if "message" in case and case["message"] is None:
        assert answer.message is None and answer.partial_data is None
    _says(answer.message or "", expect.get("message", []))
    summary = summarize(answer, metrics, lang)
    _says(summary, expect["summary"], never=expect["not"])
    note = answer.partial_data.note if answer.partial_data else None
    for shown in (_terminal(answer, metrics), _slack(answer, metrics)):  # both front ends show the note
        assert note is None or note in shown, (note, shown)
    as_json = answer.to_json_dict()  # --json carries the note in `message`
    assert as_json["message"] == answer.message


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_single_number_shown_with_its_change_is_not_compared_while_partial(warehouse, lang):
    """Slack and the terminal show a lone number with the period before (for_display): not while it is partial."""
    service = _service(warehouse, 1)
    question = "revenue in march" if lang == "en" else "三月的销售额"
    answer = service.ask(question)
    shown = service.for_display(answer)
    assert shown.partial_data == answer.partial_data is not None
    assert answer.partial_data.note in shown.message
    summary = summarize(shown, _metrics(service), lang)
    assert answer.partial_data.note in summary
    assert not any(word in summary for word in ("vs the previous period", "(was", "环比", "上期")), summary


@pytest.mark.parametrize(("first", "follow", "lang"), [
    ("revenue in march", "and by region?", "en"),
    ("三月的销售额", "按地区呢？", "zh"),
])
def test_a_follow_up_keeps_working_and_keeps_saying_so(warehouse, first, follow, lang):
    service = _service(warehouse, 1)
    answer, state = service.ask_in_thread(ThreadState(), first)
    assert answer.partial_data is not None and answer.language == lang
    answer, state = service.ask_in_thread(state, follow)
    assert answer.status == "answered" and answer.query.group_by == ("customer__region",)
    assert answer.query.time_range == MetricQuery.model_validate(CASES["questions"][first]["query"]).time_range
    assert answer.partial_data is not None and answer.partial_data.note in (answer.message or "")
    assert ("not in yet" if lang == "en" else "尚未到达") in answer.message
    answer, state = service.ask_in_thread(state, "and in february?")  # a whole month: no note any more
    assert answer.status == "answered" and answer.partial_data is None and answer.message is None
    assert state.context.time_range.start == dt.date(2026, 2, 1)


def test_yesterday_not_loaded_is_said_instead_of_no_data(warehouse):
    service = _service(warehouse, 1)
    answer = service.ask("orders yesterday")
    assert answer.partial_data.incomplete_from == dt.date(2026, 3, 30)
    # `orders` fills missing days with 0: the note says that 0 counts nothing yet
    assert answer.message == ("Data for Orders is loaded up to Mar 29, 2026; Mar 30, 2026 is not in yet — so far "
                              "nothing is counted.")


def test_the_latest_day_is_read_once_per_model_and_kept_for_a_short_time(warehouse):
    clock = [0.0]
    service = _service(warehouse, 1)
    service.latest_days = LatestDays(service, ttl_s=60, now=lambda: clock[0])
    for _ in range(3):
        service.ask("revenue in march")
        service.ask("orders yesterday")  # the same model: the same probe
    probes = service.warehouse.probes()
    assert len(probes) == 1 and service.latest_days.probes_run == 1
    probe = probes[0]  # a governed MetricQuery: by day, latest first, one row, never past today
    assert (probe.grain, probe.limit, probe.time_range.end) == ("day", 1, TODAY)
    assert probe.order_by[0].field == "metric_time" and probe.order_by[0].descending
    clock[0] = 61.0
    service.ask("revenue in march")
    assert len(service.warehouse.probes()) == 2  # expired: read again
    service.ask("revenue in march", today=dt.date(2026, 3, 30))
    assert len(service.warehouse.probes()) == 3  # another "today" is another question
    clock[0] = 200.0
    service.ask("revenue in march")
    assert len(service.latest_days._days) == 1  # expired days are dropped, not kept forever


def test_a_probe_that_fails_leaves_the_answer_alone(warehouse):
    service = _service(warehouse, 1, fail_probes=True)
    answer = service.ask("revenue in march")
    assert answer.status == "answered" and answer.partial_data is None and answer.message is None
    assert answer.rows == [[28200.0]]


def test_a_day_spine_metric_does_not_make_missing_days_look_loaded(warehouse):
    """`orders` fills every day with 0 (join_to_timespine): the probe counts the model's rows, not the metric."""
    service = _service(warehouse, 1)
    answer = service.note_freshness(service.query(MetricQuery.model_validate(
        {"metrics": ["orders"], "grain": "day", "time_range": {"start": "2026-03-27", "end": "2026-03-31"}})))
    assert [r[1] for r in answer.rows][-2:] == [0.0, 0.0]  # the spine's zeros are there ...
    assert answer.partial_data.incomplete_from == dt.date(2026, 3, 30)  # ... and are named as not in yet
