"""Issue 8's proof: 180 simulated days of the closed loop on the demo warehouse.

A clock the test controls (a FixedClock per moment), the demo warehouse (scale 0.5, its planted incidents in the
last 42 days), the fake Slack Web API and the REAL Bolt app driven by signed requests. Every simulated morning
the runtime's own loop jobs tick (loop_job_runner: scan at 06:30 → notices through the Slack notifier; the
digest on weekdays at 08:00; action reviews at 09:00), and the owners answer in Slack: each notice is
acknowledged and gets a corrective action (button + modal submission), each review verdict is closed (button),
and two thread replies become adjustments — "expected: planned maintenance" on the outage (a later scan of that
day finds nothing) and "target 30000 per month" on orders (the next digest's target progress uses it).

The scan covers the metrics the incidents land on (orders, refund rate, pass rate, CSAT satisfied rate; their
drivers are fetched too) and the digest one channel with those metrics, to keep a 180-day run near a minute on
two cores; the scan of the whole catalog is measured in tests/loop/test_slice_noise.py and bench/bench_scan.py.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from tests.slack.conftest import Driver, wait_for

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.clock import FixedClock
from metricloop.demo import build_demo, plan_incidents
from metricloop.loop.scanner import run_scan
from metricloop.runtime import build_runtime, loop_job_runner
from metricloop.settings import DEFAULT_CATALOG, Settings
from metricloop.slack import loop_blocks as lb
from metricloop.slack import review_blocks as rb
from metricloop.slack.notifier import notice_key

END = dt.date(2026, 9, 30)
DAYS = 180
FIRST = END - dt.timedelta(days=DAYS - 1)  # the first day scanned (on the morning after it)
METRICS = ("orders", "refund_rate", "pass_rate", "csat_satisfied_rate")
DIGEST_CHANNEL = "#exec-daily"
MORNING = (dt.time(6, 30, 30), dt.time(8, 0, 30), dt.time(9, 0, 30))  # scan, digest, review
# the metrics' owners in the catalog (e-mails and handles), as Slack users
OWNERS = {"U0MAYA": ("maya.chen", "maya.chen@acme.example"), "U0FANG": ("wang.fang", "wang.fang@acme.example"),
          "U0LIWEI": ("li.wei", "li.wei@acme.example"), "U0SOFIA": ("sofia.garcia", "sofia.garcia@acme.example")}
OWNER_OF = {"orders": "U0MAYA", "pass_rate": "U0FANG", "refund_rate": "U0LIWEI", "csat_satisfied_rate": "U0SOFIA"}
INCIDENTS = plan_incidents(END)


class SimClock:
    """The clock the test moves: a FixedClock for the current simulated moment."""

    def __init__(self, day: dt.date) -> None:
        self.fixed = FixedClock(day)

    def set(self, day: dt.date, at: dt.time) -> None:
        self.fixed = FixedClock(day, at=at)

    def now(self) -> dt.datetime:
        return self.fixed.now()

    def today(self) -> dt.date:
        return self.fixed.today()


def simulation_catalog(tmp: Path) -> Path:
    """The demo catalog, its digest sent to one channel with the scanned metrics."""
    target = tmp / "catalog"
    shutil.copytree(DEFAULT_CATALOG, target)
    yaml = YAML()
    loop = yaml.load((target / "loop.yml").read_text())
    loop["digest"]["channels"] = {DIGEST_CHANNEL: list(METRICS)}
    with (target / "loop.yml").open("w") as out:
        yaml.dump(loop, out)
    return target


def near(incident, day: dt.date) -> bool:
    return incident.start <= day <= incident.end + dt.timedelta(days=2)


def explained(alert) -> bool:
    """An alert on a day and metric an incident touches (the outage and the refund spike touch everything)."""
    day = dt.date.fromisoformat(alert.day)
    return any(near(i, day) and (i.kind in ("outage", "refund_spike") or alert.metric in (i.metric, *i.also))
               for i in INCIDENTS)


class Owners:
    """The owners answering in Slack: every notice acknowledged and given a corrective action, every review
    verdict closed — all by signed button clicks and modal submissions through the Bolt app."""

    def __init__(self, driver: Driver, fake, store, clock: SimClock) -> None:
        self.driver, self.fake, self.store, self.clock = driver, fake, store, clock
        self.seen: set[str] = set()
        self.reviews: set[str] = set()

    def top_level(self) -> list[tuple[str, dict]]:
        with self.fake.workspace.lock:
            return [(c, m) for c, ms in self.fake.workspace.messages.items() for m in list(ms)
                    if m.get("thread_ts") in (None, m["ts"])]

    def click(self, channel: str, message: dict, action_id: str, user: str) -> None:
        value = next(e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                     if e["action_id"] == action_id)
        payload = rq.block_actions(action_id, value, user=user, channel=channel, message_ts=message["ts"],
                                   message_blocks=message["blocks"])
        assert self.driver.click(payload).status == 200

    def answer_notices(self) -> list[dict]:
        handled = []
        for channel, message in self.top_level():
            key = notice_key(message)
            if not key or key in self.seen or key.startswith("freshness|"):
                continue
            self.seen.add(key)
            alert = next(a for a in self.store.alerts() if a.ts == message["ts"])
            owner = OWNER_OF[alert.metric]
            self.click(channel, message, lb.ACK_ACTION, owner)
            wait_for(lambda a=alert: self.store.get_alert(a.id).status != "open", what="acknowledged")
            opened = len(self.fake.calls_to("views.open"))
            self.click(channel, message, lb.OPEN_ACTION_ACTION, owner)
            view = wait_for(lambda n=opened: len(self.fake.calls_to("views.open")) > n
                            and self.fake.calls_to("views.open")[n].params["view"], what="action modal")
            due = (self.clock.today() + dt.timedelta(days=7)).isoformat()
            values = {lb.OWNER_INPUT: {"type": "users_select", "selected_user": owner},
                      lb.DUE_INPUT: {"type": "datepicker", "selected_date": due},
                      lb.PLAN_INPUT: {"type": "plain_text_input", "value": f"look into {alert.metric}"},
                      lb.EFFECT_INPUT: {"type": "plain_text_input", "value": "back within its band"}}
            state = {k: {k: v} for k, v in values.items()}
            submitted = self.driver.click(rq.view_submission(view["callback_id"], state, user=owner,
                                                             private_metadata=view["private_metadata"]))
            assert submitted.status == 200 and not submitted.body, submitted.body
            wait_for(lambda a=alert: [x for x in self.store.actions() if x.alert_id == a.id], what="action stored")
            handled.append({"alert": alert, "channel": channel, "ts": message["ts"]})
        return handled

    def close_reviews(self) -> int:
        closed = 0
        for channel, messages in list(self.fake.workspace.messages.items()):
            for message in list(messages):
                buttons = [e for b in message.get("blocks") or () if b["type"] == "actions" for e in b["elements"]]
                if message["ts"] in self.reviews or not any(e["action_id"] == rb.CLOSE_ACTION for e in buttons):
                    continue
                self.reviews.add(message["ts"])
                action_id = int(next(e["value"] for e in buttons if e["action_id"] == rb.CLOSE_ACTION))
                self.click(channel, message, rb.CLOSE_ACTION, OWNERS_BY_ACTION(self.store, action_id))
                wait_for(lambda i=action_id: next(a for a in self.store.actions() if a.id == i).status == "done",
                         what="action closed")
                closed += 1
        return closed

    def reply(self, notice: dict, text: str) -> str:
        owner = OWNER_OF[notice["alert"].metric]
        before = self.thread(notice)
        self.driver.event(rq.message(text, user=owner, channel=notice["channel"], thread_ts=notice["ts"]))
        return wait_for(lambda: len(self.thread(notice)) > len(before) and self.thread(notice)[-1],
                        what=f"confirmation of {text!r}")

    def thread(self, notice: dict) -> list[str]:
        return [m.get("text", "") for m in self.fake.messages_in(notice["channel"], notice["ts"])
                if m.get("thread_ts") == notice["ts"] and m["ts"] != notice["ts"] and m.get("user") == ws.BOT_USER_ID
                and not m.get("files")]


def OWNERS_BY_ACTION(store, action_id: int) -> str:  # noqa: N802 - reads like the table it stands for
    action = next(a for a in store.actions() if a.id == action_id)
    return action.owner


@pytest.fixture
def world(fake_slack, signing_secret, tmp_path):
    warehouse = tmp_path / "demo.duckdb"
    build_demo(warehouse, end=END, scale=0.5)
    for uid, (name, email) in OWNERS.items():
        fake_slack.workspace.users[uid] = {"name": name, "profile": {"email": email, "display_name": name}}
    settings = Settings(_env_file=None, slack_bot_token=ws.BOT_TOKEN, slack_signing_secret=signing_secret,
                        slack_api_url=fake_slack.base_url, store_path=tmp_path / "store.sqlite",
                        catalog_dir=simulation_catalog(tmp_path), warehouse=warehouse, cache_dir=tmp_path / "cache",
                        value_refresh_minutes=0)
    clock = SimClock(FIRST)
    runtime = build_runtime(settings, understanding=False, slack=True, clock=clock)
    runtime.loop_jobs = loop_job_runner(runtime, only=METRICS)
    yield runtime, clock, Driver(runtime.app, fake_slack, signing_secret)
    runtime.close()


@pytest.mark.timeout(900)  # about two minutes of CPU; a shared machine may stretch it
def test_180_days_of_the_closed_loop(world, fake_slack):
    runtime, clock, driver = world
    store = runtime.store
    owners = Owners(driver, fake_slack, store, clock)
    notices: list[dict] = []
    outcomes: dict[str, list[dt.date]] = {}
    replied: dict[str, object] = {}
    for k in range(1, DAYS + 1):
        day = FIRST + dt.timedelta(days=k)  # the morning after the scanned day
        for at in MORNING:
            clock.set(day, at)
            for outcome in runtime.loop_jobs.tick():
                if k == 1 and at == MORNING[0] and outcome.status == "missed":
                    continue  # the first start finds yesterday's digest and review too late to send (by design)
                assert outcome.status == "done", outcome
                outcomes.setdefault(outcome.job, []).append(outcome.fire_time.date())
            notices += owners.answer_notices()
            owners.close_reviews()
        outage = next(n for n in notices if n["alert"].metric == "orders" and not n["alert"].slice
                      and n["alert"].day == INCIDENTS[0].start.isoformat()) if day > INCIDENTS[0].start + \
            dt.timedelta(days=1) else None
        if outage and "expected" not in replied:
            assert "expected" in owners.reply(outage, "expected: planned maintenance").lower()
            replied["expected"] = day
        if notices and "target" not in replied and any(n["alert"].metric == "orders" for n in notices):
            first_orders = next(n for n in notices if n["alert"].metric == "orders")
            assert "30" in owners.reply(first_orders, "target 30000 per month")
            replied["target"] = day
            replied["digests"] = len([m for m in fake_slack.messages_in(DIGEST_CHANNEL) if m.get("blocks")
                                      and "Metrics digest" in json.dumps(m["blocks"][:1])])

    # every simulated morning ran its jobs: a scan a day, a digest on weekdays, the reviews
    mornings = [FIRST + dt.timedelta(days=k) for k in range(1, DAYS + 1)]
    assert outcomes["anomaly_scan"] == mornings and outcomes["review"] == mornings
    assert outcomes["digest"] == [d for d in mornings if d.weekday() < 5]

    alerts = store.alerts()
    # every planted incident alerts within a day of its start (the drifts, slow by nature, before they end)
    for incident in INCIDENTS:
        def hit(a, i=incident) -> bool:
            on_slice = a.slice == i.slice or (not a.slice and a.contributors
                                              and {(c["dimension"], c["value"]) for c in a.contributors[:1]}
                                              == set(i.slice.items()))
            return a.metric == i.metric and on_slice
        last = incident.end if incident.kind == "drift" else incident.start + dt.timedelta(days=1)
        assert [a for a in alerts if hit(a) and incident.start <= dt.date.fromisoformat(a.day) <= last], incident

    # false alerts on the overall series: at most one per metric per 30 days
    false = {m: [a.day for a in alerts if a.metric == m and not a.slice and not explained(a)] for m in METRICS}
    assert all(len(days) <= DAYS / 30 for days in false.values()), false
    print(f"180 days: {len(alerts)} alerts ({sum(1 for a in alerts if not a.slice)} overall), false on the overall "
          f"series {false}, {len(store.actions())} actions, {len(outcomes['digest'])} digests")

    # each alert: one notice, acknowledged, acted on, and reviewed (verdict closed) when its action came due
    posted = [notice_key(m) for _, m in owners.top_level() if notice_key(m)]
    assert len(posted) == len(set(posted)) == len(store.notices()) and store.pending_notices() == []
    assert {n["alert"].id for n in notices} == {a.id for a in alerts}
    assert all(a.status != "open" for a in alerts)
    actions = store.actions()
    assert len(actions) == len(alerts)
    due = [a for a in actions if dt.date.fromisoformat(a.due) <= END + dt.timedelta(days=1)]
    assert due and all(a.review_result and a.status == "done" for a in due)

    # the owners' replies changed later scans and digests
    outage_day = INCIDENTS[0].start
    assert [a for a in store.adjustments("orders", "expected") if a.payload.get("day") == outage_day.isoformat()]
    rescan = run_scan(runtime.service, store, outage_day, dry_run=True, only={"orders"})
    assert not [a for a in rescan.anomalies if not a.slice and a.day == outage_day]
    [target] = store.adjustments("orders", "target")
    assert target.payload["value"] == 30000.0
    digests = [json.dumps(m["blocks"]) for m in fake_slack.messages_in(DIGEST_CHANNEL)
               if m.get("blocks") and "Metrics digest" in json.dumps(m["blocks"][:1])]
    before, after = digests[:replied["digests"]], digests[replied["digests"]:]
    assert before and after and not any("30K" in d for d in before)
    assert "30K month target" in after[0]  # the next digest's target progress: "… of the 30K month target"
