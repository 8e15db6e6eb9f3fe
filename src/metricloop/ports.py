"""The small interfaces the application consumes, each with one job (MetricFlow's `SqlClient` style).

The service, the Slack front end and the scheduler depend on these, never on a concrete adapter:
`DuckDBWarehouse` is a `Warehouse`; `SQLiteStore` is a `ThreadStore`, a `FollowStore`, a `LoopStore`
and an `AuditLog` at once; the deterministic `Understander` and the `LLMInterpreter` are both an
`Interpreter`; `clock.SystemClock` and `clock.FixedClock` are a `Clock`. Every one has a fake in tests.

Keep each protocol small: a consumer that needs one more method adds it to the protocol it uses
(or declares a new one next to it), so a fake only implements what its consumer calls.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # names for annotations only: adapters import this module, and it stays cheap to import
    from metricloop.adapters.store_schema import Acknowledgement, Adjustment, Alert, AuditEntry, CorrectiveAction
    from metricloop.core.answer import CompiledQuery, ResultTable
    from metricloop.core.query import MetricQuery
    from metricloop.core.understand.interpreter import Interpretation, ValueIndex

__all__ = ["AuditLog", "Clock", "FollowStore", "Interpreter", "LoopStore", "RefreshableIndex", "ThreadStore",
           "Warehouse"]


class Clock(Protocol):
    """The one notion of "now": relative periods ("last month"), scans and digests all read it."""

    def today(self) -> dt.date:
        """The calendar date in the configured timezone."""
        ...

    def now(self) -> dt.datetime:
        """The moment, timezone-aware, in the configured timezone."""
        ...


class Warehouse(Protocol):
    """Runs compiled SQL with a time limit and a row cap."""

    def run(self, compiled: CompiledQuery, *, timeout_s: float | None = None,
            max_rows: int | None = None) -> ResultTable: ...

    def run_sql(self, sql: str, *, timeout_s: float | None = None, max_rows: int | None = None) -> ResultTable: ...

    def table_columns(self, table: str) -> dict[str, str]: ...


class RefreshableIndex(Protocol):
    """A dimension-value index (core.understand's ValueIndex) that can re-read the warehouse."""

    def values(self) -> Mapping[Any, Sequence[str]]: ...
    def refresh(self) -> Mapping[Any, Sequence[str]]: ...


class Interpreter(Protocol):
    """Plain words (+ the thread's previous query) -> an Interpretation."""

    def interpret(self, text: str, *, today: dt.date | None = None, context: MetricQuery | None = None,
                  choose_metric: str | None = None) -> Interpretation: ...

    @property
    def value_index(self) -> ValueIndex | None:
        """The dimension-value index the interpreter recognises values from (None: none)."""
        ...

    def refresh_values(self) -> None:
        """Rebuild what depends on the value index after it was refreshed."""
        ...


class ThreadStore(Protocol):
    """Conversation state per Slack thread, and de-duplication of retried deliveries."""

    def claim_event(self, key: str) -> bool: ...
    def save_thread(self, channel: str, thread_ts: str, state: dict[str, Any]) -> None: ...
    def load_thread(self, channel: str, thread_ts: str) -> dict[str, Any] | None: ...


class FollowStore(Protocol):
    """Who (a person or a channel) follows which metric."""

    def follow(self, user: str, metric: str) -> bool: ...
    def unfollow(self, user: str, metric: str) -> bool: ...
    def follows(self, user: str) -> list[str]: ...
    def followers(self, metric: str) -> list[str]: ...
    def follow_channel(self, channel: str, metric: str) -> bool: ...
    def unfollow_channel(self, channel: str, metric: str) -> bool: ...
    def channel_follows(self, channel: str) -> list[str]: ...
    def following_channels(self, metric: str) -> list[str]: ...


class LoopStore(Protocol):
    """The loop's records: alerts, acknowledgements, corrective actions and adjustments."""

    def add_alert(self, metric: str, day: str | dt.date, direction: str, **values: Any) -> Alert: ...
    def get_alert(self, alert_id: int) -> Alert | None: ...
    def alerts(self, *, metric: str | None = None, status: str | None = None) -> list[Alert]: ...
    def set_alert_status(self, alert_id: int, status: str) -> Alert: ...
    def set_alert_message(self, alert_id: int, channel: str, ts: str) -> Alert: ...
    def acknowledge(self, alert_id: int, user: str, note: str = "") -> Acknowledgement: ...
    def acknowledgements(self, alert_id: int) -> list[Acknowledgement]: ...
    def add_action(self, alert_id: int, owner: str, due: str | dt.date, plan: str) -> CorrectiveAction: ...
    def update_action(self, action_id: int, *, status: str | None = None,
                      review_result: str | None = None) -> CorrectiveAction: ...
    def actions(self, *, alert_id: int | None = None, status: str | None = None,
                due_on_or_before: str | dt.date | None = None) -> list[CorrectiveAction]: ...
    def add_adjustment(self, metric: str, kind: str, payload: dict[str, Any], author: str) -> Adjustment: ...
    def adjustments(self, metric: str | None = None, kind: str | None = None) -> list[Adjustment]: ...


class AuditLog(Protocol):
    """Who did what, append-only."""

    def audit(self, who: str, what: str, detail: dict[str, Any] | None = None) -> AuditEntry: ...
    def audit_log(self, limit: int = 100) -> list[AuditEntry]: ...
