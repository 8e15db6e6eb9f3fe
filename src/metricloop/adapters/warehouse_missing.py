"""Recognise an engine's "no such column / table" error, whichever engine said it.

A catalog that names a column or table the warehouse lacks fails inside the engine (DuckDB's binder, a
PostgreSQL UndefinedColumn, Spark's UNRESOLVED_COLUMN, ...). The person asking cannot fix that, and the raw
engine text does not say what to do: the service turns a match into one sentence pointing to
`metricloop catalog check`, which lists every such disagreement.
"""
from __future__ import annotations

import re
from typing import Literal, NamedTuple

Kind = Literal["column", "table"]

# (kind, pattern with the name in group 1), per engine; matched against the adapter's message text
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple((kind, re.compile(p)) for kind, p in (
    # DuckDB
    ("column", r'Referenced column "([^"]+)" not found'),
    ("column", r'does not have a column named "([^"]+)"'),
    ("table", r'Table with name "?([^"\s!]+)"? does not exist'),
    ("table", r'Referenced table "([^"]+)" not found'),
    # PostgreSQL
    ("column", r'column "?([\w.]+)"? does not exist'),
    ("table", r'relation "([^"]+)" does not exist'),
    # Spark
    ("column", r"\[UNRESOLVED_COLUMN[^\]]*\][^`]*`([^`]+)`"),
    ("table", r"\[TABLE_OR_VIEW_NOT_FOUND\][^`]*`([^`]+)`"),
    # SQLite, Trino, Snowflake, BigQuery (the DB-API engines)
    ("column", r"no such column: ([\w.\"]+)"),
    ("table", r"no such table: ([\w.\"]+)"),
    ("column", r"Column '([^']+)' cannot be resolved"),
    ("table", r"Table '([^']+)' does not exist"),
    ("column", r"invalid identifier '([^']+)'"),
    ("table", r"Object '([^']+)' does not exist"),
    ("column", r"Unrecognized name: (\w+)"),
    ("table", r"Not found: Table ([\w.:-]+)"),
))


class MissingObject(NamedTuple):
    """A column or table the engine could not find, as it named it."""

    kind: Kind
    name: str


def missing_object(message: str) -> MissingObject | None:
    """The column or table an engine error says does not exist; None for any other error."""
    for kind, pattern in _PATTERNS:
        match = pattern.search(message)
        if match:
            return MissingObject(kind, match.group(1).strip('"`'))
    return None
