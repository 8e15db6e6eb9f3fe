"""Serve a Bolt app it is handed: Socket Mode when an app token (xapp-) is set, else HTTP (Starlette + uvicorn).

HTTP routes: POST /slack/events (events, commands and interactivity all point here), GET /healthz (alive),
GET /readyz (store, warehouse and model ready) and GET /metrics (Prometheus; metricloop.observe).
The app and everything behind it are built by runtime.build_runtime; this module only serves.

A body Bolt cannot read (slack/request_check) is refused with 400 when signed, 401 when not, and never
reaches Bolt. On SIGTERM (or Ctrl-C) the bot stops accepting — HTTP answers 503 with Retry-After, so Slack
retries later, and /healthz turns 503; Socket Mode disconnects — lets in-flight answers finish for up to
METRICLOOP_SHUTDOWN_GRACE_S seconds, then exits; what is left is answered, late, by the next start
(slack/durable). A second signal exits at once.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import send_response
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from metricloop import observe
from metricloop.errors import UserError
from metricloop.settings import Settings
from metricloop.slack.request_check import body_problem, payload_problem, signature_ok

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


def asgi_app(app: App, *, draining: threading.Event | None = None, signing_secret: str | None = None) -> Starlette:
    """The ASGI application serving the Bolt app over HTTP.

    Bolt's own Starlette adapter calls the synchronous `App.dispatch` on the event loop, which makes
    concurrent deliveries wait for each other; here each dispatch runs in the thread pool, so one slow
    acknowledgement never holds up the next. While `draining` is set, deliveries get 503 (Slack retries).
    """
    secret = signing_secret or getattr(app, "_signing_secret", None)

    async def events(request: Request) -> Response:
        if draining is not None and draining.is_set():
            return JSONResponse({"ok": False, "error": "restarting"}, status_code=503, headers={"Retry-After": "10"})
        body = await request.body()
        problem = body_problem(body, request.headers.get("content-type"))
        if problem is not None:
            if secret and not signature_ok(body, request.headers, secret):
                return JSONResponse({"ok": False, "error": "invalid_signature"}, status_code=401)
            log.warning("refused a signed Slack request: %s", problem)
            return JSONResponse({"ok": False, "error": "bad_request", "detail": problem}, status_code=400)
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:  # noqa: ARG001 - Starlette passes the request to every endpoint
        if draining is not None and draining.is_set():
            return JSONResponse({"ok": False, "draining": True}, status_code=503)
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), Route("/healthz", healthz, methods=["GET"]),
                             *probe_routes(app, draining)])


def probe_routes(app: Any, draining: threading.Event | None = None) -> list[Route]:
    """GET /readyz (503 until the store, warehouse and model are ready, or while draining; metricloop.health,
    attached to the app as `app.readiness` by the runtime) and GET /metrics (Prometheus text, metricloop.observe).
    """

    async def readyz(request: Request) -> Response:  # noqa: ARG001 - Starlette passes the request to every endpoint
        if draining is not None and draining.is_set():
            return JSONResponse({"ready": False, "draining": True}, status_code=503)
        readiness = getattr(app, "readiness", None)
        if readiness is None:
            return JSONResponse({"ready": False, "checks": {"runtime": "not built"}}, status_code=503)
        ready, parts = await run_in_threadpool(readiness.check)
        return JSONResponse({"ready": ready, "checks": parts}, status_code=200 if ready else 503)

    async def metrics(request: Request) -> Response:  # noqa: ARG001 - Starlette passes the request to every endpoint
        body, content_type = observe.exposition()
        return Response(body, media_type=content_type)

    return [Route("/readyz", readyz, methods=["GET"]), Route("/metrics", metrics, methods=["GET"])]


class CheckedSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler, refusing envelopes whose payload Bolt cannot read (acknowledged, logged)."""

    def handle(self, client: Any, req: Any) -> None:
        """Dispatch a well-formed envelope; acknowledge and drop anything else (Slack would resend it)."""
        problem = payload_problem(req.payload)
        if problem is not None:
            log.warning("refused a Socket Mode envelope %s: %s", req.envelope_id, problem)
            send_response(client, req, BoltResponse(status=200, body=""), time.time())  # the envelope's ack
            return
        super().handle(client, req)


def socket_mode_handler(app: App, app_token: str) -> Any:
    """Bolt's Socket Mode handler; it opens the connection through the app's own WebClient (same base URL)."""
    return CheckedSocketModeHandler(app, app_token, web_client=app.client)


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
    if hasattr(app, "start_background"):  # slack/durable: heartbeat, and resume what a previous run left
        app.start_background()
    grace = settings.shutdown_grace_s
    if http:
        log.warning("metricloop listening on http://%s:%s%s", settings.http_host, settings.http_port, EVENTS_PATH)
        draining = threading.Event()
        config = uvicorn.Config(asgi_app(app, draining=draining, signing_secret=settings.slack_signing_secret),
                                host=settings.http_host, port=settings.http_port, log_level="warning")
        GracefulServer(config, draining, lambda: _finish(app, grace)).run()
    else:
        _serve_health_in_background(settings, app)
        log.warning("metricloop connecting in Socket Mode")
        _serve_socket_mode(socket_mode_handler(app, settings.slack_app_token), lambda: _finish(app, grace))


def _finish(app: App, grace_s: float) -> None:
    """Let in-flight answers finish (at most `grace_s` seconds), then free what is left for the next start."""
    if hasattr(app, "drain"):
        app.drain(grace_s)
        app.stop()


class GracefulServer(uvicorn.Server):
    """uvicorn, but a first SIGTERM/SIGINT drains before exiting: 503s meanwhile, then a clean stop."""

    def __init__(self, config: uvicorn.Config, draining: threading.Event, finish: Callable[[], None]) -> None:
        super().__init__(config)
        self.draining, self._finish = draining, finish

    def handle_exit(self, sig: int, frame: Any) -> None:  # noqa: ARG002 - uvicorn's signal handler signature
        """First signal: drain in the background, then exit; a second one: exit now."""
        if self.draining.is_set():
            self.force_exit = self.should_exit = True
            return
        log.warning("signal %s: no new questions; finishing the ones in flight", sig)
        self.draining.set()
        threading.Thread(target=self._drain_then_exit, name="drain", daemon=True).start()

    def _drain_then_exit(self) -> None:
        try:
            self._finish()
        finally:
            self.should_exit = True


def _serve_socket_mode(handler: Any, finish: Callable[[], None]) -> None:
    """Connect and block until SIGTERM/SIGINT; then disconnect (stop accepting) and finish in-flight answers."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    handler.connect()
    stop.wait()
    log.warning("stopping: no new questions; finishing the ones in flight")
    handler.close()
    finish()


def health_app(app: Any = None) -> Starlette:
    """GET /healthz, /readyz and /metrics: what container probes and Prometheus need when Slack traffic arrives
    over Socket Mode."""

    async def healthz(request: Request) -> Response:  # noqa: ARG001 - Starlette passes the request to every endpoint
        return JSONResponse({"ok": True, "mode": "socket"})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *probe_routes(app)])


def _serve_health_in_background(settings: Settings, app: Any = None) -> None:
    server = uvicorn.Server(uvicorn.Config(health_app(app), host=settings.http_host, port=settings.http_port,
                                           log_level="warning"))
    threading.Thread(target=server.run, name="healthz", daemon=True).start()
