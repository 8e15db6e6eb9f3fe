"""Scenarios through App.dispatch with signed requests; outcomes read from the fake Slack Web API."""
from __future__ import annotations

import json

from tests.slack.conftest import Driver, wait_for

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.charts import png_size
from metricloop.adapters.store import SQLiteStore
from metricloop.slack import blocks as bk
from metricloop.slack.app import build_app

CH = ws.DEFAULT_CHANNEL


def block(message: dict, block_id: str) -> dict | None:
    return next((b for b in message.get("blocks", []) if b.get("block_id") == block_id), None)


def table_rows(message: dict) -> list[list[str]]:
    table = next(b for b in message["blocks"] if b["type"] == "table")
    return [[c.get("text", "") for c in row] for row in table["rows"]]


def test_mention_answers_in_thread_with_table_and_chart(driver, fake_slack):
    event = rq.app_mention("revenue by region in February")
    response = driver.event(event)
    assert response.status == 200
    # the answer and the chart's file message are both in the question's thread
    msg, = driver.replies(CH, event["ts"])
    files = driver.replies(CH, event["ts"], key="files")
    assert block(msg, "ml_header")["text"]["text"] == "Revenue by region, February 2026"
    rows = table_rows(msg)
    assert [r[0] for r in rows[1:]] and {r[0] for r in rows[1:]} <= {"East", "West", "North"}
    assert len(rows) == 4  # header + three regions
    assert block(msg, "ml_actions")["elements"][0]["action_id"] == bk.SHOW_SQL_ACTION
    assert "revenue" in json.dumps(block(msg, "ml_context")).lower()
    file_id = files[0]["files"][0]["id"]
    assert png_size(fake_slack.uploaded(file_id))[0] > 0
    # thinking reaction added then removed (the removal follows the chart upload: wait for it)
    wait_for(lambda: fake_slack.calls_to("reactions.remove"), what="reaction removed")
    reactions = [c.method for c in fake_slack.calls if c.method.startswith("reactions.")]
    assert reactions == ["reactions.add", "reactions.remove"]


def test_direct_message_is_answered_in_its_thread(driver):
    event = rq.message("daily orders in January", channel="D0ALICE")
    driver.event(event)
    msg, = driver.replies("D0ALICE", event["ts"])
    assert block(msg, "ml_header")["text"]["text"] == "Orders by day, January 2026"
    assert len(table_rows(msg)) == 21  # header + the first 20 of 31 days, with a note saying so
    assert "20 of 31" in json.dumps(block(msg, "ml_truncated"))


def test_slash_command_answer_is_a_channel_message_whose_thread_takes_follow_ups(driver, fake_slack, app_store):
    response = driver.command("revenue in March")
    assert response.status == 200 and "Working on it" in response.body
    posted = wait_for(lambda: fake_slack.calls_to("chat.postMessage"), what="answer posted")[0]
    assert posted.params["channel"] == CH and "thread_ts" not in posted.params
    assert "Revenue" in block(posted.params, "ml_summary")["text"]["text"]
    root_ts = next(m["ts"] for m in fake_slack.messages_in(CH) if m.get("blocks") and not m.get("thread_ts"))
    wait_for(lambda: app_store.load_thread(CH, root_ts), what="thread context saved")
    # its own ts: the fake and the request builder mint timestamps from the same clock
    driver.event(rq.message("and by region?", channel=CH, thread_ts=root_ts, ts=f"{float(root_ts) + 1:.6f}"))
    reply = driver.replies(CH, root_ts, n=1)[-1]
    assert len(table_rows(reply)) == 4  # the thread kept the question: revenue in March, now by region
    assert not fake_slack.calls_to("response_url")


def test_slash_command_falls_back_to_response_url_where_the_bot_is_not_a_member(driver, fake_slack):
    fake_slack.inject_error("chat.postMessage", "not_in_channel")
    driver.command("revenue in March")
    call = wait_for(lambda: fake_slack.calls_to("response_url"), what="response_url post")[0]
    assert call.params["response_type"] == "in_channel"
    summary = block(call.params, "ml_summary")["text"]["text"]
    assert "Revenue" in summary or "$" in summary


def test_clarify_button_answers_in_the_same_thread(driver, service):
    event = rq.app_mention("how are sales doing in February")
    driver.event(event)
    clarify, = driver.replies(CH, event["ts"])
    buttons = block(clarify, "ml_options")["elements"]
    assert [b["text"]["text"] for b in buttons][:2] == ["Revenue", "Orders"]
    orders = buttons[1]
    driver.click(rq.block_actions(orders["action_id"], orders["value"], message_ts=clarify["ts"],
                                  thread_ts=event["ts"]))
    _, answer = driver.replies(CH, event["ts"], n=2)
    header = block(answer, "ml_header")["text"]["text"]
    assert "Orders" in header and "Feb" in header  # the question's period was kept, the metric chosen


