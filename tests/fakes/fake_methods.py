"""The Web API methods of the fake Slack: each takes the workspace and parsed params, returns the answer.

A method raises ``SlackError`` for Slack's ``{"ok": false, "error": ...}`` answers; the
caller (``FakeWorkspace.call``) holds the workspace lock, so methods mutate state freely.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fakes import workspace as ws
from fakes.block_limits import validate_blocks, validate_view
from metricloop.slack.limits import MAX_MESSAGE_TEXT

if TYPE_CHECKING:
    from fakes.fake_workspace import FakeWorkspace

Body = dict[str, Any]


class SlackError(Exception):
    """A Web API error answer: ``{"ok": false, "error": ...}`` plus optional extras."""

    def __init__(self, error: str, **extra: Any):
        super().__init__(error)
        self.error = error
        self.extra = extra


def _require(params: dict[str, Any], *names: str, error: str = "invalid_arguments") -> None:
    for name in names:
        if params.get(name) in (None, ""):
            raise SlackError(error, response_metadata={"messages": [f"[ERROR] missing required field: {name}"]})


def _dm_channel(user: str) -> str:
    return "D" + user[1:]


def _by_id(p: Body, key: str = "channel") -> str:
    """A channel parameter of a method that takes only ids (conversations.history, conversations.members, chat.update,
    files.completeUploadExternal): Slack answers ``channel_not_found`` to a ``#name`` there."""
    channel = str(p.get(key) or "")
    if not (channel[:1] in "CGD" and channel.isupper()):
        raise SlackError("channel_not_found")
    return channel


def _posted_channel(w: FakeWorkspace, channel: str) -> str:
    """Where chat.postMessage puts a message: a user's DM, a channel by id, or a named channel's id (as Slack
    does, answering with the id); an unknown name is ``channel_not_found``, one the bot is not in
    ``not_in_channel``."""
    if channel.startswith(("U", "W")):
        return _dm_channel(channel)
    cid = w.channel_id(channel)
    if cid is None:
        raise SlackError("channel_not_found")
    if not w.channels.get(cid, {}).get("is_member", True):
        raise SlackError("not_in_channel")
    return cid


def _auth_test(w: FakeWorkspace, p: Body) -> Body:
    return {"url": f"https://{ws.TEAM_DOMAIN}.slack.com/", "team": "metricloop test", "user": "metricloop",
            "team_id": ws.TEAM_ID, "user_id": ws.BOT_USER_ID, "bot_id": ws.BOT_ID, "app_id": ws.APP_ID,
            "is_enterprise_install": False}


def _check_message_content(p: Body) -> None:
    if not (p.get("text") or p.get("blocks") or p.get("attachments")):
        raise SlackError("no_text")
    if len(p.get("text") or "") > MAX_MESSAGE_TEXT:
        raise SlackError("msg_too_long")
    errors = validate_blocks(p["blocks"]) if "blocks" in p else []
    if errors:
        raise SlackError("invalid_blocks", errors=errors)


def _check_metadata(p: Body) -> None:
    """Message metadata as Slack takes it: an event_type and an event_payload object."""
    meta = p.get("metadata")
    if meta in (None, ""):
        return
    if not isinstance(meta, dict) or not isinstance(meta.get("event_payload"), dict):
        raise SlackError("invalid_metadata_format")
    if not isinstance(meta.get("event_type"), str) or not meta["event_type"]:
        raise SlackError("invalid_metadata_schema")


def _post_message(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "channel", error="channel_not_found")
    _check_message_content(p)
    _check_metadata(p)
    channel = _posted_channel(w, p["channel"])
    message = {"type": "message", "ts": w._next_ts(), "channel": channel, "text": p.get("text", ""),
               "user": ws.BOT_USER_ID, "bot_id": ws.BOT_ID, "app_id": ws.APP_ID, "team": ws.TEAM_ID}
    for key in ("blocks", "attachments", "thread_ts", "metadata"):
        if p.get(key):
            message[key] = p[key]
    w.messages[channel].append(message)
    return {"channel": channel, "ts": message["ts"], "message": message}


