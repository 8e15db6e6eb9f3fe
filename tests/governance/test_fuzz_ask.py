"""Hostile questions through `service.ask` (issue 11, safe SQL under attack): 10,000 generated questions —
classic injection payloads, quotes, comments, semicolons, control characters, mixed scripts and inputs of up to
10 KB (the service refuses questions over 500 characters, so both sides of the cap are covered) — reach the
engine as nothing but single SELECTs, every one gets an answer with a status, and the warehouse file is
byte-identical afterwards.

Deterministic (a seeded generator) and fast: the interpreter runs without the sentence model, as
METRICLOOP_EMBEDDING_MODEL=none does (names, synonyms and dimension values only).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from tests.governance.policy_world import GOVERNED, build_warehouse

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.clock import FixedClock
from metricloop.core.understand.interpreter import Understander
from metricloop.service import MetricService

QUESTIONS = 10_000
SEED = 11
USERS = (None, "U0EAST", "U0CFO", "wen@example.com", "U0NOBODY")  # the operator, row-filtered and plain users

CLASSIC = [
    "'; DROP TABLE orders; --", "1; DELETE FROM orders", "' OR '1'='1", "\" OR \"\"=\"", "revenue' --",
    "revenue; DROP TABLE customers", "revenue /* comment */ by region", "revenue -- where 1=1",
    "orders UNION SELECT * FROM information_schema.tables", "revenue by region'); DELETE FROM orders; --",
    "revenue where region = 'East'; UPDATE orders SET order_total = 0", "ATTACH '/tmp/x.db' AS x",
    "COPY orders TO '/tmp/out.csv'", "INSTALL httpfs; LOAD httpfs", "PRAGMA database_list", "SET threads=1",
    "select * from read_csv('/etc/passwd')", "read_text('/etc/passwd')", "revenue by glob('/*')",
    "CREATE TABLE pwned AS SELECT 1", "INSERT INTO orders VALUES (1)", "revenue\x00; DROP TABLE orders",
    "revenue in East' OR 1=1 --", "revenue for region \"East\"\"; DROP", "orders by status`; DROP TABLE x`",
    "$$; DROP TABLE orders; $$", "revenue by {{region}}", "revenue ${jndi:ldap://x}", "%s%s%s%n",
    "收入 按 地区'; DROP TABLE orders; --", "上个月的收入 OR 1=1", "revenue\u202e by region", "ｒｅｖｅｎｕｅ",
    "revenue last month; CHECKPOINT", "EXPORT DATABASE '/tmp/x'", "orders where channel = 'online'--",
    "CALL pragma_version()", "revenue \\'; DROP TABLE orders; \\'", "DETACH DATABASE memory", "VACUUM",
]
WORDS = ["revenue", "orders", "sessions", "customers", "big revenue", "aov", "by", "region", "East", "West",
         "North", "segment", "enterprise", "smb", "channel", "online", "store", "status", "cancelled",
         "last month", "this year", "in 2025", "per week", "top 5", "compared to last year", "where", "and",
         "or", "not", "收入", "订单", "按地区", "上个月", "今年", "SELECT", "FROM", "DROP", "TABLE", "DELETE",
         "UPDATE", "INSERT", "UNION", "information_schema", "read_csv", "pg_catalog", "NULL", "1=1", "*"]
PUNCT = ["'", '"', "`", ";", "--", "/*", "*/", "\\", "%", "_", "(", ")", "||", "$$", "\n", "\t", "\r", "\x00",
         "\x07", "\x1b[31m", "\u200b", "\u202e", "\ufeff", "💥", "Ω", "ж", "ا", "한", "🙂", "\ud7ff"]


def hostile_questions(count: int, seed: int = SEED) -> list[str]:
    """`count` questions: the classic payloads, then seeded mixtures of words, punctuation, control characters
    and scripts, some padded past the 500-character cap up to 10 KB."""
    rng = random.Random(seed)
    out = list(CLASSIC)
    while len(out) < count:
        parts = [rng.choice(WORDS if rng.random() < 0.6 else PUNCT) for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.3:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(CLASSIC))
        if rng.random() < 0.1:
            parts.append("".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randint(1, 40))))
        text = rng.choice([" ", "", "\t"]).join(parts)
        if rng.random() < 0.03:  # long: near, at and far past the cap
            size = rng.choice([499, 500, 501, 2_000, 10_240])
            text = (text + " ") * (size // (len(text) + 1) + 1)
            text = text[:size]
        out.append(text)
    return out[:count]


class RecordingWarehouse:
    """The real warehouse, recording every SQL statement it is asked to run."""

    def __init__(self, inner: DuckDBWarehouse) -> None:
        self.inner, self.statements = inner, []

    def run(self, compiled, **kwargs):
        self.statements.append(compiled.sql)
        return self.inner.run(compiled, **kwargs)

    def run_sql(self, sql, **kwargs):
        self.statements.append(sql)
        return self.inner.run_sql(sql, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def only_select(sql: str) -> bool:
    """One statement, a SELECT (or a set operation of SELECTs), with no DDL/DML/command anywhere inside."""
    statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    if len(statements) != 1 or not isinstance(statements[0], (exp.Select, exp.SetOperation)):
        return False
    bad = (exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Create, exp.Alter, exp.Command, exp.Copy,
           exp.Pragma, exp.Set, exp.Attach, exp.Detach, exp.Use)
    return not any(statements[0].find_all(*bad))


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "warehouse.duckdb"
    build_warehouse(path).close()  # written once here; the test opens it read-only
    return path


def test_generator_is_deterministic_and_hostile():
    questions = hostile_questions(QUESTIONS)
    assert questions == hostile_questions(QUESTIONS) and len(set(questions)) > 9_000
    assert sum(len(q) > 500 for q in questions) > 100 and max(len(q) for q in questions) >= 10_240
    assert sum(any(c in q for c in ";'\"") for q in questions) > 3_000
    assert sum(any(ord(c) < 32 for c in q) for q in questions) > 1_000
    assert only_select("SELECT 1") and not only_select("SELECT 1; DROP TABLE t")  # the check can fail
    assert not only_select("DELETE FROM orders") and not only_select("COPY orders TO 'x.csv'")


def test_ten_thousand_hostile_questions(warehouse_file):
    before = hashlib.sha256(warehouse_file.read_bytes()).hexdigest()
    catalog = load_catalog(GOVERNED)
    warehouse = RecordingWarehouse(DuckDBWarehouse(str(warehouse_file), read_only=True, timeout_s=10,
                                                   max_rows=10_000))
    clock = FixedClock(dt.date(2026, 6, 15))
    service = MetricService(catalog=catalog, warehouse=warehouse, clock=clock, max_question_chars=500,
                            understander=Understander(catalog, None, build_value_index(catalog, warehouse),
                                                      today_fn=clock.today))
    statuses: Counter[str] = Counter()
    for i, question in enumerate(hostile_questions(QUESTIONS)):
        answer = service.ask(question, user=USERS[i % len(USERS)])  # raises: an unhandled exception fails here
        assert answer.status, f"no status for {question!r}"
        statuses[answer.status] += 1
    warehouse.inner.close()
    assert sum(statuses.values()) == QUESTIONS
    assert statuses["answered"] > 200, statuses  # enough questions reached the engine to mean something
    bad = [sql for sql in warehouse.statements if not only_select(sql)]
    assert not bad, bad[:3]
    assert len(warehouse.statements) > 200
    assert hashlib.sha256(warehouse_file.read_bytes()).hexdigest() == before
