"""`/metrics tree METRIC`: the metric's layers through the real Bolt app (shop fixture catalog)."""
from __future__ import annotations

import pytest
from tests.slack.conftest import wait_for


@pytest.mark.parametrize(("text", "lines"), [
    ("tree aov", ["Aov (aov)", "├─ Revenue (revenue)", "└─ Orders (orders)"]),  # a ratio's inputs drive it
    ("tree revenue", ["Revenue (revenue)", "Drives: aov, revenue_growth, revenue_vs_month_start"]),
    ("tree revenu", None),  # a typo gets the usual 'did you mean'
])
def test_tree_verb(driver, fake_slack, text, lines):
    assert driver.command(text).status == 200
    reply = wait_for(lambda: fake_slack.calls_to("response_url"), what="response_url reply")[0].params
    assert reply["response_type"] == "ephemeral"
    if lines is None:
        assert "Did you mean `revenue`?" in reply["text"]
        return
    assert reply["text"].splitlines() == lines
    assert reply["blocks"][0]["text"]["text"] == "```" + "\n".join(lines) + "```"
