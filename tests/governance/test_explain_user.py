"""`metricloop explain --user U [--json]` shows what that person would get (issue 11): each metric allowed or
denied (and the hidden metrics a denied one is built on), their row filters, and the SQL as they would see it
— none when denied. On the governed shop: cfo@example.com is in finance, U0EAST sees East rows only,
wen@example.com West online orders only, U0NEW nothing special; big_revenue is in the finance domain."""
from __future__ import annotations

import json

import pytest
from tests.governance.policy_world import GOVERNED, build_warehouse
from typer.testing import CliRunner

from metricloop.cli import app

runner = CliRunner()
EAST_ROWS = [{"dimension": "customer__region", "op": "in", "values": ["East"]}]
WEST_ONLINE = [{"dimension": "customer__region", "op": "in", "values": ["West"]},
               {"dimension": "order__channel", "op": "in", "values": ["online"]}]

# (user, metrics, status, {metric: allowed}, row filters, literals the SQL must hold, hidden inputs)
CASES = [
    (None, ["revenue"], "allowed", {"revenue": True}, [], [], {}),
    ("U0EAST", ["revenue"], "allowed", {"revenue": True}, EAST_ROWS, ["'East'"], {}),
    ("wen@example.com", ["orders"], "allowed", {"orders": True}, WEST_ONLINE, ["'West'", "'online'"], {}),
    ("U0NEW", ["big_revenue"], "denied", {"big_revenue": False}, [], [], {}),
    ("U0NEW", ["revenue", "big_share"], "denied", {"revenue": True, "big_share": False}, [], [],
     {"big_share": ["big_revenue"]}),
    ("cfo@example.com", ["big_share"], "allowed", {"big_share": True}, [], [], {}),
    ("wen@example.com", ["sessions"], "denied", {"sessions": True}, WEST_ONLINE, [], {}),  # rows cannot apply
]


def _explain(user, metrics, *extra):
    args = ["explain", "--catalog", str(GOVERNED), *(a for m in metrics for a in ("-m", m)), *extra]
    return runner.invoke(app, args + (["--user", user] if user else []))


@pytest.mark.parametrize(("user", "metrics", "status", "allowed", "rows", "literals", "hidden"), CASES)
def test_explain_json_shows_what_the_user_would_get(user, metrics, status, allowed, rows, literals, hidden):
    result = _explain(user, metrics, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["user"] == (user or "operator") and report["status"] == status
    assert {m["metric"]: m["allowed"] for m in report["metrics"]} == allowed
    assert {m["metric"]: m["hidden_inputs"] for m in report["metrics"] if "hidden_inputs" in m} == hidden
    assert report["row_filters"] == rows
    if status == "denied":  # no SQL, and the words Slack would say
        assert report["sql"] is None and "access" in report["message"]
    else:
        assert report["sql"].startswith(("WITH", "SELECT")) and report["message"] is None
        for literal in literals:
            assert literal in report["sql"]
        if not rows:
            assert "'East'" not in report["sql"]


def test_explain_as_a_row_limited_user_prints_who_rows_and_sql():
    result = _explain("U0EAST", ["revenue", "big_share"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:5] == ["user: U0EAST (groups: east, everyone)", "row filters: customer__region in East",
                         "revenue: allowed", "big_share: denied (built on hidden big_revenue)",
                         "denied: You don't have access to big_share. Ask the metric owner or an admin for access."]


def test_explain_without_a_user_prints_the_operators_sql_only():
    result = _explain(None, ["revenue"])
    assert result.exit_code == 0 and result.output.startswith(("WITH", "SELECT")), result.output
    assert "IN ('East')" not in result.output
    east = _explain("U0EAST", ["revenue"]).output
    assert "IN ('East')" in east and east.splitlines()[-1] != result.output.splitlines()[-1]


@pytest.mark.parametrize(("user", "said", "unsaid"), [(None, "Did you mean 'West'", ""),
                                                      ("U0EAST", "no value 'Wst'", "West")])
def test_query_as_a_row_limited_user_suggests_no_value_outside_their_rows(tmp_path, user, said, unsaid):
    path = tmp_path / "governed.duckdb"
    build_warehouse(path).close()
    args = ["query", "-m", "revenue", "--where", "region=Wst", "--catalog", str(GOVERNED), "--warehouse", str(path),
            "--json"]
    result = runner.invoke(app, args + (["--user", user] if user else []))
    message = json.loads(result.output)["message"]
    assert result.exit_code == 1 and said in message and (not unsaid or unsaid not in message), message
