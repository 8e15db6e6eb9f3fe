"""A local Socket Mode endpoint: a WebSocket server that pushes envelopes and records acks.

``apps.connections.open`` on the fake Web API hands out this server's ws:// URL, so
slack_sdk's SocketModeClient (and slack_bolt's SocketModeHandler) connect to it as they
would to Slack: they receive a ``hello``, then envelopes, and answer each with an ack
``{"envelope_id": ..., "payload": ...}``.
"""
from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from fakes import workspace as ws


class FakeSocketMode:
    """WebSocket server on 127.0.0.1 speaking Slack's Socket Mode envelope protocol."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server: Server = serve(self._session, host, port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-socket-mode", daemon=True)
        self._cond = threading.Condition()
        self._connections: list[ServerConnection] = []
        self.acks: list[dict[str, Any]] = []
        self.received: list[Any] = []  # everything clients sent, acks included
        self.connections_seen = 0

    @property
    def url(self) -> str:
        """ws:// URL the client is told to connect to."""
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket={uuid.uuid4()}&app_id={ws.APP_ID}"

    def start(self) -> FakeSocketMode:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close every connection and stop serving."""
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _session(self, conn: ServerConnection) -> None:
        conn.send(json.dumps({"type": "hello", "num_connections": 1,
                              "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 18060},
                              "connection_info": {"app_id": ws.APP_ID}}))
        with self._cond:
            self._connections.append(conn)
            self.connections_seen += 1
            self._cond.notify_all()
        try:
            for raw in conn:
                message = json.loads(raw)
                with self._cond:
                    self.received.append(message)
                    if isinstance(message, dict) and "envelope_id" in message:
                        self.acks.append(message)
                    self._cond.notify_all()
        except (ConnectionClosed, json.JSONDecodeError):
            pass
        finally:
            with self._cond:
                self._connections.remove(conn)
                self._cond.notify_all()

    def wait_connected(self, timeout: float = 5.0) -> None:
        """Block until at least one client is connected."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._connections, timeout):
                raise TimeoutError("no Socket Mode client connected")

    def push(self, payload: dict[str, Any], *, type: str = "events_api", retry_attempt: int = 0,  # noqa: A002 - Slack's envelope field
             retry_reason: str = "", accepts_response_payload: bool = False, envelope_id: str | None = None) -> str:
        """Send an envelope to the most recent client; return its envelope_id."""
        self.wait_connected()
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": type, "payload": payload,
                    "accepts_response_payload": accepts_response_payload,
                    "retry_attempt": retry_attempt, "retry_reason": retry_reason}
        with self._cond:
            conn = self._connections[-1]
        conn.send(json.dumps(envelope))
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The ack the client sent for ``envelope_id``; TimeoutError if none came."""
        def find() -> dict[str, Any] | None:
            return next((a for a in self.acks if a["envelope_id"] == envelope_id), None)

        with self._cond:
            if not self._cond.wait_for(lambda: find() is not None, timeout):
                raise TimeoutError(f"no ack for envelope {envelope_id}")
            return find()  # type: ignore[return-value]