def _update(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "channel", "ts")
    message = w._find(_by_id(p), p["ts"])
    _check_message_content({**message, **p})
    for key in ("text", "blocks", "attachments", "metadata"):
        if key in p:
            message[key] = p[key]
    message["edited"] = {"user": ws.BOT_USER_ID, "ts": w._next_ts()}
    return {"channel": p["channel"], "ts": p["ts"], "text": message.get("text", ""), "message": message}


def _post_ephemeral(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "channel", error="channel_not_found")
    _require(p, "user", error="user_not_in_channel")
    _check_message_content(p)
    ts = w._next_ts()
    w.ephemerals.append({"ts": ts, **{k: p[k] for k in ("channel", "user", "text", "blocks", "thread_ts") if k in p}})
    return {"message_ts": ts}


def _permalink(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "channel", "message_ts")
    w._find(p["channel"], p["message_ts"])
    archive = f"https://{ws.TEAM_DOMAIN}.slack.com/archives/{p['channel']}/p{p['message_ts'].replace('.', '')}"
    return {"channel": p["channel"], "permalink": archive}


def _store_view(w: FakeWorkspace, view: Any, view_id: str | None = None) -> Body:
    errors = validate_view(view)
    if errors:
        raise SlackError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {e}" for e in errors]})
    view_id = view_id or w._next_id("V")
    stored = {**view, "id": view_id, "team_id": ws.TEAM_ID, "app_id": ws.APP_ID, "bot_id": ws.BOT_ID,
              "hash": w._next_ts(), "state": {"values": {}}, "root_view_id": view_id}
    w.views[view_id] = stored
    return stored


def _views_open(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "trigger_id", "view")
    return {"view": _store_view(w, p["view"])}


def _views_publish(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "user_id", "view")
    if not isinstance(p["view"], dict) or p["view"].get("type") != "home":
        raise SlackError("invalid_arguments", response_metadata={"messages": ["[ERROR] view type must be home"]})
    previous = w.home_views.get(p["user_id"])
    stored = _store_view(w, p["view"], previous["id"] if previous else None)
    w.home_views[p["user_id"]] = stored
    return {"view": stored}


def _views_update(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "view")
    view_id = p.get("view_id") or next(
        (v["id"] for v in w.views.values() if p.get("external_id") and v.get("external_id") == p["external_id"]), None)
    if view_id not in w.views:
        raise SlackError("not_found")
    return {"view": _store_view(w, p["view"], view_id)}


def _reaction(w: FakeWorkspace, p: Body, add: bool) -> Body:
    _require(p, "channel", "timestamp", "name")
    names = w.reactions[(p["channel"], p["timestamp"])]
    if add == (p["name"] in names):
        raise SlackError("already_reacted" if add else "no_reaction")
    (names.append if add else names.remove)(p["name"])
    return {}


