"""Action reviews end to end: the review job judges due actions against the pre-alert baseline, posts the
verdict in the notice's thread with a chart, once; Close / Extend through the real Bolt app."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.adapters.store import SQLiteStore
from metricloop.clock import FixedClock
from metricloop.core.present.texts import say
from metricloop.loop.jobs import JobRunner, jobs_from_loop
from metricloop.loop.reviewer import Reviewer
from metricloop.settings import Settings
from metricloop.slack.app import build_app
from metricloop.slack.review_blocks import CLOSE_ACTION, EXTEND_ACTION, SlackReviewPoster

CHANNEL = "C0SALES"


class StoreClock:
    """The store's clock, set to the moment each action is opened."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def store_clock():
    return StoreClock()


@pytest.fixture
def store(tmp_path, store_clock):
    s = SQLiteStore(tmp_path / "store.sqlite", clock=store_clock)
    yield s
    s.close()


@pytest.fixture
def charts():
    return FakeChartRenderer()


@pytest.fixture
def reviewer(loop_service, store, slack_client, charts):
    return Reviewer(loop_service, store, SlackReviewPoster(slack_client, loop_service.catalog, charts))


def notice(store, slack_client, metric, day, value, expected):
    """An alert whose notice was posted in CHANNEL (what the scan and the outbox leave behind)."""
    alert = store.add_alert(metric, day, "down", value=value, expected=expected)
    ts = slack_client.chat_postMessage(channel=CHANNEL, text=f"{metric} dropped")["ts"]
    return store.set_alert_message(alert.id, CHANNEL, ts)


def action(store, clock, alert, due, created):
    clock.at = dt.datetime.combine(created, dt.time(10), tzinfo=dt.UTC)  # the action is opened on `created`
    return store.add_action(alert.id, "ana@example.com", due, "re-enable the checkout promo")


@pytest.mark.parametrize(("alert_day", "value", "expected", "created", "review_day", "outcome"), [
    # a one-day dip on Feb 20 (the planted value); the metric ran normally afterwards: recovered
    ("2026-02-20", 20.0, 60.0, dt.date(2026, 2, 21), dt.date(2026, 3, 5), "recovered"),
    # the alert on Mar 9, and the warehouse's planted drop on Mar 10, the only day since: not yet
    ("2026-03-09", 40.0, 68.0, dt.date(2026, 3, 9), dt.date(2026, 3, 11), "not_yet"),
])
def test_review_verdicts_on_the_warehouse(reviewer, store, store_clock, slack_client, alert_day, value, expected,
                                         created, review_day, outcome):
    alert = notice(store, slack_client, "orders", alert_day, value, expected)
    act = action(store, store_clock, alert, review_day, created)
    result = reviewer.review(act, review_day)
    assert result.verdict.outcome == outcome
    counted = [p for p in result.points if p[0] >= result.start]
    assert result.start == max(dt.date.fromisoformat(alert_day) + dt.timedelta(days=1), created)
    assert all(a is not None and e is not None for _, a, e in counted)  # governed values and a baseline each day
    assert result.verdict.days == len(counted)


def test_the_review_job_posts_the_verdict_in_the_notice_thread_once(reviewer, store, store_clock, slack_client,
                                                                   fake_slack, charts, loop_catalog):
    alert = notice(store, slack_client, "orders", "2026-02-20", 20.0, 60.0)
    action(store, store_clock, alert, "2026-03-05", dt.date(2026, 2, 21))
    action(store, store_clock, alert, "2026-03-20", dt.date(2026, 2, 21))  # not due yet

    def tick(day: dt.date) -> None:
        JobRunner(store, jobs_from_loop(loop_catalog.loop, {"review": lambda fire: reviewer.review_due(fire.date())}),
                  FixedClock(day, at=dt.time(9, 1)), holder="bot").tick()

    tick(dt.date(2026, 3, 5))
    tick(dt.date(2026, 3, 6))  # the next day's review finds nothing new to say
    replies = [m for m in fake_slack.messages_in(CHANNEL, alert.ts) if m.get("thread_ts") == alert.ts]
    verdicts = [m for m in replies if m.get("blocks")]
    assert len(verdicts) == 1
    blocks = {b.get("block_id"): b for b in verdicts[0]["blocks"]}
    assert blocks["verdict"]["text"]["text"].startswith("*Recovered*")
    assert "On 2026-02-20: 20 vs 60 expected." in blocks["numbers"]["text"]["text"]
    assert [e["action_id"] for e in blocks["review_buttons"]["elements"]] == [CLOSE_ACTION, EXTEND_ACTION]
    assert any(m.get("files") for m in replies)  # the chart, in the same thread
    spec = charts.specs[-1]
    assert {v["series"] for v in spec["layer"][0]["data"]["values"]} == {"actual", "expected"}
    stored = json.loads(store.actions(alert_id=alert.id)[0].review_result)
    assert stored["outcome"] == "recovered" and stored["reviewed_on"] == "2026-03-05"
    assert store.actions(alert_id=alert.id)[1].review_result is None


