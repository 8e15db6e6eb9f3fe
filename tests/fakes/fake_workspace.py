"""The state behind the fake Slack Web API (the methods themselves are in fake_methods).

No HTTP here: ``FakeWorkspace.call(method, params, token)`` takes already-parsed
parameters and returns ``(status, extra_headers, body)``. The HTTP layer lives in
``fake_slack``. Everything is guarded by one lock because the server is threaded.
"""
from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakes import workspace as ws
from fakes.block_limits import validate_blocks
from fakes.fake_methods import METHODS, Body, SlackError


@dataclass
class Call:
    """One recorded request to the fake."""

    method: str  # Web API method, or "upload" / "response_url" for the non-API endpoints
    params: dict[str, Any]
    headers: dict[str, str]
    time: float
    status: int = 200
    response: Any = None


@dataclass
class FakeWorkspace:
    """Channels, messages, views, reactions, files and injected failures of one fake workspace."""

    root_url: Callable[[], str]
    ws_url: Callable[[], str] = lambda: ""
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[Body]] = field(default_factory=lambda: defaultdict(list))
    ephemerals: list[Body] = field(default_factory=list)
    uploads: dict[str, Body] = field(default_factory=dict)
    views: dict[str, Body] = field(default_factory=dict)
    home_views: dict[str, Body] = field(default_factory=dict)
    reactions: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    response_urls: dict[str, Body] = field(default_factory=dict)
    users: dict[str, Body] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)  # channel → member ids (conversations.members)
    usergroups: dict[str, list[str]] = field(default_factory=dict)  # user group id → member ids
    usergroup_handles: dict[str, str] = field(default_factory=dict)  # user group id → handle
    # channel id → {"id", "name", "is_private", "is_member", "is_archived"} (conversations.list; names in posts)
    channels: dict[str, Body] = field(default_factory=lambda: {
        cid: {"id": cid, "name": name, "is_private": False, "is_member": True, "is_archived": False}
        for cid, name in ws.CHANNELS.items()})
    lock: threading.RLock = field(default_factory=threading.RLock)
    _failures: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _epoch: int = field(default_factory=lambda: int(time.time()))

    # -- bookkeeping --------------------------------------------------------------------
    def _next_ts(self) -> str:
        n = next(self._ids)
        return f"{self._epoch + n // 1_000_000}.{n % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}FAKE"

    def queue_failure(self, method: str, failure: tuple[str, Any], times: int) -> None:
        """Make the next ``times`` calls of ``method`` fail (("error", name) or ("ratelimit", seconds))."""
        with self.lock:
            self._failures[method].extend([failure] * times)

    def _find(self, channel: str, ts: str) -> Body:
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def add_channel(self, name: str, cid: str | None = None, *, is_member: bool = True, is_private: bool = False,
                    is_archived: bool = False) -> str:
        """Create a channel (``name`` with or without ``#``); returns its id."""
        with self.lock:
            cid = cid or self._next_id("C")
            self.channels[cid] = {"id": cid, "name": name.lstrip("#").lower(), "is_private": is_private,
                                  "is_member": is_member, "is_archived": is_archived}
        return cid

    def channel_id(self, channel: str) -> str | None:
        """The id of a channel given by id (any id is taken), ``#name`` or bare name; None for an unknown name."""
        if channel[:1] in "CGDUW" and channel.isupper():
            return channel
        name = channel.lstrip("#").lower()
        return next((cid for cid, c in self.channels.items() if c["name"] == name and not c["is_archived"]), None)

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        """A response_url for a slash command or interaction payload.

        ``message_ts`` names the message an interaction came from, so that
        ``replace_original`` / ``delete_original`` posts can act on it.
        """
        with self.lock:
            rid = self._next_id("R")
            self.response_urls[rid] = {"channel": channel, "user": user, "message_ts": message_ts}
        return f"{self.root_url()}/response/{rid}"

    # -- entry points -----------------------------------------------------------------------
    def call(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict[str, str], Body]:
        """Run one Web API method as Slack would: auth, injected failures, then the method."""
        with self.lock:
            try:
                self._check_token(method, token)
                failures = self._failures.get(method)
                if failures:
                    kind, value = failures.popleft()
                    if kind == "ratelimit":
                        return 429, {"Retry-After": str(value)}, {"ok": False, "error": "ratelimited"}
                    raise SlackError(value)
                handler = METHODS.get(method)
                if handler is None:
                    raise SlackError("unknown_method")
                return 200, {}, {"ok": True, **handler(self, params)}
            except SlackError as exc:
                return 200, {}, {"ok": False, "error": exc.error, **exc.extra}

    @staticmethod
    def _check_token(method: str, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        wanted = ("xapp-",) if method.startswith("apps.connections") else ("xoxb-", "xoxp-")
        if not token.startswith(wanted):
            raise SlackError("not_allowed_token_type" if token.startswith(("xoxb-", "xapp-")) else "invalid_auth")

    def upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """The POST to an upload_url handed out by files.getUploadURLExternal."""
        with self.lock:
            pending = self.uploads.get(file_id)
            if pending is None:
                return 404, "file not found"
            if not data:
                return 400, "empty upload"
            if pending["length"] != len(data):
                return 400, f"length mismatch: announced {pending['length']}, got {len(data)}"
            pending["data"] = data
            return 200, f"OK - {len(data)}"

    def respond(self, response_id: str, body: Body) -> tuple[int, str]:
        """A POST to a response_url: post (or replace) a message in the command's channel."""
        with self.lock:
            target = self.response_urls.get(response_id)
            if target is None:
                return 404, "no_such_response_url"
            errors = validate_blocks(body.get("blocks", []))
            if errors:
                return 400, "invalid_blocks"
            original = self._original(target) if _flag(body, "replace_original", "delete_original") else None
            if _flag(body, "delete_original"):
                if original is None:
                    return 404, "message_not_found"
                self.messages[target["channel"]].remove(original)
                return 200, "ok"
            if not (body.get("text") or body.get("blocks")):
                return 400, "no_text"
            if _flag(body, "replace_original"):
                if original is None:
                    return 404, "message_not_found"
                original.update(text=body.get("text", ""), blocks=body.get("blocks", []))
                return 200, "ok"
            message = {"type": "message", "ts": self._next_ts(), "text": body.get("text", ""),
                       "blocks": body.get("blocks", []), "bot_id": ws.BOT_ID, "user": ws.BOT_USER_ID,
                       "response_type": body.get("response_type", "ephemeral"), "channel": target["channel"]}
            if body.get("thread_ts"):
                message["thread_ts"] = body["thread_ts"]
            if message["response_type"] == "in_channel":
                self.messages[target["channel"]].append(message)
            else:
                self.ephemerals.append({**message, "user": target["user"]})
            return 200, "ok"


    def _original(self, target: Body) -> Body | None:
        try:
            return self._find(target["channel"], target["message_ts"] or "")
        except SlackError:
            return None


def _flag(body: Body, *names: str) -> bool:
    # response_url bodies carry booleans as JSON true or as the strings "true"/"false".
    return any(str(body.get(name)).lower() == "true" for name in names)
