"""Who reads what the bot posts: Slack users and channels turned into access policies (core/catalog/access).

Slack sends user ids; loop.yml's `access:` names people by id, e-mail or handle. `identity(user)` reads the
user's e-mail and handle with ``users.info`` (through slack/people, cached) and the Slack user groups named in
`access:` — by id or by handle (`slack_groups: ["@regional-managers"]`, or a group's member written as a user
group's handle) — through slack/usergroups (``usergroups.list`` + ``usergroups.users.list``, cached for the
TTL), so the core sees one `Identity`. A channel's policy is the
intersection of its members' policies (``conversations.members``, cached; bots left out): what is posted there
is what every member may see. A member list that cannot be read gives the channel only what the channel
itself is granted (loop.yml may list `#channel` in a group) — never more. Channels configured as ``#name`` are
read by id (slack/channel_ids: conversations.members takes no names); a name Slack does not have is read as its
own grant.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from metricloop.core.catalog.access import Identity, Policy, effective_policy, groups_of
from metricloop.core.catalog.model import Catalog
from metricloop.slack.channel_ids import ChannelIds, ChannelNotFound, is_slack_id
from metricloop.slack.people import People
from metricloop.slack.usergroups import UserGroups, handle_of

log = logging.getLogger(__name__)
MEMBERS_TTL_S = 300.0  # channel membership changes; a joiner sees restricted answers stop within minutes


@dataclass(frozen=True)
class Viewer:
    """Who asked (`asker`) and who else reads the place the answer goes (`room`: None for a DM)."""

    asker: Policy
    room: Policy | None = None

    def private(self, metrics: list[str]) -> bool:
        """True when the answer must go to the asker alone: the room may see less of `metrics`."""
        return self.room is not None and self.room.narrower_than(self.asker, metrics)

    @property
    def shared(self) -> Policy:
        """What everyone in the room (asker included) may see."""
        return self.asker if self.room is None else self.room & self.asker


class Audience:
    """Resolves Slack users and channels into policies for the current catalog."""

    def __init__(self, client: Any, catalog: Callable[[], Catalog], people: People | None = None,
                 ttl_s: float = MEMBERS_TTL_S, usergroups: UserGroups | None = None,
                 channels: ChannelIds | None = None) -> None:
        self.client, self.catalog, self.ttl_s = client, catalog, ttl_s
        self.people = people or People(client)
        self.usergroups = usergroups or UserGroups(client, ttl_s)
        self.channels = channels or ChannelIds(client, ttl_s)  # configured #names → ids (shared with the notifier)
        self._members: dict[str, tuple[float, list[str] | None]] = {}
        self._lock = threading.Lock()

    # -- people -----------------------------------------------------------------------------------------
    def identity(self, user: str) -> Identity:
        """The user's id, e-mail, handle and the configured Slack user groups they are in."""
        profile = self.people.profile(user)
        groups = frozenset(g for g in self._slack_groups() if user in self.usergroups.members(g))
        handle = profile.get("display_name") or profile.get("name")
        return Identity(user_id=user, email=profile.get("email") or None,
                        handle=f"@{handle}" if handle else None, groups=groups)

    def policy(self, user: str) -> Policy:
        """The user's own policy."""
        return effective_policy(self.catalog(), self.identity(user))

    def _slack_groups(self) -> list[str]:
        """The Slack user groups `access:` names: every `slack_groups` entry, and each member written as an
        @handle that is a user group's handle (`finance: ["@finance-team"]`) rather than a person's."""
        groups = groups_of(self.catalog()).values()
        named = {g for group in groups for g in group.slack_groups}
        handles = {m for group in groups for m in group.members if m.strip().startswith("@")}
        if handles:  # one usergroups.list per TTL tells a group's handle from a person's
            known = self.usergroups.handles()
            named |= {m for m in handles if handle_of(m) in known}
        return sorted(named)

    # -- channels ---------------------------------------------------------------------------------------
    def members(self, channel: str) -> list[str] | None:
        """The channel's human members (cached for `ttl_s`), or None when they cannot be read."""
        now = time.monotonic()
        with self._lock:
            hit = self._members.get(channel)
            if hit is not None and now - hit[0] < self.ttl_s:
                return hit[1]
        members: list[str] | None = []
        cursor = None
        try:
            while True:
                page = self.client.conversations_members(channel=channel, cursor=cursor, limit=1000)
                members += [u for u in page.get("members") or () if not self.people.profile(u).get("is_bot")]
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as exc:
            log.info("conversations.members %s: %s", channel, exc.response.get("error"))
            members = None
        with self._lock:
            self._members[channel] = (now, members)
        return members

    def channel_policy(self, channel: str) -> Policy:
        """What every member of `channel` may see (the channel's own grant when members cannot be read)."""
        catalog = self.catalog()
        members = self.members(channel)
        if members is None:
            name = self._channel_name(channel) if is_slack_id(channel) else channel.lstrip("#")
            return effective_policy(catalog, Identity(user_id=channel, handle=f"#{name}" if name else None))
        policy = Policy(who=channel)
        for member in members:
            policy = policy & effective_policy(catalog, self.identity(member))
        return policy

    def _channel_name(self, channel: str) -> str | None:
        try:
            return (self.client.conversations_info(channel=channel).get("channel") or {}).get("name")
        except SlackApiError:
            return None

    def viewer(self, user: str, channel: str | None) -> Viewer:
        """The asker's policy, and (outside a DM) the policy of everyone else reading `channel`."""
        asker = self.policy(user)
        if not channel or channel.startswith("D"):
            return Viewer(asker)
        return Viewer(asker, self.channel_policy(channel))

    def for_target(self, key: str) -> Policy:
        """A digest or notice recipient: a user id (U…/W…) reads as that user; a channel as its members."""
        if key[:1] in ("U", "W") and is_slack_id(key):
            return self.policy(key)
        try:
            channel = self.channels.resolve(key)
        except ChannelNotFound:  # no such channel (or the bot is not in it): only what the name itself is granted
            channel = key
        if not is_slack_id(channel):
            name = channel.lstrip("#")
            return effective_policy(self.catalog(), Identity(user_id=channel, handle=f"#{name}"))
        return self.channel_policy(channel)
