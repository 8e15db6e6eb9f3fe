"""Exactly-once notices across crashes: the attempt is recorded before chat.postMessage, every notice carries
its outbox key in the message metadata, and a notice whose earlier attempt was interrupted is looked for in
the channel's history (conversations.history with include_all_metadata) before it is posted again."""
from __future__ import annotations

import datetime as dt
import socket

import pytest
from slack_sdk import WebClient

from fakes import workspace as ws
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.adapters.process_id import current_worker
from metricloop.core.loop.anomaly import Anomaly, FreshnessProblem
from metricloop.loop.outbox import post_pending
from metricloop.slack.notifier import NOTICE_EVENT, SlackNotifier, notice_key, service_series

CHANNEL = ws.ALERTS_CHANNEL  # the documented default "#metrics-alerts": the notice is stored under its id
DAY = dt.date(2026, 3, 30)
ANOMALY = Anomaly(metric="revenue", day=DAY, value=700.0, expected=1000.0, lower=850.0, upper=1150.0, severity=-4.5,
                  direction="down")
FRESHNESS = FreshnessProblem(model="orders", expected_day=DAY, latest_day=DAY - dt.timedelta(days=1),
                             metrics=("revenue",))
DEAD = f"{socket.gethostname()}/999999999/1"  # a worker id whose process is not running on this host


class Crash(BaseException):
    """The process dying mid-post: nothing after it in post_pending runs (not an Exception it could catch)."""


class CrashAfterPost(SlackNotifier):
    """chat.postMessage goes through, then the process dies before the post is recorded."""

    def post(self, notice):
        super().post(notice)
        raise Crash


class CrashBeforePost(SlackNotifier):
    def post(self, notice):
        raise Crash


def notifier(cls, fake_slack, store, service) -> SlackNotifier:
    client = WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)
    return cls(client, store, lambda: service.catalog, chart_renderer=FakeChartRenderer(),
               series=service_series(service))


def notices_in_slack(fake_slack) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in fake_slack.messages_in(CHANNEL):
        if notice_key(message):
            counts[notice_key(message)] = counts.get(notice_key(message), 0) + 1
    return counts


def crash(store, poster) -> None:
    with pytest.raises(Crash):
        post_pending(store, poster, worker=DEAD)


@pytest.mark.parametrize("problem", [ANOMALY, FRESHNESS], ids=["anomaly", "freshness"])
def test_a_crash_after_posting_does_not_post_the_notice_twice(fake_slack, app_store, service, problem):
    (app_store.record_anomaly if isinstance(problem, Anomaly) else app_store.record_freshness)(problem)
    crash(app_store, notifier(CrashAfterPost, fake_slack, app_store, service))
    [pending] = app_store.pending_notices()
    assert pending.attempts == 1 and notices_in_slack(fake_slack) == {pending.key: 1}
    # the restarted process finds the message by its metadata and records it instead of posting again
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 1
    assert notices_in_slack(fake_slack) == {pending.key: 1}
    assert app_store.pending_notices() == []
    [posted] = app_store.notices()
    [message] = [m for m in fake_slack.messages_in(CHANNEL) if notice_key(m)]
    assert (posted.channel, posted.ts) == (CHANNEL, message["ts"])
    assert message["metadata"] == {"event_type": NOTICE_EVENT, "event_payload": {"key": pending.key}}
    history = fake_slack.calls_to("conversations.history")
    assert len(history) == 1 and str(history[0].params["include_all_metadata"]).lower() in ("1", "true")
    if isinstance(problem, Anomaly):  # the alert and the notice's thread know the message, as after a clean post
        [alert] = app_store.alerts(metric="revenue")
        assert (alert.channel, alert.ts) == (CHANNEL, message["ts"])
        assert app_store.load_thread(CHANNEL, message["ts"])["kind"] == "notice"


def test_a_crash_before_posting_posts_the_notice_once_after_restart(fake_slack, app_store, service):
    app_store.record_anomaly(ANOMALY)
    crash(app_store, notifier(CrashBeforePost, fake_slack, app_store, service))
    assert notices_in_slack(fake_slack) == {}
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 1
    assert list(notices_in_slack(fake_slack).values()) == [1]
    # draining again posts nothing and asks Slack nothing
    calls = len(fake_slack.calls)
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 0
    assert len(fake_slack.calls) == calls


def test_a_first_post_does_not_search_the_history(fake_slack, app_store, service):
    app_store.record_anomaly(ANOMALY)
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 1
    assert fake_slack.calls_to("conversations.history") == []


def test_a_notice_another_running_process_is_posting_is_left_to_it(fake_slack, app_store, service):
    app_store.record_anomaly(ANOMALY)
    [notice] = app_store.pending_notices()
    alive = str(current_worker())  # this very process: running
    assert app_store.claim_notice(notice.key, alive) == "first"
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service), worker="other/1/1") == 0
    assert notices_in_slack(fake_slack) == {}
    # the claimer itself may go on (a retry of its own attempt looks first)
    assert app_store.claim_notice(notice.key, alive) == "retry"


def test_the_history_search_pages_through_a_busy_channel(fake_slack, app_store, service):
    app_store.record_anomaly(ANOMALY)
    crash(app_store, notifier(CrashAfterPost, fake_slack, app_store, service))
    client = WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)
    for k in range(250):  # later chatter pushes the notice off the first page
        client.chat_postMessage(channel=CHANNEL, text=f"chatter {k}")
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 1
    assert list(notices_in_slack(fake_slack).values()) == [1]
    assert len(fake_slack.calls_to("conversations.history")) == 2
