"""Words owners teach, end to end on the real runtime (real interpreter over the shop catalog and its DuckDB
warehouse, durable store, Bolt app receiving signed requests, the fake Slack Web API): a question the catalog's
words cannot place is asked back; its metric's owner teaches the phrase with `/metrics teach`; the same
question is then answered, the word is announced once in the metric's channel, audited, survives a restart,
and `/metrics forget` takes it back. Only the owner may teach; a retried command is stored once."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from tests.slack.conftest import FIXTURES, build_shop_warehouse, wait_for

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.audit import trail_for
from metricloop.clock import FixedClock
from metricloop.loop.outbox import post_pending
from metricloop.runtime import build_runtime
from metricloop.settings import Settings
from metricloop.slack import teaching_blocks as tb
from metricloop.slack.notifier import SlackNotifier

OWNER = "U0ANA"  # ana@example.com owns revenue in the shop catalog
OTHER = ws.DEFAULT_USER
QUESTION = "上个月的落槌额"
TODAY = dt.date(2026, 3, 31)


@pytest.fixture
def settings(tmp_path, fake_slack, signing_secret) -> Settings:
    fake_slack.workspace.users[OWNER] = {"name": "ana", "profile": {"email": "ana@example.com", "display_name": "ana"}}
    return Settings(_env_file=None, catalog_dir=FIXTURES / "catalogs" / "shop",
                    warehouse=build_shop_warehouse(tmp_path / "shop.duckdb"), store_path=tmp_path / "store.sqlite",
                    cache_dir=tmp_path / "cache", embedding_model="none", slack_api_url=fake_slack.base_url,
                    slack_bot_token=ws.BOT_TOKEN, slack_signing_secret=signing_secret)


def runtime_for(settings):
    return build_runtime(settings, understanding=True, slack=True, clock=FixedClock(TODAY))


def command(runtime, fake_slack, signing_secret, text: str, user: str, trigger: str | None = None) -> str:
    """Send `/metrics <text>` as `user`; the ephemeral reply's text."""
    url = fake_slack.new_response_url(ws.DEFAULT_CHANNEL, user)
    fields = rq.slash_command(text, response_url=url, user=user)
    if trigger:
        fields["trigger_id"] = trigger
    before = len(fake_slack.calls_to("response_url"))
    assert runtime.app.dispatch(rq.bolt_request(*rq.signed_form(fields, signing_secret))).status == 200
    calls = wait_for(lambda: len(fake_slack.calls_to("response_url")) > before and fake_slack.calls_to("response_url"),
                     what="the command's reply")
    return calls[before].params["text"]


def kind_of(runtime, question: str) -> tuple[str, tuple[str, ...]]:
    interpretation = runtime.service.understander.interpret(question, today=TODAY)
    return interpretation.kind, interpretation.query.metrics if interpretation.query else ()


def test_an_owner_teaches_a_word_and_the_next_question_is_answered(settings, fake_slack, signing_secret):
    runtime = runtime_for(settings)
    try:
        assert kind_of(runtime, QUESTION)[0] != "query"  # the catalog's words cannot place 落槌额
        refused = command(runtime, fake_slack, signing_secret, "teach 落槌额 = Revenue", OTHER)
        assert "只有 *Revenue* 的负责人（<@U0ANA>）" in refused and runtime.store.taught_words() == []
        reply = command(runtime, fake_slack, signing_secret, "teach 落槌额 = Revenue", OWNER, trigger="t1")
        assert "已记住：“落槌额”现在指 *Revenue*" in reply  # a Chinese command is answered in Chinese
        assert kind_of(runtime, QUESTION) == ("query", ("revenue",))  # relearned at once, no restart
        assert runtime.service.catalog.metric("revenue").meta.synonyms[-1] == "落槌额"

        # Slack's retry of that command (same trigger id) is dropped: nothing stored, announced or replied twice
        replies = len(fake_slack.calls_to("response_url"))
        retry = rq.slash_command("teach 落槌额 = Revenue", response_url=fake_slack.new_response_url(ws.DEFAULT_CHANNEL,
                                                                                                 OWNER), user=OWNER)
        retry["trigger_id"] = "t1"
        assert runtime.app.dispatch(rq.bolt_request(*rq.signed_form(retry, signing_secret))).status == 200
        time.sleep(0.5)
        assert len(runtime.store.taught_words()) == 1 and len(fake_slack.calls_to("response_url")) == replies
        notifier = SlackNotifier(runtime.app.client, runtime.store, lambda: runtime.service.catalog)
        assert post_pending(runtime.store, notifier) == 1
        posted = fake_slack.messages_in("#metrics-alerts")
        assert [m["text"] for m in posted] == ["Revenue learned a word: “落槌额” now asks for it (taught by <@U0ANA>)"]
        trail_for(runtime.store).flush()
        audited = runtime.store.audit_entries(what="teach_word")
        assert [(e.who, e.detail) for e in audited] == [(OWNER, {"phrase": "落槌额", "metric": "revenue"})]
        assert "“落槌额” → *Revenue*" in command(runtime, fake_slack, signing_secret, "words", OTHER)
    finally:
        runtime.close()

    restarted = runtime_for(settings)  # the word is in the store: a new process knows it from the start
    try:
        assert kind_of(restarted, QUESTION) == ("query", ("revenue",))
        forgot = command(restarted, fake_slack, signing_secret, "forget 落槌额", OWNER)
        assert "已移除：“落槌额”不再指 *Revenue*" in forgot
        assert kind_of(restarted, QUESTION)[0] != "query"
        assert "No words taught yet" in command(restarted, fake_slack, signing_secret, "words", OTHER)
    finally:
        restarted.close()


