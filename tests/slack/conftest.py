"""The Slack app under test: real Bolt app, real WebClient against the fake Slack Web API, a real DuckDB
warehouse over the shop fixture catalog, a durable store file, and a table-driven understander."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from ruamel.yaml import YAML

from fakes import slack_requests as rq
from fakes import workspace as ws
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.charts import FakeChartRenderer
from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.answer import Option
from metricloop.core.query import MetricQuery
from metricloop.service import MetricService
from metricloop.settings import Settings
from metricloop.slack.app import build_app

FIXTURES = Path(__file__).parents[1] / "fixtures"
INTERPRETATIONS = YAML(typ="safe").load((FIXTURES / "slack" / "interpretations.yml").read_text())


@dataclass(frozen=True)
class Interpretation:
    """Shaped like core.understand.Interpretation (what MetricService.ask reads)."""

    kind: str
    query: MetricQuery | None = None
    options: list[Option] = field(default_factory=list)
    restatement: str | None = None
    language: str = "en"
    reason: str | None = None


class TableUnderstander:
    """An Interpreter (metricloop.ports) that interprets exactly the questions in interpretations.yml; records
    what it was asked (and with what context)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, MetricQuery | None]] = []

    value_index = None  # no dimension values to refresh

    def refresh_values(self) -> None:
        pass

    def interpret(self, text: str, *, today: Any = None, context: MetricQuery | None = None,
                  choose_metric: str | None = None) -> Interpretation:
        self.asked.append((text, context))
        entry = INTERPRETATIONS.get(text.strip().lower())
        if entry is None:
            return Interpretation(kind="no_match", reason="I don't know that one.")
        if choose_metric and entry.get("query"):  # a picked option: the question's shape, that metric
            query = MetricQuery.model_validate(entry["query"]).with_changes(metrics=(choose_metric,))
            return Interpretation(kind="query", query=query)
        if "follow_up" in entry:
            if context is None:
                return Interpretation(kind="no_match", reason="A follow-up without a previous question.")
            query = context.with_changes(**entry["follow_up"])
            return Interpretation(kind="query", query=query, restatement=None)
        query = MetricQuery.model_validate(entry["query"]) if entry.get("query") else None
        return Interpretation(kind=entry["kind"], query=query, restatement=entry.get("restatement"),
                              reason=entry.get("reason"), options=[Option(**o) for o in entry.get("options", [])])


def build_shop_warehouse(path: Path) -> Path:
    """Write the shop fixture warehouse (the shop catalog's tables) to a DuckDB file at `path`."""
    con = duckdb.connect(str(path))
    con.execute((FIXTURES / "slack" / "shop_warehouse.sql").read_text())
    con.close()
    return path


@pytest.fixture(scope="session")
def shop_warehouse_path(tmp_path_factory) -> Path:
    return build_shop_warehouse(tmp_path_factory.mktemp("shop") / "shop.duckdb")


@pytest.fixture(scope="session")
def shop_catalog():
    return load_catalog(FIXTURES / "catalogs" / "shop")


@pytest.fixture
def service(shop_catalog, shop_warehouse_path):
    warehouse = DuckDBWarehouse(str(shop_warehouse_path), timeout_s=10)
    svc = MetricService(catalog=shop_catalog, warehouse=warehouse, understander=TableUnderstander(),
                        clock=FixedClock(date(2026, 3, 31)))
    yield svc
    warehouse.close()


@pytest.fixture
def settings(fake_slack, signing_secret, tmp_path) -> Settings:
    return Settings(slack_bot_token=ws.BOT_TOKEN, slack_signing_secret=signing_secret,
                    slack_api_url=fake_slack.base_url, store_path=tmp_path / "store.sqlite")


@pytest.fixture
def app_store(settings):
    s = SQLiteStore(settings.store_path)
    yield s
    s.close()


@pytest.fixture
def slack_app(settings, service, app_store):
    return build_app(settings, service, app_store, chart_renderer=FakeChartRenderer())


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll until `condition()` is truthy (lazy listeners run in threads); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Driver:
    """Sends correctly signed requests to the app and reads outcomes from the fake Slack."""

    def __init__(self, app, fake, secret: str) -> None:
        self.app, self.fake, self.secret = app, fake, secret

    def event(self, event: dict, **options: Any):
        return self.app.dispatch(rq.bolt_request(*rq.signed_event(event, self.secret, **options)))

    def command(self, text: str, **kwargs: Any):
        url = self.fake.new_response_url(kwargs.get("channel", ws.DEFAULT_CHANNEL), kwargs.get("user", ws.DEFAULT_USER))
        return self.app.dispatch(rq.bolt_request(*rq.signed_form(rq.slash_command(text, response_url=url, **kwargs),
                                                                   self.secret)))

    def click(self, payload: dict):
        return self.app.dispatch(rq.bolt_request(*rq.signed_interaction(payload, self.secret)))

    def replies(self, channel: str, thread_ts: str, n: int = 1, *, key: str = "blocks") -> list[dict]:
        """Wait for at least n bot messages with `key` (blocks, files) in the thread, excluding the parent."""
        def found() -> list[dict]:
            msgs = [m for m in self.fake.messages_in(channel, thread_ts)
                    if m.get("thread_ts") == thread_ts and m.get(key)]
            return msgs if len(msgs) >= n else []
        return wait_for(found, what=f"{n} replies in {channel}/{thread_ts}")


@pytest.fixture
def driver(slack_app, fake_slack, signing_secret) -> Driver:
    return Driver(slack_app, fake_slack, signing_secret)
