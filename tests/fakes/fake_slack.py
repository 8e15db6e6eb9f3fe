"""A fake Slack Web API on 127.0.0.1 that slack_sdk's WebClient talks to over real HTTP.

    with FakeSlack() as fake:
        client = WebClient(token=BOT_TOKEN, base_url=fake.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.messages_in("C1")[0]["text"] == "hi"

Also runnable alone: ``PYTHONPATH=tests python -m fakes.fake_slack --port 8765`` prints its URL.
Requests are parsed as slack_sdk sends them (query string, form-encoded or JSON body;
JSON-valued form fields such as ``blocks`` decoded) and recorded as ``Call`` objects.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fakes.fake_socket_mode import FakeSocketMode
from fakes.fake_workspace import Call, FakeWorkspace

# Form fields that slack_sdk serializes as JSON strings; decoded so tests see structures.
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")
_ROUTE = re.compile(r"^/(api|upload|response)/([A-Za-z0-9._-]+)$")


def parse_params(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Merge query-string and body parameters the way Slack's API does."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body and "application/json" in content_type:
        params.update(json.loads(body))
    elif body and "application/x-www-form-urlencoded" in content_type:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):  # left as text: block validation reports it like Slack
                params[key] = json.loads(params[key])
    return params


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        is_json = not isinstance(body, str)
        data = (json.dumps(body) if is_json else body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8" if is_json else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        route = _ROUTE.match(url.path)
        if route is None:
            self._reply(404, {"ok": False, "error": "not_found"})
            return
        kind, name = route.groups()
        headers = dict(self.headers.items())
        workspace = self.server.fake.workspace
        if kind == "upload":
            status, text = workspace.upload(name, body)
            call = Call("upload", {"file_id": name, "bytes": len(body)}, headers, time.time(), status, text)
            response: Any = text
            extra: dict[str, str] = {}
        elif kind == "response":
            payload = json.loads(body or b"{}")
            status, response = workspace.respond(name, payload)
            call, extra = Call("response_url", {"response_id": name, **payload}, headers, time.time(), status), {}
        else:
            params = parse_params(url.query, body, self.headers.get("Content-Type", ""))
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else params.get("token")
            status, extra, response = workspace.call(name, params, token)
            call = Call(name, params, headers, time.time(), status)
        call.response = response
        with workspace.lock:
            workspace.calls.append(call)
        self._reply(status, response, extra)

    do_GET = _handle  # noqa: N815 - http.server dispatches on the method name
    do_POST = _handle  # noqa: N815 - http.server dispatches on the method name


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # benchmarks open ~20 connections at once; the default backlog of 5 drops some
    fake: FakeSlack


class FakeSlack:
    """The fake Web API server plus helpers for tests; start()/stop() or use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True)
        self._socket_mode: FakeSocketMode | None = None
        self.workspace = FakeWorkspace(root_url=lambda: self.root_url, ws_url=lambda: self.socket_mode.url)

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the HTTP server (and the Socket Mode endpoint if it was started)."""
        self._server.shutdown()
        self._server.server_close()
        if self._socket_mode is not None:
            self._socket_mode.stop()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)``; ends in '/api/'."""
        return f"{self.root_url}/api/"

    @property
    def socket_mode(self) -> FakeSocketMode:
        """The local Socket Mode endpoint, started on first use."""
        if self._socket_mode is None:
            self._socket_mode = FakeSocketMode(self._server.server_address[0]).start()
        return self._socket_mode

    # -- inspection and control ------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        """Every request received so far, in order (a copy)."""
        with self.workspace.lock:
            return list(self.workspace.calls)

    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of one method ("chat.postMessage", "upload", "response_url", ...)."""
        return [c for c in self.calls if c.method == method]

    def inject_error(self, method: str, error: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}``."""
        self.workspace.queue_failure(method, ("error", error), times)

    def inject_rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer 429 with ``Retry-After: retry_after``."""
        self.workspace.queue_failure(method, ("ratelimit", retry_after), times)

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        """A response_url served by this fake, for slash-command and interaction payloads
        (``message_ts``: the message an interaction came from, for replace/delete_original)."""
        return self.workspace.new_response_url(channel, user, message_ts)

    def messages_in(self, channel: str, thread_ts: str | None = None) -> list[dict[str, Any]]:
        """Messages posted in a channel (by id or ``#name``); with ``thread_ts`` only that thread (parent and
        replies)."""
        with self.workspace.lock:
            messages = list(self.workspace.messages.get(self.workspace.channel_id(channel) or channel, []))
        if thread_ts is None:
            return messages
        return [m for m in messages if thread_ts in (m.get("thread_ts"), m["ts"])]

    def add_channel(self, name: str, cid: str | None = None, *, is_member: bool = True,
                    is_private: bool = False) -> str:
        """A channel in the fake workspace (``#name``), the bot in it unless ``is_member`` is False; its id."""
        return self.workspace.add_channel(name, cid, is_member=is_member, is_private=is_private)

    def channel_id(self, channel: str) -> str | None:
        """The id Slack gives the channel written ``channel`` (an id, ``#name`` or a name); None if unknown."""
        with self.workspace.lock:
            return self.workspace.channel_id(channel)

    def ephemerals_for(self, user: str) -> list[dict[str, Any]]:
        """Ephemeral messages (chat.postEphemeral and ephemeral response_url posts) shown to a user."""
        with self.workspace.lock:
            return [m for m in self.workspace.ephemerals if m.get("user") == user]

    def uploaded(self, file_id: str) -> bytes | None:
        """The bytes uploaded for a file id, if any."""
        with self.workspace.lock:
            return (self.workspace.uploads.get(file_id) or {}).get("data")

    def reset(self) -> None:
        """Forget calls, messages, views, files and pending failures (the server keeps running)."""
        fresh = FakeWorkspace(root_url=self.workspace.root_url, ws_url=self.workspace.ws_url)
        with self.workspace.lock:
            self.workspace = fresh


def main(argv: list[str] | None = None) -> None:
    """Run the fake as a separate process until interrupted."""
    parser = argparse.ArgumentParser(description="Fake Slack Web API for local testing")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    fake = FakeSlack(args.host, args.port).start()
    print(fake.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