@pytest.mark.parametrize(("text", "expected"), [
    ("teach hammer total", "Usage: `/metrics teach <words> = <metric>`"),
    ("teach 落槌额", "用法：`/metrics teach <说法> = <指标>`"),
    ("teach orders = Revenue", "“orders” already asks for *Orders*"),
    ("teach sales = Revenue", "“sales” already asks for *Revenue*"),
    ("teach hammer = revenu", "Did you mean `revenue`?"),
    ("teach hammer = Revenue!", "I don't know a metric called `Revenue!`"),
    ("teach 2024 = Revenue", "Teach words (two letters or characters at least)"),
    ("teach 客单价 = Revenue", "“客单价”已经是其他指标（Aov）提问时会用到的词"),  # read as another metric: refused
    ("teach how many orders = Revenue", "“how many orders” is already a word of other metrics' questions (Orders)"),
    ("forget 落槌额", "没有人教过“落槌额”这个说法。"),
    ("forget hammer", "No one taught me “hammer”."),
    # a negation taught into a word would read "除了酒驾" as 酒驾: refused, the word alone offered
    ("teach 除了酒驾 = Revenue", "“除了酒驾”里带有否定词，这部分我自己能理解。请只教这个词：“酒驾”。"),
    ("teach excluding paddles = East", "Teach the word alone: “paddles”."),
])
def test_what_cannot_be_taught_is_said(settings, fake_slack, signing_secret, text, expected):
    runtime = runtime_for(settings)
    try:
        assert expected in command(runtime, fake_slack, signing_secret, text, OWNER)
        assert runtime.store.taught_words() == []
    finally:
        runtime.close()


def test_gaps_list_what_people_asked_with_until_an_owner_teaches_it(settings, fake_slack, signing_secret):
    runtime = runtime_for(settings)
    try:
        url = fake_slack.new_response_url(ws.DEFAULT_CHANNEL, OTHER)
        asked = rq.slash_command(QUESTION, response_url=url, user=OTHER)
        assert runtime.app.dispatch(rq.bolt_request(*rq.signed_form(asked, signing_secret))).status == 200

        def audited() -> list:
            trail_for(runtime.store).flush()
            return runtime.store.audit_entries(what="question")
        entry = wait_for(audited, what="the question in the audit trail")[0]
        assert entry.detail["status"] == "no_match"
        listed = command(runtime, fake_slack, signing_secret, "gaps", OWNER)
        # the phrase and how often, never anyone's question
        assert "• “落槌额” — asked 1 time(s) by 1 people" in listed and QUESTION not in listed
        command(runtime, fake_slack, signing_secret, "teach 落槌额 = Revenue", OWNER)
        assert "No unplaced words" in command(runtime, fake_slack, signing_secret, "gaps", OWNER)
    finally:
        runtime.close()


def test_an_owner_teaches_a_value_word_and_a_breakdown_word(settings, fake_slack, signing_secret):
    runtime = runtime_for(settings)
    try:
        question = "revenue in the sunrise zone last month"
        assert kind_of(runtime, question)[0] == "clarify"  # "I could not place 'sunrise zone'"
        refused = command(runtime, fake_slack, signing_secret, "teach sunrise zone = region: East", OTHER)
        assert "Only a metric's owner can teach or forget words for region: East" in refused
        taught = command(runtime, fake_slack, signing_secret, "teach sunrise zone = East", OWNER)
        assert "“sunrise zone” now asks for *region: East*" in taught
        reading = runtime.service.understander.interpret(question, today=TODAY)
        assert reading.kind == "query" and [(f.dimension, f.values) for f in reading.query.where] == [
            ("customer__region", ("East",))]
        assert "now asks for *region*" in command(runtime, fake_slack, signing_secret, "teach territory = region",
                                                  OWNER)
        assert runtime.service.understander.interpret("revenue by territory", today=TODAY).query.group_by == (
            "customer__region",)
        assert [(w.kind, w.target) for w in runtime.store.taught_words()] == [("value", "region: East"),
                                                                              ("dimension", "region")]
    finally:
        runtime.close()


