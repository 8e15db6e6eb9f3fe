"""The loop in Slack, end to end: a notice posted by the Slack notifier, then signed button clicks, modal
submissions and thread replies through the real Bolt app against the fake Slack Web API."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from slack_sdk import WebClient
from tests.slack.conftest import wait_for
from typer.testing import CliRunner

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.cli import app
from metricloop.core.loop.anomaly import Anomaly, FreshnessProblem
from metricloop.core.loop.contributors import Contribution
from metricloop.slack import loop_blocks as lb
from metricloop.slack.notifier import SlackNotifier, service_series

CHANNEL = ws.ALERTS_CHANNEL  # the shop catalog sets no channel: the documented #metrics-alerts, by its id
OWNER, OTHER = "U0ANA", "U0BOB"  # revenue's owner is ana@example.com
DAY = dt.date(2026, 3, 30)
ANOMALY = Anomaly(metric="revenue", day=DAY, value=700.0, expected=1000.0, lower=850.0, upper=1150.0, severity=-4.5,
                  direction="down", contributors=(Contribution("order__region", "East", 100.0, 316.0, -216.0, 0.72),),
                  drivers=("orders",))


@pytest.fixture(autouse=True)
def people(fake_slack):
    fake_slack.workspace.users[OWNER] = {"name": "ana", "profile": {"email": "ana@example.com"}}


def post_notices(fake_slack, store, service, anomaly: Anomaly | None = ANOMALY) -> list[tuple[str, str]]:
    """Record the anomaly as a scan would, then drain the outbox through the Slack notifier."""
    if anomaly is not None:
        store.record_anomaly(anomaly)
    client = WebClient(token=ws.BOT_TOKEN, base_url=fake_slack.base_url)
    notifier = SlackNotifier(client, store, lambda: service.catalog, chart_renderer=FakeChartRenderer(),
                             series=service_series(service))
    posted = []
    for notice in store.pending_notices():
        channel, ts = notifier.post(notice)
        store.mark_notice_posted(notice.key, channel, ts)
        posted.append((channel, ts))
    return posted


@pytest.fixture
def notice(driver, fake_slack, app_store, service) -> dict:
    (channel, ts), = post_notices(fake_slack, app_store, service)
    return next(m for m in fake_slack.messages_in(channel) if m["ts"] == ts)


def buttons(message: dict) -> list[str]:
    actions = next((b for b in message["blocks"] if b["type"] == "actions"), {"elements": []})
    return [e["action_id"] for e in actions["elements"]]


def click(driver, message: dict, action_id: str, user: str = OWNER, **kwargs) -> dict:
    payload = rq.block_actions(action_id, str(message_alert(message)), user=user, channel=CHANNEL,
                               message_ts=message["ts"], message_blocks=message["blocks"], **kwargs)
    assert driver.click(payload).status == 200
    return payload


def message_alert(message: dict) -> int:
    return int(next(b for b in message["blocks"] if b["type"] == "actions")["elements"][0]["value"])


def opened_view(fake_slack, n: int = 1) -> dict:
    calls = wait_for(lambda: len(fake_slack.calls_to("views.open")) >= n and fake_slack.calls_to("views.open"),
                     what="views.open")
    return calls[n - 1].params["view"]


def submit(driver, view: dict, values: dict, user: str = OWNER, view_id: str | None = None):
    state = {k: {k: v} for k, v in values.items()}
    payload = rq.view_submission(view["callback_id"], state, user=user, private_metadata=view["private_metadata"],
                                 view_id=view_id)
    return driver.click(payload)


def thread_texts(fake_slack, ts: str) -> list[str]:
    return [m["text"] for m in fake_slack.messages_in(CHANNEL, ts) if m.get("thread_ts") == ts and m.get("text")]


def reply(driver, fake_slack, notice: dict, text: str, user: str, n: int) -> str:
    driver.event(rq.message(text, user=user, channel=CHANNEL, thread_ts=notice["ts"]))
    return wait_for(lambda: len(thread_texts(fake_slack, notice["ts"])) >= n and thread_texts(fake_slack, notice["ts"]),
                    what=f"reply {n}")[n - 1]


# -- the notice ------------------------------------------------------------------------------------------
def test_notice_is_posted_once_with_three_buttons_owner_and_chart(driver, fake_slack, app_store, service, notice):
    text = json.dumps(notice["blocks"])
    assert buttons(notice) == [lb.ACK_ACTION, lb.OPEN_ACTION_ACTION, lb.EXPECTED_ACTION]
    assert "Revenue dropped on 2026-03-30" in text and "-30.0%" in text and "72% of the drop" in text
    assert "<@U0ANA>" in text  # the owner's e-mail resolved to a mention
    files = wait_for(lambda: [m for m in fake_slack.messages_in(CHANNEL, notice["ts"]) if m.get("files")],
                     what="chart in the thread")
    assert files[0]["thread_ts"] == notice["ts"]
    # scanning again, and draining again, posts nothing more
    assert post_notices(fake_slack, app_store, service) == []
    assert len([m for m in fake_slack.messages_in(CHANNEL) if m.get("blocks") and not m.get("thread_ts")]) == 1
    alert, = app_store.alerts(metric="revenue")
    assert (alert.channel, alert.ts) == (CHANNEL, notice["ts"])


def test_acknowledge_updates_the_notice_in_place_and_a_retried_click_counts_once(driver, fake_slack, app_store,
                                                                               notice):
    payload = click(driver, notice, lb.ACK_ACTION)
    assert driver.app.dispatch(rq.bolt_request(*rq.signed_interaction(payload, driver.secret, retry_num=1,
                                                                       retry_reason="http_timeout"))).status == 200
    update = wait_for(lambda: fake_slack.calls_to("chat.update"), what="chat.update")[0].params
    assert update["ts"] == notice["ts"]
    assert "Acknowledged by <@U0ANA> at <!date^" in json.dumps(update["blocks"])
    assert buttons(update) == [lb.OPEN_ACTION_ACTION, lb.EXPECTED_ACTION]
    alert, = app_store.alerts(metric="revenue")
    assert alert.status == "acknowledged" and len(app_store.acknowledgements(alert.id)) == 1
    assert len(fake_slack.calls_to("chat.update")) == 1


def test_a_notice_recorded_under_a_channel_name_is_updated_in_the_clicked_channel(driver, fake_slack, app_store,
                                                                                    notice):
    # records written before channel names were resolved hold "#name"; chat.update needs the id
    alert, = app_store.alerts(metric="revenue")
    with app_store._tx() as conn:
        conn.execute("UPDATE alerts SET channel = ? WHERE id = ?", ("#sales-metrics", alert.id))
    click(driver, notice, lb.ACK_ACTION)
    update = wait_for(lambda: fake_slack.calls_to("chat.update"), what="chat.update")[0].params
    assert (update["channel"], update["ts"]) == (CHANNEL, notice["ts"])


def test_a_corrective_action_on_a_notice_recorded_under_a_channel_name_lands_in_its_thread(driver, fake_slack,
                                                                                          app_store, notice):
    alert, = app_store.alerts(metric="revenue")
    with app_store._tx() as conn:
        conn.execute("UPDATE alerts SET channel = ? WHERE id = ?", ("#sales-metrics", alert.id))
    click(driver, notice, lb.OPEN_ACTION_ACTION)
    submit(driver, opened_view(fake_slack), VALID, view_id="V0NAMED")
    announced = wait_for(lambda: thread_texts(fake_slack, notice["ts"]), what="announcement")[0]
    assert "opened a corrective action" in announced
    update = wait_for(lambda: fake_slack.calls_to("chat.update"), what="chat.update")[0].params
    assert (update["channel"], update["ts"]) == (CHANNEL, notice["ts"])


VALID = {lb.OWNER_INPUT: {"type": "users_select", "selected_user": OWNER},
         lb.DUE_INPUT: {"type": "datepicker", "selected_date": "2026-04-07"},
         lb.PLAN_INPUT: {"type": "plain_text_input", "value": "Fix the East checkout <!channel>"},
         lb.EFFECT_INPUT: {"type": "plain_text_input", "value": "revenue back to normal in a week"}}


def test_corrective_action_modal_stores_a_valid_action_and_announces_it(driver, fake_slack, app_store, notice):
    click(driver, notice, lb.OPEN_ACTION_ACTION)
    view = opened_view(fake_slack)
    owner = next(b for b in view["blocks"] if b.get("block_id") == lb.OWNER_INPUT)
    assert owner["element"]["initial_user"] == OWNER  # defaults to the metric's owner
    response = submit(driver, view, VALID, view_id="V0ACTION")
    assert response.status == 200 and not response.body  # a plain ack closes the modal
    action, = app_store.actions()
    assert (action.owner, action.due, action.plan) == (OWNER, "2026-04-07", "Fix the East checkout <!channel>")
    assert action.expected_effect == "revenue back to normal in a week" and action.created_by == OWNER
    announced = wait_for(lambda: thread_texts(fake_slack, notice["ts"]), what="announcement")[0]
    assert "opened a corrective action" in announced and "&lt;!channel&gt;" in announced
    assert "2026-04-07" in announced and "back to normal" in announced
    # the same view submitted again (a retry) stores nothing more
    submit(driver, view, VALID, view_id="V0ACTION")
    assert len(app_store.actions()) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({lb.DUE_INPUT: {"type": "datepicker", "selected_date": "2026-03-01"}}, lb.DUE_INPUT),
    ({lb.PLAN_INPUT: {"type": "plain_text_input", "value": "  "}}, lb.PLAN_INPUT),
])
def test_invalid_action_is_answered_in_the_modal_and_stores_nothing(driver, fake_slack, app_store, notice, change,
                                                                    field):
    click(driver, notice, lb.OPEN_ACTION_ACTION)
    response = submit(driver, opened_view(fake_slack), {**VALID, **change})
    body = json.loads(response.body)
    assert response.status == 200 and body["response_action"] == "errors" and set(body["errors"]) == {field}
    assert app_store.actions() == []


def test_mark_as_expected_stores_the_adjustment_for_the_day(driver, fake_slack, app_store, notice):
    click(driver, notice, lb.EXPECTED_ACTION)
    view = opened_view(fake_slack)
    assert view["callback_id"] == lb.EXPECTED_VIEW
    empty = submit(driver, view, {lb.REASON_INPUT: {"type": "plain_text_input", "value": ""}})
    assert json.loads(empty.body)["response_action"] == "errors" and app_store.adjustments() == []
    submit(driver, view, {lb.REASON_INPUT: {"type": "plain_text_input", "value": "spring promo ended"}})
    adjustment, = app_store.adjustments("revenue", "expected")
    assert adjustment.payload["day"] == "2026-03-30" and adjustment.payload["reason"] == "spring promo ended"
    assert adjustment.author == OWNER and app_store.alerts(metric="revenue")[0].status == "resolved"
    announced = wait_for(lambda: thread_texts(fake_slack, notice["ts"]), what="announcement")[0]
    assert "marked Revenue on 2026-03-30 as expected: spring promo ended" in announced
    update = wait_for(lambda: fake_slack.calls_to("chat.update"), what="notice updated")[-1].params
    assert lb.EXPECTED_ACTION not in buttons(update)


# -- thread replies --------------------------------------------------------------------------------------
def test_owner_target_reply_becomes_a_target_adjustment_confirmed_in_the_thread(driver, fake_slack, app_store,
                                                                              notice):
    confirmation = reply(driver, fake_slack, notice, "target 1.2M per month", OWNER, 1)
    adjustment, = app_store.adjustments("revenue")
    assert adjustment.kind == "target" and adjustment.payload["value"] == 1_200_000.0
    assert adjustment.payload["period"] == "month" and adjustment.author == OWNER
    assert confirmation == "Recorded for Revenue: new target $1.2M per month."


def test_non_owner_reply_becomes_a_comment(driver, fake_slack, app_store, notice):
    confirmation = reply(driver, fake_slack, notice, "East warehouse was closed on Sunday", OTHER, 1)
    assert app_store.adjustments() == []
    comment, = app_store.comments("revenue")
    assert (comment.author, comment.text) == (OTHER, "East warehouse was closed on Sunday")
    assert "comment" in confirmation and "<@U0ANA>" in confirmation


@pytest.mark.parametrize(("text", "kind", "fields", "confirmed"), [
    ("目标 120万/月", "target", {"value": 1_200_000.0, "period": "month"}, "新目标"),
    ("预期内：春季促销", "expected", {"reason": "春季促销", "day": "2026-03-30"}, "预期内"),
    ("暂停提醒 3 天", "threshold", {"snooze_days": 3, "until": "2026-04-03"}, "暂停"),
    ("sensitivity low", "threshold", {"sensitivity": "low"}, "sensitivity low"),
    ("snooze forever", "annotation", {"text": "snooze forever"}, "couldn't read that as a snooze"),
    ("Looking into it", "annotation", {"text": "Looking into it"}, "Recorded a note"),
])
def test_owner_replies_parse_in_both_languages(driver, fake_slack, app_store, notice, text, kind, fields, confirmed):
    confirmation = reply(driver, fake_slack, notice, text, OWNER, 1)
    adjustment, = app_store.adjustments("revenue")
    assert adjustment.kind == kind
    assert {k: adjustment.payload.get(k) for k in fields} == fields
    assert confirmed in confirmation


def test_ordinary_threads_are_left_to_the_conversation(driver, fake_slack, app_store, notice):
    other = rq.message("hello there", channel=CHANNEL)
    driver.event(rq.message("target 5", user=OWNER, channel=CHANNEL, thread_ts=other["ts"]))
    driver.event(rq.message("a bot says hi", user=OWNER, channel=CHANNEL, thread_ts=notice["ts"], bot_id="B0OTHER"))
    wait_for(lambda: fake_slack.calls, what="anything")
    assert app_store.adjustments() == [] and app_store.comments() == []


def test_freshness_notice_names_the_model_and_its_owners(fake_slack, app_store, service):
    app_store.record_freshness(FreshnessProblem("orders", DAY, DAY - dt.timedelta(days=3), ("revenue", "orders")))
    (channel, ts), = post_notices(fake_slack, app_store, service, None)
    message = next(m for m in fake_slack.messages_in(channel) if m["ts"] == ts)
    assert message["text"] == "Data freshness: orders not loaded since 2026-03-27"
    assert "<@U0ANA>" in json.dumps(message["blocks"])


# -- history ---------------------------------------------------------------------------------------------
def test_history_lists_everything_in_order_in_slack_and_the_terminal(driver, fake_slack, app_store, notice, settings,
                                                                    monkeypatch, tmp_path):
    click(driver, notice, lb.ACK_ACTION)
    wait_for(lambda: fake_slack.calls_to("chat.update"), what="acknowledged")
    click(driver, notice, lb.OPEN_ACTION_ACTION)
    submit(driver, opened_view(fake_slack), VALID)
    reply(driver, fake_slack, notice, "East warehouse was closed", OTHER, 2)
    reply(driver, fake_slack, notice, "target 1.2M per month", OWNER, 3)
    kinds = ["alert", "acknowledgement", "action", "comment", "adjustment"]

    driver.command("history revenue")
    call = wait_for(lambda: fake_slack.calls_to("response_url"), what="history reply")[0]
    lines = call.params["blocks"][1]["text"]["text"].split("\n")
    labels = ["*Alert*", "*Acknowledged*", "*Corrective action*", "*Comment*", "*Adjustment*"]
    assert [next(label for label in labels if label in line) for line in lines] == labels
    assert "<@U0BOB>: East warehouse was closed" in lines[3] and "target 1.2M per month" in lines[4]

    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(settings.store_path))
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    catalog = str(Path(__file__).parents[1] / "fixtures" / "catalogs" / "shop")
    result = CliRunner().invoke(app, ["history", "revenue", "--json", "--catalog", catalog])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [e["kind"] for e in entries] == kinds
    assert all({"kind", "at", "user", "text"} <= set(e) for e in entries)
    assert entries == sorted(entries, key=lambda e: e["at"])
    assert entries[2]["plan"] == "Fix the East checkout <!channel>" and entries[4]["adjustment"] == "target"
    assert entries[4]["value"] == 1_200_000.0 and entries[3]["user"] == OTHER
    plain = CliRunner().invoke(app, ["history", "revenue", "--catalog", catalog])
    assert plain.exit_code == 0 and len(plain.stdout.strip().splitlines()) == 5


def test_digest_thread_replies_reach_the_owned_metric(driver, fake_slack, app_store):
    digest = rq.message("digest", channel="C0DIGEST", user=None, bot_id=ws.BOT_ID)
    app_store.save_thread("C0DIGEST", digest["ts"], {"kind": "digest", "day": "2026-03-30", "language": "en",
                                                     "metrics": ["revenue", "orders"]})
    driver.event(rq.message("sensitivity low", user=OWNER, channel="C0DIGEST", thread_ts=digest["ts"]))
    driver.event(rq.message("orders look fine to me", user=OTHER, channel="C0DIGEST", thread_ts=digest["ts"]))
    wait_for(lambda: len([m for m in fake_slack.messages_in("C0DIGEST") if m.get("thread_ts")]) >= 2,
             what="two confirmations")
    adjustment, = app_store.adjustments()
    assert (adjustment.metric, adjustment.kind, adjustment.payload["sensitivity"]) == ("revenue", "threshold", "low")
    comment, = app_store.comments()  # it names orders: a comment on orders only
    assert (comment.metric, comment.author) == ("orders", OTHER)
