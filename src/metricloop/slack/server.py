"""Serve a Bolt app it is handed: Socket Mode when an app token (xapp-) is set, else HTTP (Starlette + uvicorn).

HTTP routes: POST /slack/events (events, commands and interactivity all point here) and GET /healthz.
The app and everything behind it are built by runtime.build_runtime; this module only serves.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from metricloop.errors import UserError
from metricloop.settings import Settings

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def missing_settings(settings: Settings, *, http: bool) -> list[str]:
    """What stops the bot from starting in the chosen mode, as environment variable names with a hint."""
    problems = []
    if not settings.slack_bot_token:
        problems.append("SLACK_BOT_TOKEN (the bot token, xoxb-…, from OAuth & Permissions)")
    elif not settings.slack_bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if http and not settings.slack_signing_secret:
        problems.append("SLACK_SIGNING_SECRET (Basic Information → App Credentials), required in HTTP mode")
    if not http and not (settings.slack_app_token or "").startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp- (connections:write)")
    return problems


def use_http(settings: Settings, force_http: bool = False) -> bool:
    """HTTP mode when forced or when there is no app-level token; otherwise Socket Mode."""
    return force_http or not settings.slack_app_token


def asgi_app(app: App) -> Starlette:
    """The ASGI application serving the Bolt app over HTTP.

    Bolt's own Starlette adapter calls the synchronous `App.dispatch` on the event loop, which makes
    concurrent deliveries wait for each other; here each dispatch runs in the thread pool, so one slow
    acknowledgement never holds up the next.
    """

    async def events(request: Request) -> Response:
        body = await request.body()
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:  # noqa: ARG001 - Starlette passes the request to every endpoint
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])])


def socket_mode_handler(app: App, app_token: str) -> Any:
    """Bolt's Socket Mode handler; it opens the connection through the app's own WebClient (same base URL)."""
    return SocketModeHandler(app, app_token, web_client=app.client)


def check_settings(settings: Settings, *, force_http: bool = False) -> None:
    """Raise a UserError naming every setting the chosen mode lacks (before anything slow is built)."""
    http = use_http(settings, force_http)
    problems = missing_settings(settings, http=http)
    if problems:
        mode = "HTTP" if http else "Socket Mode"
        raise UserError(f"Cannot start the Slack bot in {mode}; set:\n  " + "\n  ".join(problems))


def serve(app: App, settings: Settings, *, force_http: bool = False) -> None:
    """Serve `app` and block. Raises UserError naming every missing setting."""
    check_settings(settings, force_http=force_http)
    http = use_http(settings, force_http)
    if http:
        log.warning("metricloop listening on http://%s:%s%s", settings.http_host, settings.http_port, EVENTS_PATH)
        uvicorn.run(asgi_app(app), host=settings.http_host, port=settings.http_port, log_level="warning")
    else:
        _serve_health_in_background(settings)
        log.warning("metricloop connecting in Socket Mode")
        socket_mode_handler(app, settings.slack_app_token).start()


def health_app() -> Starlette:
    """Only GET /healthz: what a container probe needs when Slack traffic arrives over Socket Mode."""

    async def healthz(request: Request) -> Response:  # noqa: ARG001 - Starlette passes the request to every endpoint
        return JSONResponse({"ok": True, "mode": "socket"})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"])])


def _serve_health_in_background(settings: Settings) -> None:
    server = uvicorn.Server(uvicorn.Config(health_app(), host=settings.http_host, port=settings.http_port,
                                           log_level="warning"))
    threading.Thread(target=server.run, name="healthz", daemon=True).start()
