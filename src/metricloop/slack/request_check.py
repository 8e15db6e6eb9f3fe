"""Is this a Slack request the app can read? Checked before Bolt sees it, so a bad body is a 400, not a 500.

Bolt parses the body while building its request and trusts the shape it finds: invalid JSON, a JSON array,
`"event": null`, bytes that are not UTF-8 or JSON nested 200,000 levels deep raised inside the server and
came back as 500 with a traceback in the log. `signature_ok` verifies Slack's v0 signature on the raw
bytes (any bytes, UTF-8 or not); `body_problem` parses the body exactly as Bolt will and says, in one
line, what is wrong with it; `payload_problem` does the same for an already parsed payload (Socket Mode).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from slack_bolt.request.internals import parse_body

MAX_BODY_BYTES = 1_000_000  # Slack's largest payloads (a modal's state) are far below this
MAX_DEPTH = 64  # Slack's own payloads nest about a dozen levels
MAX_SKEW_S = 300  # Slack's replay window for the request timestamp
# Top-level fields Bolt and the listeners read as structures: a JSON value of another type is not Slack's.
SHAPES: dict[str, type | tuple[type, ...]] = {
    "type": str, "event": dict, "event_id": str, "actions": list, "view": dict, "container": dict,
    "authorizations": list, "message": dict, "user": (dict, str), "channel": (dict, str), "team": (dict, str),
}


def signature_ok(body: bytes, headers: Mapping[str, str], secret: str, now: float | None = None) -> bool:
    """Slack's v0 HMAC-SHA256 signature over the raw bytes, with a fresh timestamp."""
    lower = {k.lower(): v for k, v in headers.items()}
    timestamp, signature = lower.get("x-slack-request-timestamp", ""), lower.get("x-slack-signature", "")
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > MAX_SKEW_S:
        return False
    mac = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return hmac.compare_digest(f"v0={mac.hexdigest()}", signature)


def body_problem(body: bytes, content_type: str | None) -> str | None:
    """What keeps Bolt from reading this HTTP body (None: nothing)."""
    if len(body) > MAX_BODY_BYTES:
        return f"the body is larger than {MAX_BODY_BYTES:,} bytes"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    try:
        payload = parse_body(text, content_type)  # what Bolt's BoltRequest will do with it
    except RecursionError:
        return f"the body nests deeper than {MAX_DEPTH} levels"
    except ValueError as exc:  # json.JSONDecodeError, or a form field that is not what it claims
        return f"the body is not valid JSON ({exc.__class__.__name__})"
    return payload_problem(payload)


def payload_problem(payload: Any) -> str | None:
    """What is wrong with a parsed payload: not an object, a field of the wrong type, nesting too deep."""
    if not isinstance(payload, dict):
        return f"the payload is a JSON {type(payload).__name__}, not an object"
    for key, expected in SHAPES.items():
        if key in payload and not isinstance(payload[key], expected):
            return f"the field '{key}' is {json.dumps(payload[key])[:40]}, not a JSON object of that kind"
    if _depth(payload) > MAX_DEPTH:
        return f"the payload nests deeper than {MAX_DEPTH} levels"
    return None


def _depth(value: Any) -> int:
    """How deep containers nest (iterative: a recursive walk would itself blow up on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return depth
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
        deepest = max(deepest, depth)
    return deepest
