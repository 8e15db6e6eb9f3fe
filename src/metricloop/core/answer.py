"""The shapes results travel in, from compiler and engine to CLI, Slack and charts. Pure."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from metricloop.core.query import MetricQuery

ColumnRole = Literal["time", "dimension", "metric", "previous", "change"]
Status = Literal["answered", "clarify", "no_match", "denied", "error"]


class Column(BaseModel):
    """One output column. `name` is the SQL alias; `label` is for people."""

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    role: ColumnRole
    metric: str | None = None  # for metric/previous/change columns: which metric
    type: Literal["date", "string", "number", "boolean"] = "string"


class CompiledQuery(BaseModel):
    """SQL for one MetricQuery in one dialect, plus what its columns mean."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    query: MetricQuery
    dialect: str
    sql: str
    columns: tuple[Column, ...]
    expression: Any = Field(default=None, exclude=True, repr=False)  # the sqlglot expression


class ResultTable(BaseModel):
    """Typed rows from the engine: dates as ISO strings, decimals as floats."""

    model_config = ConfigDict(frozen=True)

    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool = False
    elapsed_ms: float = 0.0


class Option(BaseModel):
    """A candidate offered when clarifying ("Did you mean ...")."""

    model_config = ConfigDict(frozen=True)

    metric: str
    label: str
    score: float | None = None


class PartialData(BaseModel):
    """The answer's period reaches days whose data has not (fully) arrived (see service.note_freshness)."""

    model_config = ConfigDict(frozen=True)

    incomplete_from: dt.date  # the first day whose data is missing or may still be partial
    note: str  # the sentence saying so, in the answer's language (also in Answer.message)
    nothing_in: bool = False  # no day asked about has arrived: a number shown (a day spine's 0) counts nothing


class Answer(BaseModel):
    """What `ask`/`query` return and every front end renders (the --json contract)."""

    status: Status
    interpretation: str | None = None
    metrics: list[str] = Field(default_factory=list)
    query: MetricQuery | None = None
    sql: str | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[list[Any]] = Field(default_factory=list)
    truncated: bool = False
    elapsed_ms: float = 0.0
    message: str | None = None
    options: list[Option] = Field(default_factory=list)
    language: Literal["en", "zh"] = "en"
    definitions: dict[str, str] = Field(default_factory=dict)  # metric -> hash of the definition that answered
    partial_data: PartialData | None = None  # latest days missing or partial: summaries never read them as a drop
    target_note: str | None = None  # "revenue vs target": the answer against its target (also in `message`)

    def to_json_dict(self) -> dict[str, Any]:
        """The documented JSON object: columns as their names, rows as lists."""
        return {
            "status": self.status,
            "interpretation": self.interpretation,
            "metrics": self.metrics,
            "query": self.query.model_dump(mode="json") if self.query else None,
            "sql": self.sql,
            "columns": [c.name for c in self.columns],
            "rows": self.rows,
            "truncated": self.truncated,
            "elapsed_ms": round(self.elapsed_ms, 2),
            "message": self.message,
            "options": [o.model_dump() for o in self.options],
            "definitions": self.definitions,
        }
