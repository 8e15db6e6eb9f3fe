"""The optional LLM interpreter against a fake OpenAI-compatible endpoint on 127.0.0.1.

Every hostile or broken reply must fall back to the deterministic interpretation.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import FakeEmbedder
from metricloop.adapters.llm import LLMInterpreter
from metricloop.adapters.value_index import StaticValueIndex
from metricloop.core.understand.interpreter import Understander

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 27)
GOOD = {"kind": "query", "query": {"metrics": ["revenue"], "group_by": ["order__region"],
                                   "time_range": {"start": "2026-10-01", "end": "2026-10-31"},
                                   "where": [{"dimension": "order__channel", "op": "=", "values": ["web"]}]}}


class FakeLLM(BaseHTTPRequestHandler):
    reply: object = GOOD
    status = 200
    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLLM.requests.append(body)
        content = FakeLLM.reply if isinstance(FakeLLM.reply, str) else json.dumps(FakeLLM.reply)
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(FakeLLM.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def server():
    srv = HTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


@pytest.fixture(scope="module")
def llm(server):
    catalog = load_catalog(ROOT / "catalog")
    understander = Understander(catalog, FakeEmbedder(), StaticValueIndex.from_catalog(catalog))
    return LLMInterpreter(understander, server, "fake-model", api_key="k")


def test_a_valid_reply_is_used_and_the_prompt_carries_candidates(llm):
    FakeLLM.reply, FakeLLM.status, FakeLLM.requests[:] = GOOD, 200, []
    got = llm.interpret("web revenue by region last month", today=TODAY)
    assert got.kind == "query"
    assert got.query.metrics == ("revenue",) and got.query.dimensions == ("order__region",)
    assert got.query.where[0].values == ("web",)
    sent = FakeLLM.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    prompt = sent["messages"][0]["content"]
    assert "- revenue: Revenue" in prompt and "order__region" in prompt and "2026-11-27" in prompt


HOSTILE = [
    ("unknown metric", {"kind": "query", "query": {"metrics": ["employee_salaries"]}}),
    ("sql in a value", {"kind": "query", "query": {"metrics": ["revenue"], "where": [
        {"dimension": "order__channel", "op": "=", "values": ["web'; DROP TABLE orders; --"]}]}}),
    ("value not in the index", {"kind": "query", "query": {"metrics": ["revenue"], "where": [
        {"dimension": "order__region", "op": "=", "values": ["Atlantis"]}]}}),
    ("extra field", {"kind": "query", "query": {"metrics": ["revenue"], "sql": "SELECT 1"}}),
    ("nested extra field", {"kind": "query", "query": {"metrics": ["revenue"], "order_by": [
        {"field": "revenue", "descending": True, "raw": "1; DROP"}]}}),
    ("huge limit", {"kind": "query", "query": {"metrics": ["revenue"], "group_by": ["order__region"], "limit": 10**9}}),
    ("unreachable dimension", {"kind": "query", "query": {"metrics": ["revenue"], "group_by": ["batch__plant"]}}),
    ("bad operator", {"kind": "query", "query": {"metrics": ["revenue"], "where": [
        {"dimension": "order__region", "op": "OR 1=1", "values": ["East"]}]}}),
    ("order by an unknown field", {"kind": "query", "query": {"metrics": ["revenue"], "order_by": [{"field": "x"}]}}),
    ("absurd dates", {"kind": "query", "query": {"metrics": ["revenue"],
                                                 "time_range": {"start": "0001-01-01", "end": "9999-12-31"}}}),
    ("not json", "Sure! Here is your SQL: SELECT * FROM orders"),
    ("a list", [1, 2, 3]),
]


@pytest.mark.parametrize("name,reply", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_or_invalid_replies_fall_back(llm, name, reply):
    FakeLLM.reply, FakeLLM.status = reply, 200
    before = llm.fallbacks
    got = llm.interpret("orders by channel last week", today=TODAY)
    assert got.kind == "query" and got.query.metrics == ("orders",), name  # the deterministic reading
    assert got.query.dimensions == ("order__channel",)
    assert llm.fallbacks == before + 1


def test_server_errors_fall_back(llm):
    FakeLLM.reply, FakeLLM.status = GOOD, 500
    got = llm.interpret("orders by channel last week", today=TODAY)
    assert got.query.metrics == ("orders",)
    FakeLLM.status = 200


def test_a_declining_model_keeps_the_deterministic_refusal(llm):
    FakeLLM.reply = {"kind": "no_match"}
    plain = llm.understander.interpret("revenue by region", today=TODAY)
    assert llm.interpret("revenue by region", today=TODAY) == plain
    FakeLLM.reply = {"kind": "query", "query": {"metrics": ["revenue"]}}
    got = llm.interpret("list all orders with their customers", today=TODAY)
    assert got.kind == "unsupported"  # row listings never reach the model
