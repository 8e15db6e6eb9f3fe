"""Access policies through the real Bolt app and the fake Slack: Slack user ids resolved to the e-mails the
rules name, channel answers limited to what every member may see (else answered privately, saying why),
Show SQL compiled for whoever clicks, and denials that carry no number."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.slack.conftest import Driver, wait_for

from fakes import slack_requests as rq
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.query import MetricQuery
from metricloop.core.understand.interpreter import Understander
from metricloop.service import MetricService
from metricloop.slack import blocks as bk
from metricloop.slack.app import build_app

GOVERNED = Path(__file__).parents[1] / "fixtures" / "catalogs" / "governed"
QUESTIONS = {"big revenue": MetricQuery(metrics=("big_revenue",)),
             "big share": MetricQuery(metrics=("big_share",)),
             "revenue by region": MetricQuery(metrics=("revenue",), group_by=("customer__region",)),
             "revenue in West": MetricQuery(metrics=("revenue",), where=({"dimension": "customer__region",
                                                                          "values": ("West",)},))}
CFO, EAST, NEW = "U0ANA", "U0EAST", "U0NEW"  # U0ANA is cfo@example.com in Slack; loop.yml names the e-mail


@dataclass(frozen=True)
class Interpretation:
    query: MetricQuery
    kind: str = "query"
    language: str = "en"
    restatement: str | None = None
    reason: str | None = None
    options: tuple = ()


class Questions:
    value_index = None

    def refresh_values(self) -> None:
        pass

    def interpret(self, text: str, **_: Any) -> Interpretation:
        return Interpretation(QUESTIONS[text.strip()])


@pytest.fixture(scope="module")
def governed_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("governed") / "governed.duckdb"
    con = duckdb.connect(str(path))
    con.execute((GOVERNED / "warehouse.sql").read_text())
    con.close()
    return path


@pytest.fixture
def driver(settings, app_store, fake_slack, signing_secret, governed_path):
    fake_slack.workspace.users[CFO] = {"name": "ana", "profile": {"email": "cfo@example.com", "display_name": "ana"}}
    fake_slack.workspace.members.update({"C0FIN": [CFO], "C0MIX": [CFO, EAST, "U0METRICBOT"]})
    warehouse = DuckDBWarehouse(str(governed_path), timeout_s=10)
    service = MetricService(catalog=load_catalog(GOVERNED), warehouse=warehouse, understander=Questions(),
                            clock=FixedClock(date(2026, 6, 30)))
    yield Driver(build_app(settings, service, app_store, chart_renderer=FakeChartRenderer()), fake_slack,
                 signing_secret)
    warehouse.close()


def _texts(messages: list[dict]) -> str:
    return " ".join(str(m.get("text")) + str(m.get("blocks")) for m in messages)


def _ephemerals(driver, user: str, n: int = 1) -> list[dict]:
    return wait_for(lambda: (found := driver.fake.ephemerals_for(user)) and len(found) >= n and found,
                    what=f"{n} ephemeral(s) for {user}")


def test_a_slack_user_id_is_resolved_to_the_email_the_rules_name(driver):
    event = rq.message("big revenue", user=CFO, channel="D0ANA")
    driver.event(event)
    [reply] = driver.replies("D0ANA", event["ts"])
    assert "denied" not in reply["text"].lower() and re.search(r"\d", reply["text"])


@pytest.mark.parametrize("question", ["big revenue", "big share"])  # a ratio over a hidden metric is hidden too
def test_a_denied_question_says_so_without_a_number(driver, question):
    event = rq.message(question, user=NEW, channel="D0NEW")
    driver.event(event)
    [reply] = driver.replies("D0NEW", event["ts"])
    text = _texts([reply]).replace("big_revenue", "").replace("big_share", "")
    assert "access" in text and not re.search(r"\d", text.replace("D0NEW", ""))


def test_a_channel_answer_every_member_may_see_is_posted_there(driver):
    event = rq.app_mention("revenue by region", user=CFO, channel="C0FIN")
    driver.event(event)
    driver.replies("C0FIN", event["ts"])
    assert driver.fake.ephemerals_for(CFO) == []


@pytest.mark.parametrize("question", ["big revenue", "revenue by region"])  # hidden metric; East-only member
def test_an_answer_some_members_may_not_see_is_given_privately(driver, question):
    event = rq.app_mention(question, user=CFO, channel="C0MIX")
    driver.event(event)
    [private] = _ephemerals(driver, CFO)
    assert "privately" in private["text"] and "West" in _texts([private]) + "West" * (question == "big revenue")
    assert [m for m in driver.fake.messages_in("C0MIX") if m.get("user") == "U0METRICBOT"] == []


def test_show_sql_is_compiled_for_whoever_clicks(driver, app_store):
    def settled(channel: str, ts: str) -> None:  # the thread's state is saved just after the answer is posted
        wait_for(lambda: app_store.load_thread(channel, ts), what="thread state")

    event = rq.app_mention("revenue by region", user=CFO, channel="C0FIN")
    driver.event(event)
    [answer] = driver.replies("C0FIN", event["ts"])
    settled("C0FIN", event["ts"])
    # an East manager clicks Show SQL in the CFO's thread: their own SQL (East only), never the button's text
    driver.click(rq.block_actions(bk.SHOW_SQL_ACTION, "SELECT secret FROM elsewhere", user=EAST, channel="C0FIN",
                                  message_ts=answer["ts"], thread_ts=event["ts"]))
    sql = driver.replies("C0FIN", event["ts"], 2)[-1]
    assert "'East'" in _texts([sql]) and "secret" not in _texts([sql])
    # in a channel with an East manager, the CFO's own (unfiltered) SQL is shown to the CFO alone
    event = rq.app_mention("revenue by region", user=EAST, channel="C0MIX")
    driver.event(event)
    [answer] = driver.replies("C0MIX", event["ts"])
    settled("C0MIX", event["ts"])
    driver.click(rq.block_actions(bk.SHOW_SQL_ACTION, "ref:x", user=CFO, channel="C0MIX", message_ts=answer["ts"],
                                  thread_ts=event["ts"]))
    [sql] = _ephemerals(driver, CFO)
    assert "SELECT" in _texts([sql]) and "'East'" not in _texts([sql])
    # someone outside finance clicks it on a big-revenue thread: a denial, no SQL
    event = rq.app_mention("big revenue", user=CFO, channel="C0FIN")
    driver.event(event)
    [answer] = driver.replies("C0FIN", event["ts"])
    settled("C0FIN", event["ts"])
    driver.click(rq.block_actions(bk.SHOW_SQL_ACTION, "ref:x", user=NEW, channel="C0FIN", message_ts=answer["ts"],
                                  thread_ts=event["ts"]))
    [denied] = _ephemerals(driver, NEW)
    assert "access" in denied["text"] and "SELECT" not in _texts([denied])


def test_show_sql_never_spells_a_value_outside_the_clickers_rows(driver, app_store):
    # the CFO asks about the West in finance; the East manager's Show SQL would carry the literal 'West'
    event = rq.app_mention("revenue in West", user=CFO, channel="C0FIN")
    driver.event(event)
    [answer] = driver.replies("C0FIN", event["ts"])
    wait_for(lambda: app_store.load_thread("C0FIN", event["ts"]), what="thread state")
    driver.click(rq.block_actions(bk.SHOW_SQL_ACTION, "ref:x", user=EAST, channel="C0FIN", message_ts=answer["ts"],
                                  thread_ts=event["ts"]))
    [denied] = _ephemerals(driver, EAST)
    assert "access" in denied["text"] and "SELECT" not in _texts([denied]) and "'West'" not in _texts([denied])


@pytest.mark.parametrize("text, hidden, shown", [
    ("define big_revenue", "CASE WHEN", "access"),      # no definition of a restricted metric
    ("follow big_share", "Following", "access"),         # nor following one (its digests and alerts)
    ("history big_revenue", "alert", "access"),
    ("list", "big_revenue", "revenue"),                  # left out of the list
])
def test_metrics_commands_keep_restricted_metrics_out(driver, text, hidden, shown):
    driver.command(text, user=NEW, channel="C0FIN")
    [reply] = _ephemerals(driver, NEW)
    assert hidden not in _texts([reply]) and shown in _texts([reply])
    driver.command(text, user=CFO, channel="C0FIN")  # the CFO sees it
    [reply] = _ephemerals(driver, CFO)
    assert "have access" not in _texts([reply])


# -- Slack user groups named by handle: `finance: ["@finance-team"]`, `slack_groups: ["@east-managers"]` --------
FINANCE_TEAM, EAST_MANAGER = "U0FINTEAM", "U0BOBEAST"
BY_HANDLE = {"default": "open", "domains": {"finance": ["finance"]}, "groups": {
    "finance": ["@finance-team"],  # a user group's handle among the members
    "east": {"slack_groups": ["@east-managers"], "rows": {"customer__region": "East"}}}}


@pytest.fixture
def grouped(settings, app_store, fake_slack, signing_secret, governed_path):
    fake_slack.workspace.usergroups.update({"S0FINTEAM": [FINANCE_TEAM], "S0EASTMGR": [EAST_MANAGER]})
    fake_slack.workspace.usergroup_handles.update({"S0FINTEAM": "finance-team", "S0EASTMGR": "east-managers"})
    catalog = load_catalog(GOVERNED)
    catalog = catalog.model_copy(update={"loop": {**catalog.loop, "access": BY_HANDLE}})
    warehouse = DuckDBWarehouse(str(governed_path), timeout_s=10)
    service = MetricService(catalog=catalog, warehouse=warehouse, understander=Questions(),
                            clock=FixedClock(date(2026, 6, 30)))
    yield Driver(build_app(settings, service, app_store, chart_renderer=FakeChartRenderer()), fake_slack,
                 signing_secret)
    warehouse.close()


def _dm(driver, user: str, question: str) -> str:
    event = rq.message(question, user=user, channel=f"D{user[1:]}")
    driver.event(event)
    return _texts(driver.replies(f"D{user[1:]}", event["ts"]))


def test_a_user_group_named_by_handle_is_resolved_with_usergroups_list(grouped):
    assert "access" not in _dm(grouped, FINANCE_TEAM, "big revenue") and "access" in _dm(grouped, NEW, "big revenue")
    east = _dm(grouped, EAST_MANAGER, "revenue by region")
    assert "East" in east and "West" not in east and "North" not in east
    assert "access" not in _dm(grouped, FINANCE_TEAM, "revenue by region")
    calls = [c.method for c in grouped.fake.workspace.calls]
    assert calls.count("usergroups.list") == 1  # one lookup of the handles, cached for every question after
    asked = [c.params["usergroup"] for c in grouped.fake.workspace.calls if c.method == "usergroups.users.list"]
    assert sorted(set(asked)) == ["S0EASTMGR", "S0FINTEAM"] and len(asked) == 2  # by id, once each


# -- clarifications offer only values every reader may see (issue 11) -------------------------------------------
@pytest.fixture
def understood(settings, app_store, fake_slack, signing_secret, governed_path):
    fake_slack.workspace.users[CFO] = {"name": "ana", "profile": {"email": "cfo@example.com", "display_name": "ana"}}
    fake_slack.workspace.members.update({"C0FIN": [CFO], "C0MIX": [CFO, EAST, "U0METRICBOT"]})
    catalog = load_catalog(GOVERNED)
    warehouse = DuckDBWarehouse(str(governed_path), timeout_s=10)
    clock = FixedClock(date(2026, 6, 30))
    service = MetricService(catalog=catalog, warehouse=warehouse, clock=clock, understander=Understander(
        catalog, None, build_value_index(catalog, warehouse), today_fn=clock.today))
    yield Driver(build_app(settings, service, app_store, chart_renderer=FakeChartRenderer()), fake_slack,
                 signing_secret)
    warehouse.close()


@pytest.mark.parametrize(("user", "channel", "offered"), [
    (CFO, "C0FIN", True),     # the CFO alone sees every region: West is offered
    (CFO, "C0MIX", False),    # an East manager reads the channel too: West is not offered there
    (EAST, "D0EAST", False),  # nor to the East manager directly
])
def test_a_clarification_offers_only_values_every_reader_may_see(understood, user, channel, offered):
    event = rq.app_mention("revenue in Wst", user=user, channel=channel)
    understood.event(event)
    [reply] = understood.replies(channel, event["ts"])
    text = _texts([reply])
    assert "wst" in text.lower() and ("West" in text) is offered, text
