"""The conversation model shared by Slack threads and the terminal chat: one turn in, the next state out."""
from __future__ import annotations

import datetime as dt

import pytest
from tests.slack.conftest import FIXTURES, TableUnderstander, build_shop_warehouse

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.answer import Answer, Option
from metricloop.core.query import MetricQuery
from metricloop.service import MetricService
from metricloop.thread_state import ThreadState

REVENUE = MetricQuery(metrics=("revenue",))
PENDING = ThreadState(context=REVENUE, question="how are sales", options=("revenue", "orders"))


@pytest.mark.parametrize(("state", "text", "picked"), [
    (PENDING, "2", "orders"), (PENDING, " 1 ", "revenue"), (PENDING, "3", None), (PENDING, "0", None),
    (PENDING, "2 please", None), (ThreadState(), "1", None),
])
def test_a_number_picks_an_offered_option(state, text, picked):
    assert state.picked(text) == picked


@pytest.mark.parametrize(("answer", "expected"), [
    (Answer(status="answered", query=MetricQuery(metrics=("orders",)), language="zh"),
     ThreadState(context=MetricQuery(metrics=("orders",)), language="zh")),
    (Answer(status="clarify", options=[Option(metric="aov", label="AOV")]),
     ThreadState(context=REVENUE, question="q", options=("aov",))),
    (Answer(status="no_match"), ThreadState(context=REVENUE, question="q")),
    (Answer(status="error", message="boom"), PENDING),
    (Answer(status="denied", message="no"), PENDING),
])
def test_the_next_state_after_an_answer(answer, expected):
    assert PENDING.after(answer, "q") == expected


@pytest.mark.parametrize("state", [ThreadState(), PENDING, ThreadState(context=REVENUE, language="zh")])
def test_the_state_round_trips_through_the_store_form(state):
    assert ThreadState.from_dict(state.to_dict()) == state


def test_an_unreadable_stored_context_starts_afresh():
    assert ThreadState.from_dict({"query": {"metrics": []}, "language": "zh"}) == ThreadState(language="zh")
    assert ThreadState.from_dict(None) == ThreadState()


@pytest.fixture
def service(tmp_path):
    warehouse = DuckDBWarehouse(str(build_shop_warehouse(tmp_path / "shop.duckdb")))
    yield MetricService(catalog=load_catalog(FIXTURES / "catalogs" / "shop"), warehouse=warehouse,
                        understander=TableUnderstander(), clock=FixedClock(dt.date(2026, 3, 31)))
    warehouse.close()


def test_a_conversation_asks_clarifies_picks_and_follows_up(service):
    answer, state = service.ask_in_thread(ThreadState(), "how are sales doing in February")
    assert answer.status == "clarify" and state.options == ("revenue", "orders", "aov")
    answer, state = service.ask_in_thread(state, "2")
    assert answer.status == "answered" and answer.query.metrics == ("orders",)
    assert answer.query.time_range.start == dt.date(2026, 2, 1)  # the question's period kept
    assert state == ThreadState(context=answer.query, language="en")
    answer, state = service.ask_in_thread(state, "and by region?")
    assert answer.query.group_by == ("customer__region",) and answer.query.metrics == ("orders",)


def test_a_pick_the_question_cannot_settle_answers_the_metric_over_the_threads_shape(service):
    state = ThreadState(context=MetricQuery(metrics=("revenue",), time_range={"start": "2026-03-01",
                                                                              "end": "2026-03-31"}),
                        question="employee headcount", options=("orders",))
    answer, state = service.ask_in_thread(state, "1")
    assert answer.status == "answered" and answer.query.metrics == ("orders",)
    assert answer.query.time_range.end == dt.date(2026, 3, 31) and state.options == ()
