"""`metricloop catalog teach | words | forget` on the demo catalog and a small demo warehouse: a word taught from
the terminal is stored, listed, used by the next `metricloop ask` (a new process reads it from the store), and
forgotten again; a phrase another metric has is refused with a non-zero exit."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from metricloop.cli import app
from metricloop.demo.build import build_demo

runner = CliRunner()
QUESTION = "上个月的落槌额"


@pytest.fixture
def env(tmp_path, monkeypatch) -> None:
    warehouse = tmp_path / "demo.duckdb"
    build_demo(warehouse, end=dt.date(2026, 11, 26), scale=0.02)
    monkeypatch.setenv("METRICLOOP_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("METRICLOOP_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("METRICLOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("METRICLOOP_EMBEDDING_MODEL", "none")


def ask(question: str) -> dict:
    return json.loads(runner.invoke(app, ["ask", question, "--json", "--today", "2026-11-27"]).stdout)


def test_a_word_taught_in_the_terminal_is_used_by_the_next_ask_and_can_be_forgotten(env):
    assert ask(QUESTION)["status"] != "answered"
    taught = runner.invoke(app, ["catalog", "teach", "落槌额", "Revenue"])
    assert taught.exit_code == 0 and "“落槌额”现在指 Revenue" in taught.stdout
    listed = json.loads(runner.invoke(app, ["catalog", "words", "--json"]).stdout)
    assert [(w["phrase"], w["metric"]) for w in listed] == [("落槌额", "revenue")]
    answer = ask(QUESTION)
    assert answer["status"] == "answered" and answer["metrics"] == ["revenue"]
    assert answer["query"]["time_range"] == {"start": "2026-10-01", "end": "2026-10-31"}

    refused = runner.invoke(app, ["catalog", "teach", "orders", "revenue"])
    assert refused.exit_code == 1 and "“orders” already asks for Orders" in refused.output

    forgot = runner.invoke(app, ["catalog", "forget", "落槌额"])
    assert forgot.exit_code == 0 and "不再指 Revenue" in forgot.stdout
    assert ask(QUESTION)["status"] != "answered"
    assert "No words taught yet" in runner.invoke(app, ["catalog", "words"]).stdout