def _wait(condition, what: str):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize(("button", "status", "due", "lang"), [
    (CLOSE_ACTION, "done", "2026-03-05", "en"),
    (EXTEND_ACTION, "open", "2026-03-18", "en"),  # a week after the service's today (Mar 11), reviewed again then
    (CLOSE_ACTION, "done", "2026-03-05", "zh"),  # the notice's thread speaks Chinese (loop.yml by #name: the
    (EXTEND_ACTION, "open", "2026-03-18", "zh"),  # click carries the id, the thread its saved language)
])
def test_close_and_extend_buttons(reviewer, store, store_clock, slack_client, fake_slack, loop_service, signing_secret,
                                  tmp_path, button, status, due, lang):
    alert = notice(store, slack_client, "orders", "2026-02-20", 20.0, 60.0)
    if lang == "zh":
        store.save_thread(CHANNEL, alert.ts, {"kind": "notice", "alert": alert.id, "language": lang,
                                              "metrics": ["orders"]})
    act = action(store, store_clock, alert, "2026-03-05", dt.date(2026, 2, 21))
    reviewer.review_due(dt.date(2026, 3, 5))
    verdict = next(m for m in fake_slack.messages_in(CHANNEL, alert.ts) if m.get("thread_ts") and m.get("blocks"))
    settings = Settings(slack_bot_token=ws.BOT_TOKEN, slack_signing_secret=signing_secret,
                        slack_api_url=fake_slack.base_url, store_path=tmp_path / "store.sqlite")
    app = build_app(settings, loop_service, store, client=slack_client)
    payload = rq.block_actions(button, str(act.id), channel=CHANNEL, message_ts=verdict["ts"], thread_ts=alert.ts,
                               message_blocks=verdict["blocks"])
    assert app.dispatch(rq.bolt_request(*rq.signed_interaction(payload, signing_secret))).status == 200
    _wait(lambda: fake_slack.calls_to("chat.update"), "the verdict rewritten")
    updated = fake_slack.calls_to("chat.update")[-1].params
    blocks = updated["blocks"] if isinstance(updated["blocks"], list) else json.loads(updated["blocks"])
    assert not any(b.get("block_id") == "review_buttons" for b in blocks)
    who = f"<@{ws.DEFAULT_USER}>"
    assert updated["text"] == (say("review_closed_by", lang, user=who) if button == CLOSE_ACTION
                               else say("review_extended_by", lang, user=who, due=due))
    _wait(lambda: store.actions(alert_id=alert.id)[0].status == status, "the action updated")
    stored = store.actions(alert_id=alert.id)[0]
    assert stored.due == due
    assert (stored.review_result is None) is (button == EXTEND_ACTION)


@pytest.mark.parametrize(("saved", "expected"), [("zh", "zh"), (None, "en")])
def test_the_verdict_speaks_the_notice_threads_language(reviewer, store, store_clock, slack_client, saved, expected):
    """The notice is stored under the channel's id (C0SALES) while loop.yml may set the language by "#sales": the
    thread's saved language (the notifier's) wins, else loop.yml on the stored channel (nothing: English)."""
    alert = notice(store, slack_client, "orders", "2026-02-20", 20.0, 60.0)
    if saved:
        store.save_thread(CHANNEL, alert.ts, {"kind": "notice", "alert": alert.id, "language": saved,
                                              "metrics": ["orders"]})
    act = action(store, store_clock, alert, dt.date(2026, 3, 5), dt.date(2026, 2, 21))
    assert reviewer.review(act, dt.date(2026, 3, 5)).language == expected
