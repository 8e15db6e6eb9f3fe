"""build_app: the Bolt app with every listener, the durable inbox, a fair answer queue, and error logging.

The same app serves HTTP (slack/server.py, Starlette) and Socket Mode. `process_before_response`
is on so an HTTP response is only sent once `ack()` ran; slow work always runs in lazy listeners, on a
FairExecutor (one queue per user); every delivery is recorded in the inbox until it is answered, so a
retry is answered once and a restart finishes what a killed process left (slack/durable.py).
"""
from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from metricloop.audit import trail_for
from metricloop.errors import log_internal_error
from metricloop.settings import Settings
from metricloop.slack.audit_listener import audit_middleware
from metricloop.slack.conversation import Conversation
from metricloop.slack.durable import DurableApp
from metricloop.slack.fair_executor import FairExecutor
from metricloop.slack.listeners import register_all
from metricloop.slack.payloads import dedupe_key

log = logging.getLogger(__name__)


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for the configured API URL that waits out 429s (Retry-After) and retries dropped connections."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(token=token or settings.slack_bot_token, base_url=base_url, timeout=30,
                     retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2),
                                     RateLimitErrorRetryHandler(max_retry_count=3)])


def build_app(settings: Settings, service: Any, store: Any, *, client: WebClient | None = None,
              chart_renderer: Any = None) -> DurableApp:
    """The metricloop Bolt app: mention, DM, /metrics, buttons and App Home, answered via `service`."""
    client = client or make_client(settings)
    # Answering is CPU work (interpreting, DuckDB, chart rendering) that shares the GIL with the request
    # threads; a small pool queues bursts instead of letting twenty answers starve the 3-second acks,
    # and serves people in turn so one person's burst never holds up another's question.
    workers = FairExecutor(workers=settings.slack_workers)
    app = DurableApp(store=store, executor=workers, client=client,
                     signing_secret=settings.slack_signing_secret or "", process_before_response=True,
                     name="metricloop", ignoring_self_events_enabled=True)

    @app.error
    def on_error(error: Exception, body: dict) -> None:
        log_internal_error(error, f"bolt listener for {dedupe_key(body) or body.get('type')}")

    # after the inbox's middleware: a retried delivery it drops is not audited twice
    app.use(audit_middleware(trail_for(store)))
    conversation = Conversation(service=service, store=store, client=client, chart_renderer=chart_renderer)
    register_all(app, conversation, store)
    return app
