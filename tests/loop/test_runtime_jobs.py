"""The runtime wires the loop's jobs: with Slack and jobs on, one tick at 08:00 scans, posts notices and
sends the digests through the fake Slack; the scheduler holds the ticking job."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from fakes import workspace as ws
from metricloop.clock import FixedClock
from metricloop.runtime import build_runtime
from metricloop.settings import Settings

CATALOG = Path(__file__).parents[1] / "fixtures" / "loop" / "catalog"


def test_runtime_runs_the_loop_jobs(fake_slack, signing_secret, tmp_path, loop_warehouse_path):
    settings = Settings(slack_bot_token=ws.BOT_TOKEN, slack_signing_secret=signing_secret,
                        slack_api_url=fake_slack.base_url, store_path=tmp_path / "store.sqlite",
                        catalog_dir=CATALOG, warehouse=loop_warehouse_path, cache_dir=tmp_path / "cache")
    runtime = build_runtime(settings, understanding=False, slack=True, jobs=True,
                            clock=FixedClock(dt.date(2026, 3, 11), at=dt.time(8, 0, 30)))
    try:
        assert "loop-jobs" in {job.id for job in runtime.scheduler.get_jobs()}
        outcomes = {o.job: o for o in runtime.loop_jobs.tick()}
        assert outcomes["anomaly_scan"].status == "done" and outcomes["digest"].status == "done"
        assert outcomes["digest"].result["#sales"] == "sent"
        digests = [m for m in fake_slack.messages_in("#sales") if m.get("blocks", [{}])[0].get("type") == "header"
                   and m["blocks"][0]["text"]["text"].startswith("Metrics digest")]
        assert len(digests) == 1
        assert runtime.loop_jobs.tick() == []  # nothing due twice
    finally:
        runtime.close()
