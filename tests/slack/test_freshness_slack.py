"""Slack end to end: an answer whose latest days have not arrived says so in the thread, and so does its
follow-up (signed events, the real Bolt app, the fake Web API), on the shop warehouse whose last load was cut
short (tests/fixtures/freshness_notes)."""
from __future__ import annotations

from datetime import date

import pytest
from tests.slack.conftest import TableUnderstander
from tests.test_freshness_notes import build_late_warehouse

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.service import MetricService

CH = ws.DEFAULT_CHANNEL
NOT_IN = "Data for Orders is loaded up to Mar 29, 2026; Mar 30, 2026 to Mar 31, 2026 are not in yet"


@pytest.fixture
def service(shop_catalog, tmp_path):  # the conftest's app, over the late warehouse
    warehouse = DuckDBWarehouse(str(build_late_warehouse(tmp_path / "late.duckdb")), timeout_s=10)
    yield MetricService(catalog=shop_catalog, warehouse=warehouse, understander=TableUnderstander(),
                        clock=FixedClock(date(2026, 3, 31)))
    warehouse.close()


def _summary(message: dict) -> str:
    return next(b for b in message["blocks"] if b.get("block_id") == "ml_summary")["text"]["text"]


def test_a_late_load_is_said_in_the_thread_and_in_its_follow_up(driver):
    event = rq.app_mention("revenue in March")
    driver.event(event)
    first, = driver.replies(CH, event["ts"])
    summary = _summary(first)
    assert NOT_IN in summary and "the number is partial" in summary
    assert "vs the previous period" not in summary and "(was" not in summary  # shown alone, never compared
    assert NOT_IN in first["text"]  # notifications and screen readers get it too
    driver.event(rq.message("and by region?", thread_ts=event["ts"]))
    second = driver.replies(CH, event["ts"], n=2)[-1]
    assert NOT_IN in _summary(second) and "had the highest Revenue" in _summary(second)


def test_a_day_not_loaded_is_not_answered_as_a_number(driver):
    event = rq.app_mention("orders yesterday")
    driver.event(event)
    reply, = driver.replies(CH, event["ts"])
    # the day spine's 0 is no number: the summary says the day is not in yet, and nothing else
    assert _summary(reply) == ("Data for Orders is loaded up to Mar 29, 2026; Mar 30, 2026 is not in yet — so far "
                               "nothing is counted.")
