"""Digests end to end: governed queries on a real warehouse, access rules per recipient, Slack blocks in the
channel's language, sparklines in the thread, sent once per (target, day), and through the scheduler."""
from __future__ import annotations

import datetime as dt

import pytest

from metricloop.adapters.charts import FakeChartRenderer
from metricloop.clock import FixedClock
from metricloop.core.query import MetricQuery, TimeRange
from metricloop.loop.digester import Digester
from metricloop.loop.jobs import JobRunner, jobs_from_loop
from metricloop.slack.digest_blocks import SlackDigestPoster

DIGEST_DAY = dt.date(2026, 3, 11)  # the loop warehouse's data ends on the 10th
NOW = dt.datetime(2026, 3, 11, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def charts():
    return FakeChartRenderer()


@pytest.fixture
def digester(loop_service, store, slack_client, charts):
    return Digester(loop_service, store, SlackDigestPoster(slack_client, loop_service.catalog, charts))


def _value(service, metric, start, end=None):
    q = MetricQuery(metrics=(metric,), time_range=TimeRange(start=start, end=end or start))
    return service.query(q).rows[0][0]


def test_digest_numbers_are_the_governed_answers(digester, loop_service):
    sales = next(t for t in digester.targets() if t.key == "#sales")
    digest = digester.build(sales, DIGEST_DAY)
    lines = {line.metric: line for line in digest.lines}
    assert [tier for tier, _ in digest.sections] == ["strategic", "operational"]
    day, before = dt.date(2026, 3, 10), dt.date(2026, 3, 9)
    for metric in ("revenue", "orders"):
        r = lines[metric].reading
        assert r.value == pytest.approx(_value(loop_service, metric, day))
        assert r.previous == pytest.approx(_value(loop_service, metric, before))
        assert r.year_ago == pytest.approx(_value(loop_service, metric, dt.date(2025, 3, 10)))
        assert r.to_date == pytest.approx(_value(loop_service, metric, dt.date(2026, 3, 1), day))
        assert len(r.series) == 28 and r.series[-1] == (day, r.value)
    assert lines["orders"].change < -0.2  # the planted dip on the 10th
    # within the operational tier, what moved most comes first
    operational = [line.metric for tier, ls in digest.sections if tier == "operational" for line in ls]
    assert operational[0] == "orders"


def test_open_alerts_and_overdue_actions_are_counted(digester, store):
    alert = store.add_alert("orders", "2026-03-09", "down", value=40, expected=70)
    store.add_action(alert.id, "ana@example.com", "2026-03-10", "restart the feed")  # due yesterday: overdue
    store.add_action(alert.id, "ana@example.com", "2026-03-11", "check again")        # due today: not yet
    sales = next(t for t in digester.targets() if t.key == "#sales")
    orders = next(line for line in digester.build(sales, DIGEST_DAY).lines if line.metric == "orders")
    assert (orders.reading.open_alerts, orders.reading.overdue_actions) == (1, 1)


def test_an_owner_target_adjustment_changes_the_digest(digester, store):
    store.add_adjustment("revenue", "target", {"value": 1.0, "period": "month", "text": "target 1 per month"},
                         "ana@example.com")
    sales = next(t for t in digester.targets() if t.key == "#sales")
    revenue = next(line for line in digester.build(sales, DIGEST_DAY).lines if line.metric == "revenue")
    assert revenue.progress.target.value == 1.0 and revenue.progress.on_track


def test_send_all_posts_each_digest_once_with_access_and_language(digester, store, fake_slack, charts):
    store.follow("U0BOB", "orders")
    outcomes = digester.send_all(DIGEST_DAY, NOW)
    # '#empty' lists only a finance metric it may not see: nothing to say, not sent
    assert outcomes == {"#sales": "sent", "C0FINANCE": "sent", "#empty": "empty", "U0BOB": "sent"}
    sales = [m for m in fake_slack.messages_in("#sales") if m.get("blocks")]
    assert len(sales) == 1
    blocks = sales[0]["blocks"]
    assert blocks[0]["text"]["text"] == "Metrics digest · Mar 10, 2026"
    assert [b["block_id"] for b in blocks if b["type"] == "context"] == ["tier_strategic", "tier_operational"]
    text = " ".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "vs previous day" in text and "vs a year ago" in text and "month target" in text
    # the Chinese channel sees the finance metric (its access group lists it) and reads Chinese
    finance = fake_slack.messages_in("C0FINANCE")[0]
    assert finance["blocks"][0]["text"]["text"] == "指标摘要 · 2026年3月10日"
    assert any(b.get("block_id") == "metric_cancelled_orders" for b in finance["blocks"])
    assert fake_slack.messages_in("#empty") == []
    # a follower gets their digest in their DM; the sparkline image goes in each digest's thread
    assert fake_slack.messages_in("D0BOB")[0]["blocks"][0]["type"] == "header"
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 3
    assert [row["metric"] for row in charts.specs[0]["data"]["values"][::28]][:2] == ["Revenue", "Orders"]
    # the thread remembers it is a digest, for owners' replies
    state = store.load_thread(sales[0]["channel"], sales[0]["ts"])
    # cancellation_rate is built on cancelled_orders, a finance metric #sales may not see: it is hidden too
    assert state["kind"] == "digest" and set(state["metrics"]) == {"revenue", "orders", "aov"}
    # a re-run (the job again, a second process, the CLI) sends nothing twice
    assert set(digester.send_all(DIGEST_DAY, NOW).values()) == {"already"}
    assert len([m for m in fake_slack.messages_in("#sales") if m.get("blocks")]) == 1


def test_a_failed_post_leaves_the_digest_to_a_later_run(digester, store, fake_slack):
    fake_slack.inject_error("chat.postMessage", "channel_not_found")
    first = digester.send_all(DIGEST_DAY, NOW)
    assert first["#sales"].startswith("failed:")
    assert digester.send_all(DIGEST_DAY, NOW)["#sales"] == "sent"


def test_the_scheduler_job_posts_the_digest_once_after_missed_mornings(digester, store, fake_slack, loop_catalog):
    def digest_job(fire: dt.datetime) -> dict:
        return digester.send_all(fire.date(), fire)

    def tick(day: dt.date, hhmm: str) -> None:
        h, m = map(int, hhmm.split(":"))
        JobRunner(store, jobs_from_loop(loop_catalog.loop, {"digest": digest_job}),
                  FixedClock(day, at=dt.time(h, m)), holder="bot-1").tick()

    tick(dt.date(2026, 3, 8), "08:00")  # the bot ran on the 8th, then was down for three mornings
    before = len(fake_slack.messages_in("#sales"))
    tick(DIGEST_DAY, "09:15")
    tick(DIGEST_DAY, "09:15")
    sales = fake_slack.messages_in("#sales")[before:]
    assert [m["blocks"][0]["text"]["text"] for m in sales if m.get("blocks")] == ["Metrics digest · Mar 10, 2026"]
    assert [r["day"] for r in store.digests_sent() if r["target"] == "#sales"] == ["2026-03-08", "2026-03-11"]
