"""Slack user groups named in loop.yml's `access:` — by id (``S0EASTMGR``) or by handle (``@regional-managers``)
— resolved to their members, for slack/audience.

A handle is looked up with ``usergroups.list`` (one call for every handle, cached for `ttl_s`); members come from
``usergroups.users.list`` (cached per group for `ttl_s`), so someone added to a group gets its access within
minutes and someone removed loses it. A group Slack does not know, or cannot tell us about (missing
``usergroups:read``), has no members: access fails closed, and the unknown name is logged once.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
USERGROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
TTL_S = 300.0


def is_usergroup_id(name: str) -> bool:
    """Whether `name` is written as a Slack user group id (``S…``) rather than a handle."""
    return bool(USERGROUP_ID.match(name.strip()))


def handle_of(name: str) -> str:
    """The handle as Slack stores it: no leading @, lower case."""
    return name.strip().lstrip("@").lower()


class UserGroups:
    """Members of Slack user groups by id or handle, through a WebClient, cached for `ttl_s`."""

    def __init__(self, client: Any, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.ttl_s, self.clock = client, ttl_s, clock
        self._handles: tuple[float, dict[str, str]] | None = None  # (when read, handle → id)
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._unknown: set[str] = set()
        self._lock = threading.Lock()

    def group_id(self, name: str) -> str | None:
        """The id of a user group written as an id or a handle; None when no such group is known."""
        if is_usergroup_id(name):
            return name.strip()
        return self.handles().get(handle_of(name))

    def handles(self) -> dict[str, str]:
        """Every active user group's handle → id (``usergroups.list``, cached); {} when it cannot be read."""
        now = self.clock()
        with self._lock:
            if self._handles is not None and now - self._handles[0] < self.ttl_s:
                return self._handles[1]
        try:
            groups = self.client.usergroups_list(include_disabled=False).get("usergroups") or ()
            found = {str(g["handle"]).lower(): g["id"] for g in groups if g.get("handle") and not g.get("date_delete")}
        except SlackApiError as exc:  # missing usergroups:read: no handle resolves (fail closed)
            log.warning("usergroups.list: %s", exc.response.get("error"))
            found = {}
        with self._lock:
            self._handles = (now, found)
        return found

    def members(self, name: str) -> frozenset[str]:
        """The user ids in the group written `name` (id or handle); empty when the group is unknown."""
        group = self.group_id(name)
        if group is None:
            self._warn_unknown(name)
            return frozenset()
        now = self.clock()
        with self._lock:
            hit = self._members.get(group)
            if hit is not None and now - hit[0] < self.ttl_s:
                return hit[1]
        try:
            users = frozenset(self.client.usergroups_users_list(usergroup=group).get("users") or ())
        except SlackApiError as exc:  # unknown group or missing scope: nobody is in it (fail closed)
            log.info("usergroups.users.list %s: %s", group, exc.response.get("error"))
            users = frozenset()
        with self._lock:
            self._members[group] = (now, users)
        return users

    def _warn_unknown(self, name: str) -> None:
        with self._lock:
            if name in self._unknown:
                return
            self._unknown.add(name)
        log.warning("access: no Slack user group %r (by handle); nobody gets its access", name)
