"""Two kinds of error: a UserError becomes a helpful reply; anything else is logged with an id."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

log = logging.getLogger("metricloop")


class UserError(Exception):
    """A problem the person asking can fix; its message is shown to them as is.

    ``suggestions`` are alternatives worth offering ("did you mean"), ``sql`` the compiled
    statement when the failure happened while running one (e.g. a timeout).
    """

    def __init__(self, message: str, *, suggestions: list[str] | None = None, sql: str | None = None):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions or [])
        self.sql = sql


class QueryTimeout(UserError):  # noqa: N818 - a kind of UserError, named for what happened (public name)
    """The warehouse did not answer within the configured time limit."""


@dataclass(frozen=True)
class CatalogProblem:
    """One validation finding, located at a file, line and field path."""

    file: str
    line: int | None
    field: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where} {self.field}: {self.message}"
        if self.suggestion:
            text += f" — did you mean '{self.suggestion}'?"
        return text


@dataclass
class CatalogError(UserError):
    """Raised when a catalog has problems; carries every problem found, not just the first."""

    problems: list[CatalogProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        lines = [str(p) for p in self.problems]
        head = f"The catalog has {len(lines)} problem{'s' if len(lines) != 1 else ''}:"
        UserError.__init__(self, "\n".join([head, *lines]))

    def __str__(self) -> str:
        return self.message


# called with each internal error's id (metricloop.observe counts them for /metrics); kept free of imports here
ERROR_LISTENERS: list = []


def log_internal_error(exc: BaseException, context: str = "") -> str:
    """Log an unexpected error with a short id the user can quote; return the id."""
    error_id = uuid.uuid4().hex[:8]
    log.error("internal error %s %s", error_id, context, exc_info=exc)
    for listener in ERROR_LISTENERS:
        listener(error_id)
    return error_id
