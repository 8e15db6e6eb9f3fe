"""No question lost, bounded work: the inbox takes over what a gone worker left, late and once; one person's
slow burst never holds up another person's question; an overlong question is answered at once."""
from __future__ import annotations

import threading

import pytest

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.slack import deliveries

CH = ws.DEFAULT_CHANNEL
GONE = "another-host/1/1"  # a worker that never registered: gone
LATE = "restarting when you asked"


def answers(fake, ts: str) -> list[dict]:
    """The bot's answer posts in the question's thread (charts are separate uploads)."""
    return [m for m in fake.messages_in(CH, ts) if m.get("thread_ts") == ts and m.get("blocks")]


def test_a_retry_of_a_question_whose_worker_is_gone_is_answered_late_and_once(driver, fake_slack, app_store):
    event = rq.app_mention("revenue in march")
    body = rq.event_callback(event, event_id="EvGone1")
    assert app_store.receive("event:EvGone1", body, GONE) == "new"  # acknowledged by a process since killed
    assert driver.event(event, event_id="EvGone1", retry_num=1).status == 200
    (answer,) = driver.replies(CH, event["ts"])
    assert LATE in answer["text"] and LATE in str(answer["blocks"][0])
    assert driver.event(event, event_id="EvGone1", retry_num=2).status == 200  # Slack's next retry: a duplicate
    driver.app.executor.drain(5)
    assert len(answers(fake_slack, event["ts"])) == 1
    assert app_store.inbox_entry("event:EvGone1").status == "answered"


def test_start_up_resumes_what_a_killed_run_left_exactly_once(slack_app, fake_slack, app_store):
    events = [rq.app_mention(q) for q in ("revenue in march", "daily orders in january", "employee headcount")]
    for n, event in enumerate(events):
        app_store.receive(f"event:EvKilled{n}", rq.event_callback(event, event_id=f"EvKilled{n}"), GONE)
    app_store.receive("event:EvDone", rq.event_callback(rq.app_mention("revenue in march"), event_id="EvDone"), GONE)
    app_store.mark_answered("event:EvDone")
    assert slack_app.resume() == 3
    assert slack_app.executor.drain(10) == 0
    assert slack_app.resume() == 0  # a second start finds nothing left
    for event in events:
        (answer,) = answers(fake_slack, event["ts"])
        assert LATE in answer["text"]
    assert app_store.orphans() == []


def test_an_answer_in_time_says_nothing_about_being_late(driver):
    event = rq.app_mention("revenue in march")
    driver.event(event)
    assert LATE not in driver.replies(CH, event["ts"])[0]["text"]


def test_one_users_slow_burst_never_holds_up_another_users_question(driver, fake_slack, service):
    """Two slow questions from A occupy the pool's share A may use; B's question is answered meanwhile."""
    service.max_question_chars = 100_000  # the interpreter itself is slow here (a gate), not refused
    release = threading.Event()
    interpret = service.understander.interpret

    def slow_for_long_questions(text, **kwargs):
        if len(text) > 1000:
            assert release.wait(20)
        return interpret(text, **kwargs)

    service.understander.interpret = slow_for_long_questions
    slow = [rq.app_mention("revenue " * 4750, user="UAAAA") for _ in range(2)]  # 38,000 characters each
    for event in slow:
        driver.event(event)
    quick = rq.app_mention("orders yesterday", user="UBBBB")
    driver.event(quick)
    try:
        (answer,) = driver.replies(CH, quick["ts"])
        assert "Orders" in answer["text"]
        assert not answers(fake_slack, slow[0]["ts"]) and not answers(fake_slack, slow[1]["ts"])  # still working
    finally:
        release.set()
    driver.app.executor.drain(10)
    assert all(len(answers(fake_slack, e["ts"])) == 1 for e in slow)


@pytest.mark.parametrize(("question", "says"), [
    (("revenue " * 4750).rstrip() + "?", "38,000 characters long"),
    ("收入" * 300, "600 个字符"),
])
def test_an_overlong_question_is_answered_at_once(driver, service, question, says):
    asked = len(service.understander.asked)
    event = rq.app_mention(question, user="UAAAA")
    driver.event(event)
    (answer,) = driver.replies(CH, event["ts"])
    assert says in answer["text"] and "500" in answer["text"]
    assert len(service.understander.asked) == asked  # never reached the interpreter


def test_the_delivery_is_bound_on_the_worker_thread(slack_app):
    seen = []
    delivery = deliveries.Delivery("event:EvBound", "U1", late=True)
    with deliveries.bound(delivery):
        slack_app.executor.submit(lambda: seen.append((deliveries.current(), deliveries.is_late())))
    slack_app.executor.drain(5)
    assert seen == [(delivery, True)] and delivery.done


def test_an_answer_posted_just_before_the_worker_died_is_not_posted_again(driver, fake_slack, app_store, slack_app):
    event = rq.app_mention("revenue in march")
    app_store.receive("event:EvPosted", rq.event_callback(event, event_id="EvPosted"), GONE)
    with deliveries.bound(deliveries.Delivery("event:EvPosted")):  # the dead worker's post, never recorded
        slack_app.client.chat_postMessage(channel=CH, thread_ts=event["ts"], text="Revenue: 1", blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": "Revenue: 1"}}],
            metadata=deliveries.answer_metadata())
    assert driver.event(event, event_id="EvPosted", retry_num=1).status == 200
    assert slack_app.resume() == 0
    slack_app.executor.drain(5)
    assert len(answers(fake_slack, event["ts"])) == 1
    assert app_store.inbox_entry("event:EvPosted").status == "answered"
    assert deliveries.answer_key(answers(fake_slack, event["ts"])[0]["metadata"]) == "event:EvPosted"
