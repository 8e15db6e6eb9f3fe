"""`metricloop catalog teach | words | forget` on the demo catalog and a small demo warehouse: a word taught from
the terminal is stored, listed, used by the next `metricloop ask` (a new process reads it from the store), and
forgotten again; a phrase another metric has is refused with a non-zero exit; `catalog gaps` lists the words
unanswered questions (the audit trail) could not place."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.store_governance import AuditRecord
from metricloop.chat import run_chat
from metricloop.cli import app
from metricloop.core.present.texts import say
from metricloop.demo.build import build_demo
from metricloop.settings import load_settings

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
    assert [(w["phrase"], w["kind"], w["target"]) for w in listed] == [("落槌额", "metric", "revenue")]
    answer = ask(QUESTION)
    assert answer["status"] == "answered" and answer["metrics"] == ["revenue"]
    assert answer["query"]["time_range"] == {"start": "2026-10-01", "end": "2026-10-31"}

    refused = runner.invoke(app, ["catalog", "teach", "orders", "revenue"])
    assert refused.exit_code == 1 and "“orders” already asks for Orders" in refused.output

    forgot = runner.invoke(app, ["catalog", "forget", "落槌额"])
    assert forgot.exit_code == 0 and "不再指 Revenue" in forgot.stdout
    assert ask(QUESTION)["status"] != "answered"
    assert "No words taught yet" in runner.invoke(app, ["catalog", "words"]).stdout


def test_gaps_list_the_words_unanswered_questions_could_not_place(env, tmp_path):
    store = SQLiteStore(tmp_path / "store.sqlite")
    no_match = say("no_metric", "zh", text="的落槌额")
    store.write_audit([AuditRecord(who=who, what="question", at=f"2026-12-0{day}T09:00:00+00:00", source=f"s{day}",
                                   detail={"text": QUESTION, "status": "no_match", "message": no_match})
                       for day, who in ((1, "U1"), (2, "U2"), (3, "U2"))])
    store.close()
    listed = json.loads(runner.invoke(app, ["catalog", "gaps", "--json"]).stdout)
    assert listed == [{"phrase": "落槌额", "kind": "metric", "asked": 3, "people": 2,
                       "last_at": "2026-12-03T09:00:00+00:00", "example": QUESTION}]
    shown = runner.invoke(app, ["catalog", "gaps"]).stdout
    assert f"“落槌额” — asked 3 time(s) by 2 people, last 2026-12-03 — e.g. “{QUESTION}”" in shown
    assert "metricloop catalog teach <words> <metric>" in shown
    assert json.loads(runner.invoke(app, ["catalog", "gaps", "--json", "--since", "2026-12-04"]).stdout) == []


def test_the_terminal_chat_teaches_a_word_and_the_next_question_uses_it(env, tmp_path):
    console = Console(record=True, width=160)
    lines = f"{QUESTION}\n/teach 落槌额 = Revenue\n{QUESTION}\n/words\n/forget 落槌额\n{QUESTION}\n/quit\n"
    run_chat(load_settings(chart_dir=tmp_path / "charts"), stdin=io.StringIO(lines), console=console,
             today=dt.date(2026, 11, 27))
    text = console.export_text()
    assert "已记住：“落槌额”现在指 Revenue" in text and "• “落槌额” → Revenue (taught by operator" in text
    first, taught, forgotten = text.split("? 上个月的落槌额")[1:4]
    answered = "销售额，2026年10月"  # the demo's Chinese label of Revenue, and the month asked about
    assert answered not in first and answered in taught and answered not in forgotten