def _conversations_info(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "channel", error="channel_not_found")
    cid = p["channel"]
    is_im = cid.startswith("D")
    known = w.channels.get(cid) or {}
    return {"channel": {"id": cid, "name": None if is_im else known.get("name") or cid.lower(),
                        "is_channel": cid.startswith("C"),
                        "is_im": is_im, "is_private": cid.startswith("G"), "is_member": True,
                        "context_team_id": ws.TEAM_ID}}


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _conversations_history(w: FakeWorkspace, p: Body) -> Body:
    """A channel's top-level messages, newest first, paged by ``limit`` and ``cursor``; ``oldest``/``latest``
    bound the ts (exclusive unless ``inclusive``); metadata only with ``include_all_metadata``."""
    _require(p, "channel", error="channel_not_found")
    _by_id(p)
    inclusive = _truthy(p.get("inclusive"))
    oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")

    def within(ts: float) -> bool:
        return (oldest <= ts <= latest) if inclusive else (oldest < ts < latest)

    top = [m for m in w.messages.get(p["channel"], []) if m.get("thread_ts") in (None, m["ts"])]
    found = sorted((m for m in top if within(float(m["ts"]))), key=lambda m: float(m["ts"]), reverse=True)
    start, limit = int(p.get("cursor") or 0), max(1, min(int(p.get("limit") or 100), 999))
    page = found[start:start + limit]
    keep = _truthy(p.get("include_all_metadata"))
    messages = [{k: v for k, v in m.items() if k != "channel" and (keep or k != "metadata")} for m in page]
    more = start + limit < len(found)
    return {"messages": messages, "has_more": more, "pin_count": 0,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


def _conversations_replies(w: FakeWorkspace, p: Body) -> Body:
    """A thread: its parent and replies, oldest first; metadata only with ``include_all_metadata``."""
    _require(p, "channel", "ts", error="channel_not_found")
    thread = [m for m in w.messages.get(p["channel"], []) if p["ts"] in (m["ts"], m.get("thread_ts"))]
    if not thread:
        raise SlackError("thread_not_found")
    keep = str(p.get("include_all_metadata")).lower() in ("1", "true")
    limit = max(1, min(int(p.get("limit") or 1000), 1000))
    messages = [{k: v for k, v in m.items() if k != "channel" and (keep or k != "metadata")}
                for m in sorted(thread, key=lambda m: float(m["ts"]))[:limit]]
    return {"messages": messages, "has_more": len(thread) > limit, "response_metadata": {"next_cursor": ""}}


def _conversations_open(w: FakeWorkspace, p: Body) -> Body:
    if p.get("channel"):
        return {"channel": {"id": p["channel"]}}
    _require(p, "users", error="users_list_not_supplied")
    users = str(p["users"]).split(",")
    return {"channel": {"id": _dm_channel(users[0]) if len(users) == 1 else w._next_id("G")}}


def _conversations_members(w: FakeWorkspace, p: Body) -> Body:
    """Members registered in ``w.members`` (none for other channels), one page per ``limit``, paged by ``cursor``."""
    _require(p, "channel", error="channel_not_found")
    name = (w.channels.get(_by_id(p)) or {}).get("name")
    # registered by id, or (a test's shorthand) by the channel's #name
    members = w.members.get(p["channel"]) or (w.members.get(f"#{name}", []) if name else [])
    start, limit = int(p.get("cursor") or 0), int(p.get("limit") or 100)
    page = members[start:start + limit]
    cursor = str(start + limit) if start + limit < len(members) else ""
    return {"members": page, "response_metadata": {"next_cursor": cursor}}


def _conversations_list(w: FakeWorkspace, p: Body) -> Body:
    """The workspace's channels of the asked ``types`` (public_channel by default, as Slack), paged by ``limit``
    and ``cursor``; archived ones left out with ``exclude_archived``."""
    types = set(str(p.get("types") or "public_channel").split(","))
    wanted = [c for c in w.channels.values()
              if ("private_channel" if c["is_private"] else "public_channel") in types
              and not (c["is_archived"] and _truthy(p.get("exclude_archived")))
              and not (c["is_private"] and not c["is_member"])]  # a private channel is seen only from inside
    start, limit = int(p.get("cursor") or 0), max(1, min(int(p.get("limit") or 100), 1000))
    page = [{**c, "is_channel": not c["is_private"], "is_group": c["is_private"]} for c in wanted[start:start + limit]]
    more = start + limit < len(wanted)
    return {"channels": page, "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


def _usergroups_list(w: FakeWorkspace, p: Body) -> Body:
    groups = []
    for gid, users in w.usergroups.items():
        handle = w.usergroup_handles.get(gid, gid.lower())
        groups.append({"id": gid, "team_id": ws.TEAM_ID, "is_usergroup": True, "name": handle.replace("-", " "),
                       "handle": handle, "date_delete": 0, "user_count": len(users),
                       **({"users": list(users)} if _truthy(p.get("include_users")) else {})})
    return {"usergroups": groups}


def _usergroups_users_list(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "usergroup", error="no_such_subteam")
    if p["usergroup"] not in w.usergroups:
        raise SlackError("no_such_subteam")
    return {"users": list(w.usergroups[p["usergroup"]])}


def _users_info(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "user", error="user_not_found")
    uid = p["user"]
    name = uid.lower()
    default = {"id": uid, "team_id": ws.TEAM_ID, "name": name, "real_name": name.title(), "deleted": False,
               "is_bot": uid == ws.BOT_USER_ID, "tz": "UTC", "tz_offset": 0, "locale": "en-US",
               "profile": {"real_name": name.title(), "display_name": name, "email": f"{name}@example.com"}}
    return {"user": {**default, **w.users.get(uid, {})}}


def _users_lookup_by_email(w: FakeWorkspace, p: Body) -> Body:
    """Users registered in ``w.users`` by profile e-mail; unregistered ids answer to ``<id lowercased>@example.com``
    (the e-mail users.info reports for them)."""
    _require(p, "email", error="users_not_found")
    email = str(p["email"]).lower()
    for uid, user in w.users.items():
        if ((user.get("profile") or {}).get("email") or "").lower() == email:
            return _users_info(w, {"user": uid})
    local, _, domain = email.partition("@")
    if domain == "example.com" and local[:1] in ("u", "w") and local.isalnum() and local.upper() not in w.users:
        return _users_info(w, {"user": local.upper()})
    raise SlackError("users_not_found")


def _get_upload_url(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "filename", "length")
    try:
        length = int(p["length"])
    except (TypeError, ValueError):
        raise SlackError("invalid_arguments") from None
    if length <= 0:
        raise SlackError("invalid_length")
    file_id = w._next_id("F")
    w.uploads[file_id] = {"id": file_id, "filename": p["filename"], "length": length, "data": None,
                          "alt_txt": p.get("alt_txt")}
    return {"upload_url": f"{w.root_url()}/upload/{file_id}", "file_id": file_id}


def _complete_upload(w: FakeWorkspace, p: Body) -> Body:
    _require(p, "files")
    done = []
    for entry in p["files"]:
        pending = w.uploads.get(entry.get("id"))
        if pending is None or pending["data"] is None:
            raise SlackError("file_not_found")
        pending["title"] = entry.get("title") or pending["filename"]
        done.append({"id": pending["id"], "name": pending["filename"], "title": pending["title"],
                     "size": pending["length"], "alt_txt": pending.get("alt_txt"), "user": ws.BOT_USER_ID,
                     "permalink": f"https://{ws.TEAM_DOMAIN}.slack.com/files/{ws.BOT_USER_ID}/{pending['id']}"})
    channel = p.get("channel_id") or (p.get("channels") or "").split(",")[0]
    if channel:
        _by_id({"channel": channel})
        message = {"type": "message", "ts": w._next_ts(), "channel": channel, "text": p.get("initial_comment", ""),
                   "user": ws.BOT_USER_ID, "bot_id": ws.BOT_ID, "files": done}
        if p.get("thread_ts"):
            message["thread_ts"] = p["thread_ts"]
        w.messages[channel].append(message)
    return {"files": done}


def _connections_open(w: FakeWorkspace, p: Body) -> Body:
    return {"url": w.ws_url()}


METHODS: dict[str, Callable[[FakeWorkspace, Body], Body]] = {
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "chat.update": _update,
    "chat.postEphemeral": _post_ephemeral,
    "chat.getPermalink": _permalink,
    "views.open": _views_open,
    "views.publish": _views_publish,
    "views.update": _views_update,
    "reactions.add": lambda w, p: _reaction(w, p, add=True),
    "reactions.remove": lambda w, p: _reaction(w, p, add=False),
    "conversations.info": _conversations_info,
    "conversations.history": _conversations_history,
    "conversations.replies": _conversations_replies,
    "conversations.open": _conversations_open,
    "conversations.members": _conversations_members,
    "conversations.list": _conversations_list,
    "usergroups.list": _usergroups_list,
    "usergroups.users.list": _usergroups_users_list,
    "users.info": _users_info,
    "users.lookupByEmail": _users_lookup_by_email,
    "files.getUploadURLExternal": _get_upload_url,
    "files.completeUploadExternal": _complete_upload,
    "apps.connections.open": _connections_open,
}
