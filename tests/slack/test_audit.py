"""The audit trail end to end: a scripted Slack session through the real Bolt app on the fake Slack — a question,
a denied question, a Show SQL click, a corrective-action modal submitted, an owner's adjustment in a notice's
thread — exported by `metricloop audit` as JSON and CSV, with its filters; and a failing audit store never
costs anyone their answer."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from tests.slack.conftest import TableUnderstander, wait_for
from tests.slack.test_loop import OWNER, VALID, click, opened_view, post_notices, reply, submit
from typer.testing import CliRunner

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.audit import trail_for
from metricloop.cli import app
from metricloop.clock import FixedClock
from metricloop.service import MetricService
from metricloop.slack import blocks as bk
from metricloop.slack import loop_blocks as lb
from metricloop.slack.app import build_app

OTHER = "U0BOB"
ACCESS = {"default": "open", "groups": {"owners": [OWNER]}, "metrics": {"orders": ["owners"]}}


@pytest.fixture(autouse=True)
def people(fake_slack):
    fake_slack.workspace.users[OWNER] = {"name": "ana", "profile": {"email": "ana@example.com"}}


@pytest.fixture
def service(shop_catalog, shop_warehouse_path):
    """The shop, with orders for its owners only (so a denial can be asked for)."""
    catalog = shop_catalog.model_copy(update={"loop": {**shop_catalog.loop, "access": ACCESS}})
    warehouse = DuckDBWarehouse(str(shop_warehouse_path), timeout_s=10)
    yield MetricService(catalog=catalog, warehouse=warehouse, understander=TableUnderstander(),
                        clock=FixedClock(date(2026, 3, 31)))
    warehouse.close()


def ask(driver, text: str, user: str) -> tuple[dict, dict]:
    event = rq.message(text, user=user, channel="D" + user[1:])
    driver.event(event)
    return event, driver.replies(event["channel"], event["ts"])[0]


def audit_cli(store_path, monkeypatch, *args: str) -> str:
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(store_path))
    result = CliRunner().invoke(app, ["audit", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_scripted_session_is_exported_as_json_and_csv(driver, fake_slack, app_store, service, monkeypatch):
    event, answer = ask(driver, "Revenue in March", OWNER)
    _, denial = ask(driver, "daily orders in january", OTHER)
    assert "access" in denial["text"].lower()
    wait_for(lambda: app_store.load_thread(event["channel"], event["ts"]), what="thread state")
    driver.click(rq.block_actions(bk.SHOW_SQL_ACTION, "x", user=OWNER, channel=event["channel"],
                                  message_ts=answer["ts"], thread_ts=event["ts"]))
    driver.replies(event["channel"], event["ts"], 2)
    (_, ts), = post_notices(fake_slack, app_store, service)
    notice = next(m for m in fake_slack.messages_in("#metrics-alerts") if m["ts"] == ts)
    click(driver, notice, lb.OPEN_ACTION_ACTION)
    assert submit(driver, opened_view(fake_slack), VALID, view_id="V0AUDIT").status == 200
    reply(driver, fake_slack, notice, "target 1.2M per month", OWNER, 2)
    assert trail_for(app_store).flush()

    rows = json.loads(audit_cli(app_store.path, monkeypatch, "--format", "json"))
    assert [(r["kind"], r["user"]) for r in rows] == [
        ("question", OWNER), ("question", OTHER), ("click", OWNER), ("click", OWNER), ("submission", OWNER),
        ("adjustment", OWNER)]
    question, denied, sql_click, open_click, submission, adjustment = rows
    assert question["text"] == "Revenue in March" and question["status"] == "answered"  # as typed
    assert question["sql"].startswith("WITH") and question["rows"] == 1 and question["metrics"] == ["revenue"]
    assert question["interpretation"] and question["latency_ms"] > 0 and question["channel"] == "D0ANA"
    assert question["definitions"] == {"revenue": service.definitions(["revenue"])["revenue"]}
    assert (denied["status"], denied["sql"], denied["rows"]) == ("denied", None, 0)
    assert sql_click["detail"]["action_id"] == bk.SHOW_SQL_ACTION
    assert open_click["detail"]["action_id"] == lb.OPEN_ACTION_ACTION and open_click["channel"] == ws.ALERTS_CHANNEL
    assert submission["detail"]["values"][lb.PLAN_INPUT] == VALID[lb.PLAN_INPUT]["value"]
    assert adjustment["text"] == "target 1.2M per month" and adjustment["detail"]["adjustment"] == "target"

    mine = json.loads(audit_cli(app_store.path, monkeypatch, "--user", OTHER))
    assert [(r["kind"], r["status"]) for r in mine] == [("question", "denied")]
    assert json.loads(audit_cli(app_store.path, monkeypatch, "--since", "2999-01-01")) == []
    assert len(json.loads(audit_cli(app_store.path, monkeypatch, "--since", question["at"][:10]))) == 6

    table = list(csv.DictReader(io.StringIO(audit_cli(app_store.path, monkeypatch, "--format", "csv"))))
    assert [r["kind"] for r in table] == [r["kind"] for r in rows]
    assert table[0]["text"] == "Revenue in March" and json.loads(table[0]["metrics"]) == ["revenue"]
    assert json.loads(table[4]["detail"])["values"][lb.PLAN_INPUT] == VALID[lb.PLAN_INPUT]["value"]


def test_a_retried_click_is_audited_once(driver, app_store, fake_slack, service):
    (_, ts), = post_notices(fake_slack, app_store, service)
    notice = next(m for m in fake_slack.messages_in("#metrics-alerts") if m["ts"] == ts)
    payload = click(driver, notice, lb.ACK_ACTION)
    driver.app.dispatch(rq.bolt_request(*rq.signed_interaction(payload, driver.secret, retry_num=1,
                                                               retry_reason="http_timeout")))
    assert trail_for(app_store).flush()
    assert [e.what for e in app_store.audit_entries()] == ["click"]


class FailingAuditStore:
    """The app's store, whose audit writes fail (a locked or full disk, a broken table)."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def write_audit(self, records) -> int:
        raise OSError("disk I/O error")


