"""Channels named in the catalog as "#name" (meta.channel, loop.yml alerts.channel, digest.channels) work wherever
Slack wants an id: slack/channel_ids resolves them with conversations.list, and the fake Slack answers
channel_not_found to a "#name" in conversations.history, conversations.members, chat.update and the file upload,
as Slack does. End to end: a notice interrupted between chat.postMessage and its record is found (no duplicate)
and stored under the id that clicks and thread replies carry; its chart lands in its thread; an unknown channel,
or one the bot is not in, is said in words."""
from __future__ import annotations

import datetime as dt

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from tests.slack.conftest import wait_for
from tests.slack.test_loop import ANOMALY, OWNER, buttons, message_alert, reply
from tests.slack.test_notice_once import CrashAfterPost, crash, notifier

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.core.loop.digest import Digest
from metricloop.loop.outbox import post_pending
from metricloop.slack import loop_blocks as lb
from metricloop.slack.audience import Audience
from metricloop.slack.channel_ids import ChannelIds, ChannelNotFound
from metricloop.slack.digest_blocks import SlackDigestPoster
from metricloop.slack.notifier import SlackNotifier, notice_key, service_series

ALERTS = "#metrics-alerts"  # the shop catalog names no channel: the documented default, written as a name


@pytest.fixture
def client(fake_slack) -> WebClient:
    return WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)


@pytest.fixture(autouse=True)
def owner(fake_slack):
    fake_slack.workspace.users[OWNER] = {"name": "ana", "profile": {"email": "ana@example.com"}}


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# -- the resolver ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "expected"), [
    ("#sales-metrics", "C0SALESMETRICS"), ("sales-metrics", "C0SALESMETRICS"), ("#Sales-Metrics", "C0SALESMETRICS"),
    ("C0SALESMETRICS", "C0SALESMETRICS"), ("C0NOTLISTED", "C0NOTLISTED"), ("D0ALICE", "D0ALICE"),
    ("U0ALICE", "U0ALICE"), ("#secret-room", "G0SECRET"),
])
def test_a_configured_channel_resolves_to_its_id(fake_slack, client, written, expected):
    fake_slack.add_channel("#secret-room", "G0SECRET", is_private=True)
    assert ChannelIds(client).resolve(written) == expected
    listed = fake_slack.calls_to("conversations.list")
    assert len(listed) == (0 if written[:1].isupper() else 1)  # ids cost no call
    for call in listed:
        assert set(call.params["types"].split(",")) == {"public_channel", "private_channel"}
        assert str(call.params["exclude_archived"]).lower() in ("1", "true")


def test_the_list_is_paged_cached_and_read_again_after_the_ttl(fake_slack, client):
    for k in range(1005):  # more than one page of 1000
        fake_slack.add_channel(f"#room-{k:04d}", f"C0ROOM{k:04d}")
    clock = Ticks()
    ids = ChannelIds(client, ttl_s=60, clock=clock)
    assert ids.resolve("#room-1004") == "C0ROOM1004" and ids.resolve("#sales") == "C0SALES"
    assert len(fake_slack.calls_to("conversations.list")) == 2  # two pages, once
    fake_slack.add_channel("#late-room", "C0LATE")
    with pytest.raises(ChannelNotFound):
        ids.resolve("#late-room")  # still the cached list
    clock.now = 61
    assert ids.resolve("#late-room") == "C0LATE"
    assert len(fake_slack.calls_to("conversations.list")) == 4


def test_an_archived_channel_is_not_found(fake_slack, client):
    fake_slack.workspace.add_channel("#old-room", "C0OLD", is_archived=True)
    with pytest.raises(ChannelNotFound) as err:
        ChannelIds(client).resolve("#old-room")
    assert err.value.reason == "missing"


@pytest.mark.parametrize(("written", "reason", "words"), [
    ("#no-such-room", "missing", "Slack has no channel #no-such-room"),
    ("no-such-room", "missing", "Slack has no channel #no-such-room"),
    ("#quiet-room", "not_member", "The bot is not in #quiet-room"),
    ("#hidden-room", "missing", "Slack has no channel #hidden-room"),  # private, bot outside: invisible
])
def test_an_unusable_channel_is_said_in_words(fake_slack, client, written, reason, words):
    fake_slack.add_channel("#quiet-room", is_member=False)
    fake_slack.add_channel("#hidden-room", is_member=False, is_private=True)
    ids = ChannelIds(client)
    with pytest.raises(ChannelNotFound) as err:
        ids.resolve(written)
    assert err.value.reason == reason and err.value.message.startswith(words)
    assert ids.problems([written, "#sales", written]) == [err.value.message]
    assert ids.problem(written, "zh") != err.value.message and written.lstrip("#") in ids.problem(written, "zh")


def test_without_channels_read_a_name_is_posted_as_written(fake_slack, client, caplog):
    fake_slack.inject_error("conversations.list", "missing_scope")
    ids = ChannelIds(client)
    assert ids.resolve("#sales") == "#sales" and ids.problem("#sales") is None
    assert "channels:read" in caplog.text


