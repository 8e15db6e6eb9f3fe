"""Configured channels — ``"#sales-metrics"``, a bare ``sales-metrics`` or an id — turned into Slack channel ids.

The catalog and loop.yml name channels as people do (``meta.channel``, ``alerts.channel``, ``digest.channels``).
chat.postMessage takes a ``#name``, but conversations.history (finding an interrupted post), conversations.members
(who reads a channel), the thread chart upload (files.completeUploadExternal), chat.update and the button clicks
Slack sends all speak channel ids: the loop resolves a name once, before it posts, and stores the id.

Names are read with ``conversations.list`` (public and private channels, archived ones left out, every page),
cached for `ttl_s`, so a busy morning costs one walk, and a channel created or joined later is seen within
minutes. Ids (``C…``, ``G…``, ``D…``) and user ids (``U…``/``W…``, a DM) are left as they are, with no call.
A name Slack does not list, or a channel the bot is not in, raises `ChannelNotFound` saying so; when the list
cannot be read at all (no ``channels:read``) the name is used as written and that is logged once.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from metricloop.core.present.texts import say
from metricloop.errors import UserError

log = logging.getLogger(__name__)
TTL_S = 300.0
_ID = re.compile(r"^[CGDUW][A-Z0-9]{2,}$")  # Slack ids are upper case; channel names never are


def is_slack_id(channel: str) -> bool:
    """Whether `channel` is written as a Slack id (a channel, a DM or a user) rather than a name."""
    return bool(_ID.match(channel.strip()))


def channel_name(channel: str) -> str:
    """A configured name as Slack stores it: no ``#``, lower case."""
    return channel.strip().lstrip("#").lower()


class ChannelNotFound(UserError):  # noqa: N818 - a kind of UserError, named for what happened
    """A configured channel Slack does not have (``missing``), or one the bot is not in (``not_member``)."""

    def __init__(self, channel: str, reason: str, lang: str = "en") -> None:
        super().__init__(say("channel_missing" if reason == "missing" else "channel_not_member", lang,
                             channel=_shown(channel)))
        self.channel, self.reason = channel, reason


@dataclass(frozen=True)
class SlackChannel:
    """One channel conversations.list reported."""

    id: str
    name: str
    is_member: bool


class ChannelIds:
    """Resolves configured channel names to ids through a WebClient (one conversations.list walk per TTL)."""

    def __init__(self, client: Any, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.ttl_s, self.clock = client, ttl_s, clock
        self._listed: tuple[float, dict[str, SlackChannel] | None] | None = None  # (when, name → channel)
        self._lock = threading.Lock()
        self._warned = False

    def resolve(self, channel: str) -> str:
        """The id to use for `channel`: ids as they are; a name's id; raises `ChannelNotFound` when Slack has no
        such channel the bot can see, or the bot is not in it. The name itself when the list cannot be read."""
        if is_slack_id(channel):
            return channel.strip()
        found = self.find(channel)
        if found is None:
            if self._channels() is None:
                return channel  # no channels:read: chat.postMessage still takes the name
            raise ChannelNotFound(channel, "missing")
        if not found.is_member:
            raise ChannelNotFound(channel, "not_member")
        return found.id

    def find(self, channel: str) -> SlackChannel | None:
        """The channel Slack lists under `channel`'s name (None: not listed, or the list cannot be read)."""
        return (self._channels() or {}).get(channel_name(channel))

    def name_of(self, channel_id: str) -> str | None:
        """The name (without ``#``) of a listed channel id, or None."""
        return next((c.name for c in (self._channels() or {}).values() if c.id == channel_id), None)

    def problem(self, channel: str, lang: str = "en") -> str | None:
        """What is wrong with a configured channel, in words for the operator; None when it can be used."""
        try:
            self.resolve(channel)
        except ChannelNotFound as exc:
            return ChannelNotFound(channel, exc.reason, lang).message
        return None

    def problems(self, channels: Iterable[str], lang: str = "en") -> list[str]:
        """`problem` for each distinct channel, in order, the usable ones left out."""
        out = (self.problem(c, lang) for c in dict.fromkeys(channels))
        return [p for p in out if p]

    def _channels(self) -> dict[str, SlackChannel] | None:
        now = self.clock()
        with self._lock:
            if self._listed is not None and now - self._listed[0] < self.ttl_s:
                return self._listed[1]
        listed = self._list()
        with self._lock:
            self._listed = (now, listed)
        return listed

    def _list(self) -> dict[str, SlackChannel] | None:
        found: dict[str, SlackChannel] = {}
        cursor = None
        try:
            while True:
                page = self.client.conversations_list(types="public_channel,private_channel", exclude_archived=True,
                                                      limit=1000, cursor=cursor)
                for ch in page.get("channels") or ():
                    if ch.get("name") and ch.get("id"):
                        found[str(ch["name"]).lower()] = SlackChannel(ch["id"], ch["name"], bool(ch.get("is_member")))
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return found
        except SlackApiError as exc:  # channels:read / groups:read missing: names are posted as written
            if not self._warned:
                self._warned = True
                log.warning("conversations.list: %s; channel names in loop.yml cannot be checked or turned into "
                            "ids (add the channels:read and groups:read scopes)", exc.response.get("error"))
            return None


def _shown(channel: str) -> str:
    return channel if channel.startswith("#") or is_slack_id(channel) else f"#{channel}"
