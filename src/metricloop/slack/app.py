"""build_app: the Bolt app with every listener, de-duplication of retried deliveries, and error logging.

The same app serves HTTP (slack/server.py, Starlette) and Socket Mode. `process_before_response`
is on so an HTTP response is only sent once `ack()` ran; slow work always runs in lazy listeners.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from metricloop.errors import log_internal_error
from metricloop.settings import Settings
from metricloop.slack.conversation import Conversation
from metricloop.slack.listeners import register_all
from metricloop.slack.payloads import dedupe_key

log = logging.getLogger(__name__)


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for the configured API URL that waits out 429s (Retry-After) and retries dropped connections."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(token=token or settings.slack_bot_token, base_url=base_url, timeout=30,
                     retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2),
                                     RateLimitErrorRetryHandler(max_retry_count=3)])


def dedupe_middleware(store: Any) -> Callable[..., Any]:
    """Global middleware: answer every delivery once, even when Slack retries it (HTTP or Socket Mode).

    The first delivery claims its key in the durable store; a retry (same event_id, or the same
    click) is acknowledged with 200 so Slack stops retrying, and goes no further.
    """
    def dedupe(body: dict, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
        key = dedupe_key(body)
        if key is not None and not store.claim_event(key):
            log.info("duplicate delivery %s ignored", key)
            return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe


def build_app(settings: Settings, service: Any, store: Any, *, client: WebClient | None = None,
              chart_renderer: Any = None) -> App:
    """The metricloop Bolt app: mention, DM, /metrics, buttons and App Home, answered via `service`."""
    client = client or make_client(settings)
    # Answering is CPU work (interpreting, DuckDB, chart rendering) that shares the GIL with the request
    # threads; a small pool queues bursts instead of letting twenty answers starve the 3-second acks.
    workers = ThreadPoolExecutor(max_workers=settings.slack_workers, thread_name_prefix="metricloop-answer")
    app = App(client=client, signing_secret=settings.slack_signing_secret or "", process_before_response=True,
              name="metricloop", ignoring_self_events_enabled=True, listener_executor=workers)
    app.use(dedupe_middleware(store))

    @app.error
    def on_error(error: Exception, body: dict) -> None:
        log_internal_error(error, f"bolt listener for {dedupe_key(body) or body.get('type')}")

    conversation = Conversation(service=service, store=store, client=client, chart_renderer=chart_renderer)
    register_all(app, conversation, store)
    return app
