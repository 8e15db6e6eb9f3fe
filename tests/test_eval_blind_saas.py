"""The blind SaaS question set (issue 9: tests/fixtures/blind_saas) is a sound fixture: its warehouse builds, every
gold SQL runs and returns the rows recorded in gold.yaml, the English-only catalog passes `metricloop catalog check`
against that warehouse, and every question names metrics and dimensions the catalog has.

Only the fixture is checked here, never the interpreter's accuracy on it: the set stays blind until it is measured.
"""
from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import duckdb
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from metricloop.cli import app
from metricloop.core.text import has_cjk
from metricloop.core.understand.evaluate import parse_cases
from test_generality import build_warehouse

HERE = Path(__file__).resolve().parent / "fixtures" / "blind_saas"
_yaml = YAML(typ="safe")
QUESTIONS = _yaml.load((HERE / "questions.yaml").read_text(encoding="utf-8"))
GOLD = _yaml.load((HERE / "gold.yaml").read_text(encoding="utf-8"))["questions"]
ANSWERABLE = [q for q in QUESTIONS["questions"] if "metrics" in q["expect"]]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse("blind_saas", tmp_path_factory.mktemp("blind_saas") / "saas.duckdb")


def _catalog_names() -> tuple[set[str], set[str]]:
    """The catalog's metric names and its `entity__dimension` names (reached through each model's primary entity)."""
    metrics, dimensions = set(), set()
    for path in (HERE / "catalog").glob("*.yml"):
        doc = _yaml.load(path.read_text(encoding="utf-8"))
        metrics |= {m["name"] for m in doc.get("metrics", [])}
        for model in doc.get("semantic_models", []):
            primary = next(e["name"] for e in model["entities"] if e["type"] == "primary")
            dimensions |= {f"{primary}__{d['name']}" for d in model.get("dimensions", [])}
    return metrics, dimensions


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[list]:
    """The rows of `sql` as gold.yaml records them: numbers rounded to 4 decimals, dates as ISO strings."""
    def norm(v):
        if isinstance(v, decimal.Decimal | float):
            return round(float(v), 4)
        return v.isoformat() if isinstance(v, dt.date) else v
    return [[norm(v) for v in row] for row in con.execute(sql).fetchall()]


def test_the_set_is_big_enough_and_parses():
    cases = parse_cases(QUESTIONS)
    chinese = [c for c in QUESTIONS["questions"] if has_cjk(c["q"])]
    unanswerable = [c for c in QUESTIONS["questions"] if "metrics" not in c["expect"]]
    assert len(cases) == len(QUESTIONS["questions"]) >= 70
    assert len(chinese) >= 25 and len(unanswerable) >= 10
    assert len({c["q"] for c in QUESTIONS["questions"]}) == len(QUESTIONS["questions"]), "a question is repeated"


def test_every_answerable_question_has_one_gold_entry():
    assert [g["q"] for g in GOLD] == [q["q"] for q in ANSWERABLE]


def test_every_question_names_what_the_catalog_has():
    metrics, dimensions = _catalog_names()
    for case in ANSWERABLE:
        expect = case["expect"]
        assert set(expect["metrics"]) <= metrics, case["q"]
        named = list(expect.get("group_by") or []) + [w[0] for w in expect.get("where") or []]
        assert set(named) <= dimensions, case["q"]
        assert {field for field, _ in expect.get("order") or []} <= set(expect["metrics"]), case["q"]


def test_the_catalog_is_english_only_and_untuned():
    texts = [p.read_text(encoding="utf-8") for p in (HERE / "catalog").glob("*.yml")]
    assert len(texts) >= 4 and not any(has_cjk(t) for t in texts)
    assert sum(t.count("synonyms:") for t in texts) <= 2
    assert len(_catalog_names()[0]) >= 15


@pytest.mark.parametrize("gold", GOLD, ids=[g["q"] for g in GOLD])
def test_gold_sql_returns_the_recorded_rows(warehouse, gold):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = _rows(con, gold["sql"])
    finally:
        con.close()
    assert rows, gold["q"]
    assert len(rows) == len(gold["result"]) and all(map(_same_row, rows, gold["result"])), (rows, gold["result"])


def _same_row(got: list, want: list) -> bool:
    """Equal rows; numbers within rounding (a parallel DOUBLE sum may differ in its last digits between runs)."""
    return len(got) == len(want) and all(
        abs(g - w) <= 1e-3 if isinstance(g, int | float) and isinstance(w, int | float) else g == w
        for g, w in zip(got, want, strict=True))


def test_the_catalog_passes_catalog_check(warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    result = CliRunner().invoke(app, ["catalog", "check", "--catalog", str(HERE / "catalog"),
                                      "--warehouse", str(warehouse), "--no-record"])
    assert result.exit_code == 0, result.output
    assert "catalog OK" in result.output
