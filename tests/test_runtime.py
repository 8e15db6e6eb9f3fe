"""build_runtime wires one clock, one service, one store, one app and one scheduler; the clocks agree on "today"."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from slack_bolt import App
from tests.slack.conftest import FIXTURES, build_shop_warehouse

from fakes import workspace as ws
from metricloop.clock import FixedClock, SystemClock
from metricloop.core.query import MetricQuery
from metricloop.runtime import build_runtime
from metricloop.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    path = build_shop_warehouse(tmp_path / "shop.duckdb")
    return Settings(_env_file=None, catalog_dir=FIXTURES / "catalogs" / "shop", warehouse=path,
                    store_path=tmp_path / "store.sqlite", cache_dir=tmp_path / "cache", timezone="Pacific/Kiritimati",
                    slack_bot_token="xoxb-test", slack_signing_secret="secret", value_refresh_minutes=30)


def test_the_slack_runtime_has_every_piece_sharing_one_service(settings, fake_slack):
    settings = settings.model_copy(update={"slack_api_url": fake_slack.base_url, "slack_bot_token": ws.BOT_TOKEN})
    runtime = build_runtime(settings, understanding=False, slack=True, jobs=True)
    try:
        assert isinstance(runtime.app, App) and runtime.store is not None
        assert runtime.service.clock is runtime.clock == SystemClock("Pacific/Kiritimati")
        # the value index, the loop's jobs (scan, digest, review from loop.yml) ticking under the leader lease, and
        # the notices outbox drained at start-up and every minute
        assert [job.id for job in runtime.scheduler.get_jobs()] == ["refresh-value-index", "loop-jobs", "loop-outbox"]
        assert runtime.loop_jobs is not None and runtime.loop_jobs.clock is runtime.clock
        assert not runtime.scheduler.running  # started only by runtime.start()
        runtime.start()
        assert runtime.scheduler.running
    finally:
        runtime.close()
    assert not runtime.scheduler.running


def test_a_plain_runtime_opens_no_store_and_schedules_nothing(settings):
    runtime = build_runtime(settings, understanding=False)
    try:
        assert runtime.store is None and runtime.app is None and runtime.scheduler is None
        assert not settings.store_path.exists()
    finally:
        runtime.close()


@pytest.mark.parametrize(("day", "last_day"), [("2026-03-11", "2026-03-11"), ("2026-06-01", "2026-03-15")])
def test_the_runtime_clock_is_the_day_a_series_stops_at(settings, day, last_day):
    """Weekly revenue 2–11 March is widened to whole weeks, but never past the clock's today."""
    runtime = build_runtime(settings, understanding=False, clock=FixedClock(dt.date.fromisoformat(day)))
    try:
        assert runtime.service.today() == dt.date.fromisoformat(day)
        sql = runtime.service.explain(MetricQuery(metrics=("revenue",), grain="week",
                                                  time_range={"start": "2026-03-02", "end": "2026-03-11"}))
        assert f"<= CAST('{last_day}' AS DATE)" in sql
    finally:
        runtime.close()


@pytest.mark.parametrize(("timezone", "offset_hours"), [("UTC", 0), ("Pacific/Kiritimati", 14), ("Etc/GMT+12", -12)])
def test_the_system_clock_reads_today_in_its_timezone(timezone, offset_hours):
    clock = SystemClock(timezone)
    now = clock.now()
    assert now.utcoffset() == dt.timedelta(hours=offset_hours)
    expected = dt.datetime.now(ZoneInfo(timezone)).date()
    assert clock.today() in (expected, expected - dt.timedelta(days=1))  # a midnight may pass in between


def test_a_fixed_clock_stands_still():
    clock = FixedClock(dt.date(2025, 12, 31), timezone="Asia/Shanghai")
    assert clock.today() == dt.date(2025, 12, 31)
    assert clock.now() == dt.datetime(2025, 12, 31, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_runtime_that_reads_questions_relearns_taught_words_every_minute(settings, fake_slack):
    settings = settings.model_copy(update={"slack_api_url": fake_slack.base_url, "slack_bot_token": ws.BOT_TOKEN,
                                           "embedding_model": "none"})
    runtime = build_runtime(settings, understanding=True, slack=True, jobs=True)
    try:
        jobs = {job.id: job for job in runtime.scheduler.get_jobs()}
        assert jobs["relearn-words"].func == runtime.service.relearn
        assert jobs["relearn-words"].trigger.interval.total_seconds() == 60
        assert runtime.service.relearn() is False  # nothing taught: nothing rebuilt
    finally:
        runtime.close()