# -- notices -----------------------------------------------------------------------------------------------
def test_a_crash_between_post_and_record_is_found_by_id_and_clicks_find_the_record(driver, fake_slack, app_store,
                                                                                  service):
    app_store.record_anomaly(ANOMALY)
    crash(app_store, notifier(CrashAfterPost, fake_slack, app_store, service))
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 1
    notices = [m for m in fake_slack.messages_in(ALERTS) if notice_key(m)]
    assert len(notices) == 1  # found, not posted again
    [history] = fake_slack.calls_to("conversations.history")
    assert history.params["channel"] == ws.ALERTS_CHANNEL and history.response["ok"]
    [alert] = app_store.alerts(metric="revenue")
    assert (alert.channel, alert.ts) == (ws.ALERTS_CHANNEL, notices[0]["ts"])
    # Slack's click names the channel by id: Acknowledge finds the record and rewrites the notice in place
    notice = notices[0]
    driver.click(rq.block_actions(lb.ACK_ACTION, str(message_alert(notice)), user=OWNER, channel=ws.ALERTS_CHANNEL,
                                  message_ts=notice["ts"], message_blocks=notice["blocks"]))
    update = wait_for(lambda: fake_slack.calls_to("chat.update"), what="chat.update")[0]
    assert update.response["ok"] and update.params["channel"] == ws.ALERTS_CHANNEL
    assert buttons(update.params) == [lb.OPEN_ACTION_ACTION, lb.EXPECTED_ACTION]
    # and the owner's reply in its thread (an event with the id) is an adjustment on the alert's metric
    said = reply(driver, fake_slack, notice, "target 1.2M per month", OWNER, 1)
    assert "target" in said.lower() and app_store.adjustments("revenue")


def test_the_chart_lands_in_the_notice_thread(fake_slack, app_store, service):
    app_store.record_anomaly(ANOMALY)
    assert post_pending(app_store, notifier(SlackNotifier, fake_slack, app_store, service)) == 1
    [notice] = [m for m in fake_slack.messages_in(ALERTS) if notice_key(m)]
    [upload] = fake_slack.calls_to("files.completeUploadExternal")
    assert upload.response["ok"] and upload.params["channel_id"] == ws.ALERTS_CHANNEL
    charts = [m for m in fake_slack.messages_in(ALERTS, notice["ts"]) if m.get("files")]
    assert [m["thread_ts"] for m in charts] == [notice["ts"]]


def test_a_notice_channel_slack_lacks_stays_pending_and_is_named(fake_slack, client, app_store, service):
    catalog = service.catalog.model_copy(update={"loop": {**service.catalog.loop, "alerts": {"channel": "#nope"}}})
    app_store.record_anomaly(ANOMALY)
    sender = SlackNotifier(client, app_store, lambda: catalog, chart_renderer=FakeChartRenderer(),
                           series=service_series(service), audience=Audience(client, lambda: catalog))
    assert post_pending(app_store, sender) == 0
    assert len(app_store.pending_notices()) == 1 and fake_slack.calls_to("chat.postMessage") == []
    assert sender.channel_problems(app_store.pending_notices()) == [
        "Slack has no channel #nope that the bot can see (loop.yml or meta.channel names it): create it, invite "
        "the bot to it if it is private, or fix the name."]
    assert sender.channel_problems()  # every metric's notice channel, checked at once


def test_a_channel_audience_is_read_by_id(fake_slack, client, service):
    fake_slack.workspace.members[ws.ALERTS_CHANNEL] = [OWNER]
    audience = Audience(client, lambda: service.catalog)
    audience.for_target(ALERTS)
    [members] = fake_slack.calls_to("conversations.members")
    assert members.params["channel"] == ws.ALERTS_CHANNEL and members.response["members"] == [OWNER]


# -- digests -----------------------------------------------------------------------------------------------
def test_a_digest_to_a_channel_name_is_posted_by_id_with_its_chart(fake_slack, client, service):
    digest = Digest(target="#sales", day=dt.date(2026, 3, 30), grain="day")
    chart = {"title": {"text": "sparklines"}, "mark": "line"}
    poster = SlackDigestPoster(client, service.catalog, FakeChartRenderer())
    assert poster.post("#sales", digest, "en", chart)[0] == "C0SALES"
    [upload] = fake_slack.calls_to("files.completeUploadExternal")
    assert upload.response["ok"] and upload.params["channel_id"] == "C0SALES"
    with pytest.raises(ChannelNotFound, match="#nope"):
        poster.post("#nope", digest, "en", chart)
    assert [c.params["channel"] for c in fake_slack.calls_to("chat.postMessage")] == ["C0SALES"]  # none to #nope


# -- the fake answers as Slack does ------------------------------------------------------------------------
def test_the_fake_takes_a_name_only_where_slack_does(fake_slack, client):
    posted = client.chat_postMessage(channel="#sales", text="hi")
    assert posted["channel"] == "C0SALES"  # chat.postMessage takes a name and answers with the id
    refused = {
        "conversations.history": lambda ch: client.conversations_history(channel=ch),
        "conversations.members": lambda ch: client.conversations_members(channel=ch),
        "chat.update": lambda ch: client.chat_update(channel=ch, ts=posted["ts"], text="edited"),
        "files.completeUploadExternal": lambda ch: client.files_upload_v2(channel=ch, content=b"png", filename="a.png"),
    }
    for method, call in refused.items():
        with pytest.raises(SlackApiError) as err:
            call("#sales")
        assert err.value.response["error"] == "channel_not_found", method
        assert call("C0SALES")["ok"], method
    fake_slack.add_channel("#quiet-room", is_member=False)
    for name, error in [("#nope", "channel_not_found"), ("#quiet-room", "not_in_channel")]:
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(channel=name, text="hi")
        assert err.value.response["error"] == error
