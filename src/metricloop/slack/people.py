"""Catalog people (e-mails and handles) ↔ Slack users: mention owners, recognise their replies.

The catalog names owners as ``ana@example.com``, ``@ana`` or a Slack id (``U0ANA`` / ``<@U0ANA>``); Slack
sends user ids. E-mails resolve with ``users.lookupByEmail``; a reply's author is matched back through
``users.info`` (e-mail, handle). Both answers are cached for the life of the process, misses included,
so a busy thread costs one lookup per person, not one per message.
"""
from __future__ import annotations

import logging
import re
import threading
from typing import Any

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
_USER_ID = re.compile(r"^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$")


def slack_id(person: str | None) -> str | None:
    """The Slack user id written in ``person`` itself (``U0ANA``, ``<@U0ANA>``), else None."""
    match = _USER_ID.match((person or "").strip())
    return match.group(1) if match else None


def _is_email(person: str) -> bool:
    return "@" in person and not person.startswith("@")


class People:
    """Resolves catalog people to Slack users through a WebClient, with a process-wide cache."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._by_email: dict[str, str | None] = {}
        self._profiles: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def user_id(self, person: str | None) -> str | None:
        """The Slack id of a catalog person, or None (unknown e-mail, a bare handle, nobody)."""
        if not person:
            return None
        written = slack_id(person)
        if written or not _is_email(person):
            return written
        email = person.strip().lower()
        with self._lock:
            if email in self._by_email:
                return self._by_email[email]
        try:
            found = self.client.users_lookupByEmail(email=email)["user"]["id"]
        except SlackApiError as exc:  # users_not_found, missing scope: mention by name instead
            log.info("users.lookupByEmail %s: %s", email, exc.response.get("error"))
            found = None
        with self._lock:
            self._by_email[email] = found
        return found

    def mention(self, person: str | None) -> str:
        """``<@U…>`` when the person resolves, else the person as written (never empty: "—")."""
        uid = self.user_id(person)
        return f"<@{uid}>" if uid else (person or "—")

    def is_person(self, user: str, person: str | None) -> bool:
        """Whether the Slack user ``user`` is the catalog person ``person`` (id, e-mail or handle)."""
        if not person or not user:
            return False
        if self.user_id(person) == user:
            return True
        profile = self._profile(user)
        wanted = person.strip().lower()
        if _is_email(wanted):
            return (profile.get("email") or "").lower() == wanted
        handle = wanted.lstrip("@")
        return handle in {(profile.get(k) or "").lower() for k in ("name", "display_name")} - {""}

    def profile(self, user: str) -> dict[str, Any]:
        """The user's profile (name, is_bot, email, display_name, ...), cached; {} when it cannot be read."""
        return self._profile(user)

    def _profile(self, user: str) -> dict[str, Any]:
        with self._lock:
            if user in self._profiles:
                return self._profiles[user]
        try:
            info = self.client.users_info(user=user)["user"]
            profile = {"name": info.get("name"), "is_bot": bool(info.get("is_bot")), **(info.get("profile") or {})}
        except SlackApiError as exc:
            log.info("users.info %s: %s", user, exc.response.get("error"))
            profile = {}
        with self._lock:
            self._profiles[user] = profile
        return profile
