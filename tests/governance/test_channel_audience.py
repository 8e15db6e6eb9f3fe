"""Digests, anomaly notices (with their contributors) and action reviews posted in a channel hold only what
every member of it may see (issue 11): end to end against the fake Slack, the channel's members read with
conversations.members and turned into the intersection of their policies (slack/audience), on the governed
shop (tests/fixtures/catalogs/governed: `big_revenue` is in the finance domain, cfo@example.com is in finance,
the East manager sees East rows only; revenue's owner ana@example.com has no Slack account here)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from slack_sdk import WebClient
from tests.governance.policy_world import GOVERNED, build_warehouse

from fakes import workspace as ws
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.loop.anomaly import Anomaly
from metricloop.core.loop.contributors import Contribution
from metricloop.loop.digest_targets import DigestTarget
from metricloop.loop.digester import Digester
from metricloop.loop.reviewer import Reviewer
from metricloop.service import MetricService
from metricloop.slack.audience import Audience
from metricloop.slack.digest_blocks import SlackDigestPoster
from metricloop.slack.notifier import build_notifier
from metricloop.slack.review_blocks import SlackReviewPoster

DAY = dt.date(2026, 6, 15)
CFO, EAST, NEW = "U0CFOANA", "U0EAST", "U0NEW"  # finance (by e-mail), East rows only, nobody special
ALERTS = "#metrics-alerts"  # the governed catalog names no channel: the documented default
CONTRIBUTOR = Contribution("customer__region", "North", 100.0, 4321.0, -4221.0, 0.77)


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("audience") / "governed.duckdb"
    build_warehouse(path).close()
    return path


@pytest.fixture
def world(fake_slack, store, warehouse_path):
    fake_slack.workspace.users[CFO] = {"name": "cfo", "profile": {"email": "cfo@example.com"}}
    fake_slack.workspace.users[NEW] = {"name": "new", "profile": {"email": "new@example.com"}}
    warehouse = DuckDBWarehouse(str(warehouse_path), timeout_s=10)
    service = MetricService(catalog=load_catalog(GOVERNED), warehouse=warehouse, clock=FixedClock(DAY))
    client = WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)
    yield fake_slack, store, service, client, Audience(client, lambda: service.catalog)
    warehouse.close()


def _texts(messages) -> str:
    return " ".join(str(m.get("text")) + str(m.get("blocks")) for m in messages)


@pytest.mark.parametrize(("members", "shown"), [
    ([CFO], {"revenue", "big_revenue"}),          # everyone is in finance: the finance figure is there
    ([CFO, NEW], {"revenue"}),                    # one member outside finance: no finance figure
    ([NEW, "U0METRICBOT"], {"revenue"}),
])
def test_a_channel_digest_holds_what_every_member_may_see(world, members, shown):
    fake, store, service, client, audience = world
    fake.workspace.members["C0ROOM"] = members
    digester = Digester(service, store, SlackDigestPoster(client, service.catalog, FakeChartRenderer()),
                        audience.for_target)
    target = DigestTarget("C0ROOM", "channel", ("revenue", "big_revenue"))
    assert {line.metric for line in digester.build(target, DAY).lines} == shown
    assert digester.send(target, DAY, dt.datetime(2026, 6, 15, 8, tzinfo=dt.UTC)) == "sent"
    posted = _texts(fake.messages_in("C0ROOM"))
    assert ("big_revenue" in posted or "Big revenue" in posted) == ("big_revenue" in shown)


def test_a_digest_with_a_row_limited_member_is_over_their_rows_only(world):
    fake, store, service, client, audience = world
    fake.workspace.members.update({"C0ALL": [CFO], "C0EAST": [CFO, EAST]})
    digester = Digester(service, store, None, audience.for_target)
    total = {room: sum(v or 0 for line in digester.build(DigestTarget(room, "channel", ("revenue",)), DAY).lines
                       for _, v in line.reading.series) for room in ("C0ALL", "C0EAST")}
    assert 0 < total["C0EAST"] < total["C0ALL"]


def _notice(world, metric: str, members: list[str]) -> tuple[list[dict], list[dict]]:
    """Post an anomaly on `metric` with `members` in the alerts channel: (channel messages, DMs to the CFO)."""
    fake, store, service, client, _ = world
    fake.workspace.members[ALERTS] = members
    store.record_anomaly(Anomaly(metric=metric, day=DAY, value=9876.0, expected=15000.0, lower=12000.0,
                                 upper=18000.0, severity=-4.5, direction="down", contributors=(CONTRIBUTOR,)))
    notifier = build_notifier(client, store, service, FakeChartRenderer())
    for notice in store.pending_notices():
        store.mark_notice_posted(notice.key, *notifier.post(notice))
    dm = client.conversations_open(users=CFO)["channel"]["id"]
    def said(channel: str) -> list[dict]:  # the notices (a chart may follow as a file message)
        return [m for m in fake.messages_in(channel) if m.get("text")]
    return said(ALERTS), said(dm)


def test_a_notice_every_member_may_see_is_posted_in_the_channel(world):
    channel, private = _notice(world, "big_revenue", [CFO])
    assert "9,876" in _texts(channel) and "North" in _texts(channel) and private == []


def test_a_notice_some_member_may_not_see_goes_privately_to_its_owner(world):
    channel, private = _notice(world, "big_revenue", [CFO, NEW])
    assert channel == [] and len(private) == 1
    assert "privately" in private[0]["text"] and ALERTS in private[0]["text"]
    assert "9,876" in _texts(private) and "North" in _texts(private)


def test_a_notice_with_no_owner_to_reach_is_withheld_in_the_channel(world):
    channel, private = _notice(world, "revenue", [CFO, EAST])  # East sees East rows only; ana is not in Slack
    assert len(channel) == 1 and private == []
    assert "withheld" in channel[0]["text"] and not re.search(r"\d", _texts(channel).replace("ana@", ""))


@pytest.mark.parametrize(("members", "posted"), [([CFO], True), ([CFO, NEW], False)])
def test_an_action_review_in_a_channel_holds_what_every_member_may_see(world, members, posted):
    fake, store, service, client, audience = world
    fake.workspace.members["C0REVIEW"] = members
    ts = client.chat_postMessage(channel="C0REVIEW", text="big revenue dropped")["ts"]
    alert = store.set_alert_message(store.add_alert("big_revenue", "2026-06-01", "down", value=10.0,
                                                    expected=500.0).id, "C0REVIEW", ts)
    action = store.add_action(alert.id, "cfo@example.com", "2026-06-14", "call the big customers")
    reviewer = Reviewer(service, store, SlackReviewPoster(client, service.catalog, FakeChartRenderer()),
                        audience.for_target)
    outcomes = reviewer.review_due(DAY)
    assert (action.id in outcomes) == posted
    assert (len(fake.messages_in("C0REVIEW", thread_ts=ts)) > 1) == posted  # the notice, then its verdict