def test_a_word_taught_through_another_replica_reaches_this_one_at_its_next_relearn(settings, fake_slack,
                                                                                     signing_secret):
    """Two bot processes on one store: a word taught through one is known to the other after its relearn job (every
    minute: runtime.RELEARN_SECONDS), and a relearn with nothing new rebuilds nothing."""
    here, there = runtime_for(settings), runtime_for(settings)
    try:
        assert "now asks for *Revenue*" in command(there, fake_slack, signing_secret, "teach hammer total = Revenue",
                                                   OWNER)
        assert kind_of(here, "hammer total last month")[0] != "query"  # not yet: this process has not relearned
        assert here.service.relearn() is True
        assert kind_of(here, "hammer total last month") == ("query", ("revenue",))
        assert here.service.relearn() is False  # nothing new in the store
        store = here.store
        store.forget_word("hammer total", OWNER)
        assert here.service.relearn() is True and kind_of(here, "hammer total last month")[0] != "query"
    finally:
        here.close()
        there.close()


def _teach_button(blocks: list[dict]) -> dict:
    return next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == tb.TEACH_OPEN_ACTION)


def test_the_teach_button_on_a_reply_teaches_the_word_in_two_fields(settings, fake_slack, signing_secret):
    """A reply that could not place a word carries "Teach this word"; it opens a modal with the words filled in; a
    non-owner's submission is refused, the owner's is taught once — the outcome said in the reply's thread to them
    alone — and the same question is then answered."""
    runtime = runtime_for(settings)
    try:
        question = "hammer total last month"  # "hammer total": words of nothing in the shop catalog
        mention = rq.app_mention(question, user=OTHER)
        assert runtime.app.dispatch(rq.bolt_request(*rq.signed_event(mention, signing_secret))).status == 200
        reply = wait_for(lambda: [m for m in fake_slack.messages_in(ws.DEFAULT_CHANNEL)
                                  if m.get("thread_ts") == mention["ts"] and m.get("blocks")], what="the reply")[0]
        button = _teach_button(reply["blocks"])
        assert tb.read_teach_value(button["value"]) == ("hammer total", "", "en")

        def click_and_open(user: str, n: int) -> dict:
            click = rq.block_actions(tb.TEACH_OPEN_ACTION, button["value"], user=user, message_ts=reply["ts"],
                                     thread_ts=mention["ts"], message_blocks=reply["blocks"])
            assert runtime.app.dispatch(rq.bolt_request(*rq.signed_interaction(click, signing_secret))).status == 200
            return wait_for(lambda: len(fake_slack.calls_to("views.open")) >= n and fake_slack.calls_to("views.open"),
                            what="views.open")[n - 1].params["view"]

        def submit(view: dict, user: str, words: str, means: str, view_id: str):
            state = {tb.WORDS_INPUT: {tb.WORDS_INPUT: {"type": "plain_text_input", "value": words}},
                     tb.MEANS_INPUT: {tb.MEANS_INPUT: {"type": "plain_text_input", "value": means}}}
            payload = rq.view_submission(view["callback_id"], state, user=user,
                                         private_metadata=view["private_metadata"], view_id=view_id)
            return runtime.app.dispatch(rq.bolt_request(*rq.signed_interaction(payload, signing_secret)))

        def told(user: str, n: int) -> str:
            said = wait_for(lambda: len([e for e in fake_slack.workspace.ephemerals if e["user"] == user]) >= n
                            and [e for e in fake_slack.workspace.ephemerals if e["user"] == user], what="ephemeral")
            assert said[n - 1]["thread_ts"] == mention["ts"]
            return said[n - 1]["text"]

        view = click_and_open(OTHER, 1)
        fields = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"}
        assert fields == {tb.WORDS_INPUT: "hammer total", tb.MEANS_INPUT: None}  # (no metric was offered)

        # an empty field is answered in the modal, nothing runs
        empty = submit(view, OTHER, "hammer total", " ", "V0EMPTY")
        assert empty.status == 200 and tb.MEANS_INPUT in json.loads(empty.body)["errors"]
        assert submit(view, OTHER, "hammer total", "Revenue", "V0OTHER").status == 200  # not the owner
        assert "Only" in told(OTHER, 1) and "<@U0ANA>" in told(OTHER, 1)
        assert runtime.store.taught_words() == []

        view = click_and_open(OWNER, 2)
        assert submit(view, OWNER, "hammer total", "Revenue", "V0OWNER").status == 200
        assert "“hammer total” now asks for *Revenue*" in told(OWNER, 1)
        assert kind_of(runtime, question) == ("query", ("revenue",))  # relearned before saying so
        assert submit(view, OWNER, "hammer total", "Revenue", "V0OWNER").status == 200  # Slack's retry: same view
        told(OWNER, 2)
        assert [(w.phrase, w.target) for w in runtime.store.taught_words()] == [("hammer total", "revenue")]
    finally:
        runtime.close()
