"""Clear messages for bad settings: one line naming the variable (or flag) and the values it accepts.

pydantic's own report is a multi-line dump with links; a person who typed METRICLOOP_QUERY_TIMEOUT_S=abc
needs "METRICLOOP_QUERY_TIMEOUT_S='abc' is not valid: give a number of seconds greater than 0 (e.g. 30)."
"""
from __future__ import annotations

from metricloop.errors import UserError

# field → what it accepts, said for a person
ACCEPTS = {
    "query_timeout_s": "a number of seconds greater than 0 (e.g. 30)",
    "max_rows": "a whole number of rows, 1 or more (e.g. 10000)",
    "timezone": "an IANA time zone such as UTC, Europe/Berlin or Asia/Shanghai",
    "http_port": "a port number from 1 to 65535",
    "value_refresh_minutes": "a number of minutes, 0 for never",
    "slack_workers": "a whole number of threads, 1 or more",
    "max_question_chars": "a whole number of characters, 1 or more",
    "shutdown_grace_s": "a number of seconds, 0 or more",
    "embedding_runtime": "auto, numpy or torch",
}


def _where(field: str) -> str:
    return f"METRICLOOP_{field.upper()}"


def invalid_settings(exc: ValueError) -> UserError:
    """A pydantic ValidationError from Settings as one line per bad field (usually one)."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return UserError(f"Invalid setting: {exc}")
    lines = []
    for error in errors():
        field = str(error.get("loc", ("?",))[0])
        accepts = ACCEPTS.get(field) or error.get("msg", "a valid value")
        lines.append(f"{_where(field)}={error.get('input')!r} is not valid: give {accepts}.")
    return UserError(" ".join(dict.fromkeys(lines)))


def check_timezone(name: str) -> None:
    """Raise a clear UserError unless `name` is a time zone this machine knows."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"{_where('timezone')}={name!r} is not valid: give {ACCEPTS['timezone']}.") from None


def check_positive_int(value: int | None, flag: str) -> None:
    """A count flag (`--limit`) must be 1 or more."""
    if value is not None and value < 1:
        raise UserError(f"{flag} {value} is not valid: give a whole number of rows, 1 or more (or leave it out).")
