"""The store's dialect layer: the SQLite store's SQL run unchanged on PostgreSQL.

The store methods (adapters/store*.py) are written once, in the subset of SQL both databases share, with
SQLite's spellings for the few things they spell differently. ``to_postgres`` rewrites those spellings:

- placeholders: ``?`` → ``%s`` and numbered ``?1`` → ``%(p1)s`` (the parameters become a dict); a literal
  ``%`` is doubled, as psycopg requires;
- ``INSERT OR IGNORE INTO …`` → ``INSERT INTO … ON CONFLICT DO NOTHING`` (both skip a row that breaks a
  unique key, and report rowcount 0);
- ``user``, a reserved word in PostgreSQL and a column name here, is quoted (``"user"`` means the same
  column in SQLite);
- an INSERT into a table with an ``id`` column gets ``RETURNING id``, which ``PgCursor.lastrowid`` reads
  (psycopg has no lastrowid).

String literals are left alone. ``PgConnection`` gives the store a connection that looks like the sqlite3
one it already uses (``execute`` returning a cursor with ``rowcount``, ``lastrowid``, ``fetchone``,
``fetchall``; rows read by name or position, ``dict(row)`` works). Parameters are bound on the client side
(psycopg's ClientCursor), as sqlite3 binds them: ``?1 IS NULL`` needs no type the server would have to guess.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

# tables whose rows are numbered by the database (INTEGER PRIMARY KEY AUTOINCREMENT / identity)
ID_TABLES = frozenset({"alerts", "acknowledgements", "actions", "adjustments", "catalog_versions", "audit_log",
                       "comments", "definition_versions"})
_STRING = re.compile(r"('(?:[^']|'')*')")
_NUMBERED = re.compile(r"\?(\d+)")
_RESERVED = re.compile(r'(?<![\w."])user(?![\w"])')
_INSERT = re.compile(r"^\s*INSERT\s+(OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)", re.IGNORECASE)


def is_postgres_url(location: object) -> bool:
    """True for ``postgresql://…`` / ``postgres://…`` (a store URL rather than an SQLite file path)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> tuple[str, bool, bool]:
    """PostgreSQL text for one SQLite-flavoured statement: (sql, numbered parameters?, returns an id?)."""
    insert = _INSERT.match(sql)
    if insert and (insert.group(2) or "").upper() == "REPLACE":
        raise ValueError("INSERT OR REPLACE has no portable form: write INSERT … ON CONFLICT(…) DO UPDATE")
    parts = _STRING.split(sql.replace("%", "%%"))
    numbered = any(_NUMBERED.search(p) for p in parts[::2])
    for i in range(0, len(parts), 2):  # even parts are outside string literals
        text = _RESERVED.sub('"user"', parts[i])
        text = _NUMBERED.sub(r"%(p\1)s", text) if numbered else text.replace("?", "%s")
        parts[i] = text
    out = "".join(parts)
    returning = False
    if insert:
        out = _INSERT.sub(f"INSERT INTO {insert.group(3)}", out, count=1)
        if insert.group(1):
            out += " ON CONFLICT DO NOTHING"
        if insert.group(3) in ID_TABLES:
            out += " RETURNING id"
            returning = True
    return out, numbered, returning


def bind(params: Sequence[Any], numbered: bool) -> Sequence[Any] | dict[str, Any]:
    """The parameters as psycopg takes them for a statement from ``to_postgres``."""
    return {f"p{i}": v for i, v in enumerate(params, start=1)} if numbered else tuple(params)


class PgRow:
    """A result row read like sqlite3.Row: by position, by column name, and as a mapping (``dict(row)``)."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values, self._index = values, index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[key] if isinstance(key, int) else self._values[self._index[key]]

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def pg_row_factory(cursor: Any) -> Any:
    """psycopg row factory building ``PgRow``s."""
    index = {c.name: i for i, c in enumerate(cursor.description or ())}
    return lambda values: PgRow(values, index)


class PgCursor:
    """The result of ``PgConnection.execute``, shaped like a sqlite3 cursor."""

    def __init__(self, cursor: Any, returning: bool) -> None:
        self._cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid = None
        if returning:
            row = cursor.fetchone()
            self.lastrowid = None if row is None else row[0]

    def fetchone(self) -> PgRow | None:
        """The next row, or None."""
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[PgRow]:
        """The remaining rows."""
        return self._cursor.fetchall() if self._cursor.description else []


class PgConnection:
    """A psycopg connection that runs the store's SQLite-flavoured statements (see the module docstring)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        """Run one statement after ``to_postgres``."""
        text, numbered, returning = to_postgres(sql)
        cursor = self.raw.cursor()
        cursor.execute(text, bind(params, numbered))  # always bound: `%%` must become `%`
        return PgCursor(cursor, returning)
