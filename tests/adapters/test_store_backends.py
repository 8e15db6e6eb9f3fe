"""The two store backends are kept in step: after every migration the SQLite and PostgreSQL schemas have the
same tables, columns, types, nullability, keys and unique indexes; and the dialect layer's rewrites."""
from __future__ import annotations

import sqlite3

import psycopg
import pytest

from fakes.store_backends import postgres_schema_url
from metricloop.adapters.store_dialect import bind, to_postgres
from metricloop.adapters.store_schema import MIGRATIONS
from metricloop.adapters.store_schema_postgres import POSTGRES_MIGRATIONS

# declared types, normalised: SQLite's affinity names and PostgreSQL's data_type for the same values
TYPES = {"TEXT": "text", "text": "text", "INTEGER": "integer", "integer": "integer", "bigint": "integer",
         "REAL": "real", "double precision": "real"}
BOOKKEEPING = {"sqlite_sequence", "schema_migrations"}


def sqlite_schema(con: sqlite3.Connection) -> dict:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = {}
    for table in sorted(set(tables) - BOOKKEEPING):
        info = con.execute(f"PRAGMA table_info({table})").fetchall()
        columns = {name: (TYPES[type_], bool(notnull or pk)) for _, name, type_, notnull, _, pk in info}
        primary = tuple(name for *_, name, _, _, _, pk in sorted(info, key=lambda r: r[5]) if pk)
        uniques = set()
        for _, index, unique, origin, _ in con.execute(f"PRAGMA index_list({table})"):
            if unique and origin != "pk":
                uniques.add(tuple(r[2] for r in con.execute(f"PRAGMA index_info({index})")))
        out[table] = {"columns": columns, "primary": primary, "unique": uniques}
    return out


def postgres_schema(con: psycopg.Connection) -> dict:
    out = {}
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = current_schema()")]
    for table in sorted(set(tables) - BOOKKEEPING):
        columns = {name: (TYPES[type_], nullable == "NO") for name, type_, nullable in con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s", (table,))}
        primary, uniques = (), set()
        for is_primary, names in con.execute(
                "SELECT i.indisprimary, array_agg(a.attname ORDER BY k.n) FROM pg_index i "
                "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE i.indrelid = (current_schema() || '.' || %s)::regclass AND i.indisunique "
                "GROUP BY i.indexrelid, i.indisprimary", (table,)):
            if is_primary:
                primary = tuple(names)
            else:
                uniques.add(tuple(names))
        out[table] = {"columns": columns, "primary": primary, "unique": uniques}
    return out


@pytest.mark.parametrize("version", range(1, len(MIGRATIONS) + 1))
def test_both_backends_reach_the_same_schema_at_every_version(postgres_server, version):
    assert len(POSTGRES_MIGRATIONS) == len(MIGRATIONS)  # a migration added to one list is added to the other
    lite = sqlite3.connect(":memory:")
    for script in MIGRATIONS[:version]:
        lite.executescript(script)
    with psycopg.connect(postgres_schema_url(postgres_server.url), autocommit=True) as pg:
        for script in POSTGRES_MIGRATIONS[:version]:
            pg.execute(script)
        expected, got = sqlite_schema(lite), postgres_schema(pg)
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], table


REWRITES = [
    # (SQLite-flavoured statement, PostgreSQL statement, numbered parameters, RETURNING id)
    ("SELECT * FROM inbox WHERE key = ?", "SELECT * FROM inbox WHERE key = %s", False, False),
    ("SELECT * FROM t WHERE (?1 IS NULL OR m = ?1) LIMIT ?2",
     "SELECT * FROM t WHERE (%(p1)s IS NULL OR m = %(p1)s) LIMIT %(p2)s", True, False),
    ("INSERT OR IGNORE INTO seen_events(key, seen_at) VALUES (?, ?)",
     "INSERT INTO seen_events(key, seen_at) VALUES (%s, %s) ON CONFLICT DO NOTHING", False, False),
    ("INSERT OR IGNORE INTO actions(alert_id) VALUES (?)",
     "INSERT INTO actions(alert_id) VALUES (%s) ON CONFLICT DO NOTHING RETURNING id", False, True),
    ("INSERT INTO acknowledgements(alert_id, user, note) VALUES (?, ?, ?)",
     'INSERT INTO acknowledgements(alert_id, "user", note) VALUES (%s, %s, %s) RETURNING id', False, True),
    # string literals are left alone: the word user and a question mark inside quotes are data
    ("SELECT metric FROM follows WHERE kind='user' AND note = 'why?' AND subject=?",
     "SELECT metric FROM follows WHERE kind='user' AND note = 'why?' AND subject=%s", False, False),
    ("SELECT * FROM t WHERE a LIKE '50%' AND b = ?", "SELECT * FROM t WHERE a LIKE '50%%' AND b = %s", False, False),
    ("UPDATE inbox SET worker = ? WHERE key = ?", "UPDATE inbox SET worker = %s WHERE key = %s", False, False),
]


@pytest.mark.parametrize(("sql", "expected", "numbered", "returning"), REWRITES)
def test_dialect_rewrites(sql, expected, numbered, returning):
    assert to_postgres(sql) == (expected, numbered, returning)


def test_numbered_parameters_become_a_dict_and_replace_is_refused():
    assert bind(("a", None), True) == {"p1": "a", "p2": None}
    assert bind(["a"], False) == ("a",)
    with pytest.raises(ValueError, match="INSERT OR REPLACE"):
        to_postgres("INSERT OR REPLACE INTO digests_sent(target) VALUES (?)")