@pytest.mark.parametrize("failure", ["store", "trail"])
def test_a_failing_audit_never_fails_an_answer(settings, service, app_store, fake_slack, signing_secret,
                                               monkeypatch, failure):
    from tests.slack.conftest import Driver

    store = FailingAuditStore(app_store)
    if failure == "trail":  # even the queueing itself blowing up
        monkeypatch.setattr("metricloop.audit.AuditTrail.record", lambda *a, **k: 1 / 0)
        monkeypatch.setattr("metricloop.audit.question_detail", lambda *a, **k: 1 / 0)
    driver = Driver(build_app(settings, service, store, chart_renderer=FakeChartRenderer()), fake_slack,
                    signing_secret)
    _, answer = ask(driver, "revenue in march", OWNER)
    assert "Revenue" in answer["text"] and "error" not in answer["text"].lower()
    driver.command("help")
    wait_for(lambda: fake_slack.calls_to("response_url"), what="help reply")
    assert trail_for(store).flush()
    assert app_store.audit_entries() == []
    if failure == "store":
        assert trail_for(store).dropped >= 1


def test_a_question_is_dated_when_it_was_asked_not_when_its_answer_went_out(store):
    """(session 19: a click on an answer was once audited before the question it answered — the question's entry was
    dated after its answer was posted, and a click can come in between under load)"""
    from metricloop.service import Answer

    trail = trail_for(store)
    trail.record("U1", "click", {"action": "before"})
    trail.question(user="U2", channel="C1", text="revenue", answer=Answer(status="answered"), latency_ms=60_000)
    assert trail.flush()
    entries = {e.what: e for e in store.audit_entries()}
    assert entries["question"].created_at < entries["click"].created_at  # asked a minute before it was answered