def test_follow_up_in_thread_survives_a_restart(driver, settings, service, fake_slack, signing_secret):
    first = rq.app_mention("revenue in March")
    driver.event(first)
    driver.replies(CH, first["ts"])
    driver.event(rq.message("and by region?", thread_ts=first["ts"]))  # a plain reply, no mention
    _, by_region = driver.replies(CH, first["ts"], n=2)
    assert len(table_rows(by_region)) == 4
    # restart: a new app and a new store object on the same file
    restarted_store = SQLiteStore(settings.store_path)
    try:
        restarted = Driver(build_app(settings, service, restarted_store), fake_slack, signing_secret)
        restarted.event(rq.message("what about orders?", thread_ts=first["ts"]))
        *_, orders = restarted.replies(CH, first["ts"], n=3)
    finally:
        restarted_store.close()
    context = service.understander.asked[-1][1]
    assert context.metrics == ("revenue",) and context.group_by == ("customer__region",)
    assert "Orders" in block(orders, "ml_header")["text"]["text"] and len(table_rows(orders)) == 4


def test_show_sql_posts_the_compiled_sql(driver):
    event = rq.app_mention("revenue in March")
    driver.event(event)
    answer, = driver.replies(CH, event["ts"])
    button = block(answer, "ml_actions")["elements"][0]
    driver.click(rq.block_actions(button["action_id"], button["value"], message_ts=answer["ts"],
                                  thread_ts=event["ts"]))
    _, sql = driver.replies(CH, event["ts"], n=2)
    text = block(sql, "ml_sql")["text"]["text"]
    assert "SELECT" in text.upper() and "orders" in text and "2026-03-01" in text


def test_no_match_says_so_and_suggests(driver):
    event = rq.app_mention("employee headcount")
    driver.event(event)
    reply, = driver.replies(CH, event["ts"])
    assert "headcount" in block(reply, "ml_no_match")["text"]["text"]
    assert [b["text"]["text"] for b in block(reply, "ml_options")["elements"]] == ["Orders"]


def test_retried_event_is_answered_once(driver, fake_slack):
    event = rq.app_mention("revenue in March")
    first = driver.event(event, event_id="Ev0RETRY1")
    retry = driver.event(event, event_id="Ev0RETRY1", retry_num=1, retry_reason="http_timeout")
    assert first.status == retry.status == 200
    driver.replies(CH, event["ts"])
    idle(driver.app)
    assert len([m for m in fake_slack.messages_in(CH, event["ts"]) if m.get("blocks")]) == 1
    assert len(fake_slack.calls_to("reactions.add")) == 1


def idle(app) -> None:
    """Wait until every lazy listener already started has finished (shuts the app's worker pool)."""
    app.listener_runner.lazy_listener_runner.executor.shutdown(wait=True)


def test_bots_edits_and_deletions_are_ignored(driver, fake_slack):
    driver.event(rq.message("revenue in March", channel="D0ALICE", bot_id="B0OTHER", user="U0OTHERBOT"))
    driver.event(rq.message("revenue in March", channel="D0ALICE", user=ws.BOT_USER_ID, bot_id=ws.BOT_ID))
    driver.event(rq.message_changed("D0ALICE", rq.new_ts(), "revenue in March"))
    driver.event(rq.message_deleted("D0ALICE", rq.new_ts(), old_text="revenue in March"))
    driver.event(rq.message("and by region?", thread_ts=rq.new_ts()))  # a thread the bot never answered in
    idle(driver.app)
    assert not fake_slack.calls_to("chat.postMessage") and not fake_slack.calls_to("reactions.add")


def test_rate_limit_is_waited_out(driver, fake_slack):
    fake_slack.inject_rate_limit("chat.postMessage", retry_after=0)
    event = rq.app_mention("revenue in March")
    driver.event(event)
    driver.replies(CH, event["ts"])
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [429, 200]


def test_slack_api_error_is_logged_and_apologised_for(driver, fake_slack, caplog):
    fake_slack.inject_error("chat.postMessage", "internal_error")
    event = rq.app_mention("revenue in March")
    with caplog.at_level("ERROR", logger="metricloop"):
        driver.event(event)
        apology, = driver.replies(CH, event["ts"])
    error_id = block(apology, "ml_error_id")["elements"][0]["text"]
    logged = [r for r in caplog.records if "internal error" in r.getMessage()]
    assert logged and logged[0].getMessage().split()[2] in error_id
    assert "Traceback" not in json.dumps(apology)


def test_typing_an_options_number_in_the_thread_picks_it_as_the_terminal_does(driver, app_store):
    event = rq.app_mention("how are sales doing in February")
    driver.event(event)
    driver.replies(CH, event["ts"])
    state = wait_for(lambda: app_store.load_thread(CH, event["ts"]), what="thread state")  # saved after the post
    assert state["options"] == ["revenue", "orders", "aov"]
    driver.event(rq.app_mention("2", thread_ts=event["ts"]))
    _, answer = driver.replies(CH, event["ts"], n=2)
    header = block(answer, "ml_header")["text"]["text"]
    assert "Orders" in header and "Feb" in header
    # the pick settled the clarification (the state is saved after the post: wait for it, as above)
    wait_for(lambda: "options" not in app_store.load_thread(CH, event["ts"]), what="the settled thread state")
