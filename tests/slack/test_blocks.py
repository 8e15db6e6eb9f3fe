"""Block Kit for every kind of answer: content, round trip through slack_sdk, and Slack's limits."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.slack import messages as msg
from metricloop.slack.blocks import (
    CLARIFY_ACTION_RE,
    SHOW_SQL_ACTION,
    answer_blocks,
    blocks_for,
    check_block_limits,
    clarify_blocks,
    clarify_value,
    error_blocks,
    fallback_text,
    no_match_blocks,
    parse_clarify_value,
    sql_blocks,
    timeout_blocks,
)
from metricloop.slack.teaching_blocks import TEACH_OPEN_ACTION, read_teach_value

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "rendering" / "answers.json").read_text())
METRICS = {m["name"]: Metric.model_validate(m) for m in FIXTURE["metrics"]}


def _answer(case: str, **changes) -> Answer:
    return Answer.model_validate({**FIXTURE["answers"][case], **changes})


def _valid(blocks: list[dict]) -> list[dict]:
    """Round trip through slack_sdk's models and Slack's limits; return the blocks for further checks."""
    assert check_block_limits(blocks) == []
    assert [Block.parse(b).to_dict() for b in blocks] == blocks
    return blocks


def _by_type(blocks: list[dict], kind: str) -> list[dict]:
    return [b for b in blocks if b["type"] == kind]


@pytest.mark.parametrize("case", list(FIXTURE["answers"]))
@pytest.mark.parametrize("table", ["table", "fields"])
def test_every_fixture_answer_gives_valid_blocks(case, table):
    answer = _answer(case)
    blocks = blocks_for(answer, METRICS, question="how are sales") if table == "table" else \
        answer_blocks(answer, METRICS, table="fields") if answer.status == "answered" else []
    _valid(blocks)
    assert fallback_text(answer, METRICS)


def test_answer_layout_header_summary_table_context_button():
    blocks = _valid(answer_blocks(_answer("single_compare"), METRICS))
    assert [b["type"] for b in blocks] == ["header", "section", "table", "context", "actions"]
    assert blocks[0]["text"]["text"] == "Revenue, Q2 2025 vs previous period"
    assert "up 8.1% vs the previous period" in blocks[1]["text"]["text"]
    assert [c["text"] for c in blocks[2]["rows"][1]] == ["$1,234,567", "$1,142,000", "+8.1%"]
    assert blocks[2]["column_settings"][0] == {"align": "right"}
    context = " ".join(e["text"] for e in blocks[3]["elements"])
    assert "Revenue (`revenue`)" in context and "<@U0FINANCE1>" in context and "Q2 2025" in context
    button = blocks[4]["elements"][0]
    assert button["action_id"] == SHOW_SQL_ACTION and button["value"].startswith("SELECT SUM")


def test_long_results_are_truncated_with_a_note():
    rows = [[f"Region {i}", float(i)] for i in range(143)]
    blocks = _valid(answer_blocks(_answer("breakdown", rows=rows, truncated=True), METRICS))
    table = _by_type(blocks, "table")[0]
    assert len(table["rows"]) == 21  # header + 20
    note = " ".join(e["text"] for b in _by_type(blocks, "context") for e in b["elements"])
    assert "Showing 20 of 143 rows." in note and msg.rows_capped() in note


def test_wide_results_keep_twenty_columns():
    cols = [{"name": "region", "label": "Region", "role": "dimension"}] + [
        {"name": f"m{i}", "label": f"M{i}", "role": "metric", "metric": "orders", "type": "number"} for i in range(25)]
    answer = _answer("breakdown", columns=cols, rows=[["East", *range(25)]])
    blocks = _valid(answer_blocks(answer, METRICS))
    assert len(_by_type(blocks, "table")[0]["rows"][0]) == 20
    assert any("Showing 20 of 26 columns." in e["text"] for b in _by_type(blocks, "context") for e in b["elements"])


def test_section_fields_fallback_splits_into_sections_of_ten():
    rows = [[f"R{i}", float(i * 1000)] for i in range(25)]
    blocks = _valid(answer_blocks(_answer("breakdown", rows=rows), METRICS, table="fields"))
    sections = [b for b in blocks if b.get("fields")]
    assert [len(s["fields"]) for s in sections] == [10, 10]
    assert sections[0]["fields"][0]["text"] == "*R0*\nRevenue: $0"


def test_limits_hold_for_huge_text():
    long = "x" * 5000
    answer = _answer("single_compare", interpretation=long, sql="SELECT " + "a, " * 3000)
    blocks = _valid(answer_blocks(answer, METRICS))
    assert len(blocks[0]["text"]["text"]) == 150
    assert "value" not in _by_type(blocks, "actions")[0]["elements"][0]  # too long for a value: caller resolves
    ref = answer_blocks(answer, METRICS, sql_ref="answer:42")
    assert _by_type(ref, "actions")[0]["elements"][0]["value"] == "answer:42"
    assert _valid(error_blocks(long))[0]["text"]["text"].endswith("…")


def test_no_sql_button_when_disabled_or_without_sql():
    assert not _by_type(answer_blocks(_answer("single_compare"), METRICS, show_sql_button=False), "actions")
    assert not _by_type(answer_blocks(_answer("single_two_metrics"), METRICS), "actions")


def test_chinese_answer_uses_chinese_text():
    blocks = _valid(answer_blocks(_answer("breakdown_compare_zh"), METRICS))
    assert blocks[1]["text"]["text"].startswith("2025年第二季度，退款率最高的地区是华东")
    assert [c["text"] for c in blocks[2]["rows"][0]] == ["地区", "退款率", "退款率（上期）", "退款率变化"]
    assert "受治理指标：" in blocks[-1]["elements"][0]["text"]


def test_clarify_buttons_carry_metric_and_question():
    blocks = _valid(clarify_blocks(_answer("clarify"), METRICS, question="how are sales doing?"))
    assert "Did you mean:" in blocks[0]["text"]["text"]
    buttons = blocks[1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Revenue", "Orders"]
    assert all(CLARIFY_ACTION_RE.match(b["action_id"]) for b in buttons)
    assert len({b["action_id"] for b in buttons}) == 2
    assert parse_clarify_value(buttons[1]["value"]) == ("orders", "how are sales doing?")


@pytest.mark.parametrize(("message", "button"), [
    # a word for a metric: the metric offered first is what it likely means
    ("Not sure which metric 'takings' means — did you mean one of these?", ("takings", "Revenue", "en")),
    # a word for a condition: what it means is for the owner to say (a dimension, or dimension: value)
    ("I could not place 'sunrise zone' in your question, so I did not answer without it. Nearest dimensions and "
     "values: region.", ("sunrise zone", "", "en")),
    ("Which region did you mean?", None),  # a reply naming no words of the question: nothing to teach
])
def test_a_reply_naming_words_it_could_not_place_offers_to_teach_them(message, button):
    answer = Answer(status="clarify", message=message, options=_answer("clarify").options)
    blocks = _valid(clarify_blocks(answer, METRICS, question="q"))
    teach = [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == TEACH_OPEN_ACTION]
    assert [read_teach_value(e["value"]) for e in teach] == ([button] if button else [])


@pytest.mark.parametrize("question", [None, "short", "问" * 5000, 'quotes " and \\ slashes ' * 200])
def test_clarify_value_round_trips_within_2000_chars(question):
    value = clarify_value("gross_profit", question)
    metric, q = parse_clarify_value(value)
    assert len(value) <= 2000 and metric == "gross_profit"
    assert question is None or question.startswith(q)


def test_parse_clarify_value_accepts_a_bare_metric():
    assert parse_clarify_value("revenue") == ("revenue", None)


def test_no_match_suggests_nearest_metrics_or_the_list_command():
    blocks = _valid(no_match_blocks(_answer("no_match"), METRICS))
    assert "employee headcount" in blocks[0]["text"]["text"] and msg.no_match_suggest() in blocks[0]["text"]["text"]
    assert blocks[1]["elements"][0]["text"]["text"] == "Orders"
    bare = _valid(no_match_blocks(_answer("no_match", options=[], message=None, language="zh"), METRICS))
    assert bare[0]["text"]["text"] == f"{msg.no_match('zh')}\n{msg.no_match_none('zh')}"


def test_error_and_timeout_blocks():
    blocks = _valid(error_blocks(None, "ab12cd34", "zh"))
    assert msg.error_generic("zh") in blocks[0]["text"]["text"] and "`ab12cd34`" in blocks[1]["elements"][0]["text"]
    blocks = _valid(timeout_blocks(30, "SELECT 1", "en"))
    assert "longer than 30 s" in blocks[0]["text"]["text"] and "```SELECT 1```" in blocks[1]["text"]["text"]


def test_sql_blocks_escape_and_shorten():
    blocks = _valid(sql_blocks("SELECT * FROM t WHERE a < 1 AND b > 2"))
    assert "a &lt; 1 AND b &gt; 2" in blocks[0]["text"]["text"]
    long = _valid(sql_blocks("SELECT '<x>' " * 500, "zh"))
    assert len(long[0]["text"]["text"]) <= 3000
    shown, total = map(int, re.findall(r"\d+", long[1]["elements"][0]["text"])[::-1][:2])
    assert total == 6500 and 0 < shown < total


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        ([{"type": "divider"}] * 51, "51 blocks"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "header"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}], "3000"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "fields"),
        ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "a"},
                                            "action_id": "x"}] * 2}], "duplicate action_id"),
        ([{"type": "table", "rows": [[{"type": "raw_text", "text": "a"}]]}] * 2, "one per message"),
        ([{"type": "table", "rows": [[{"type": "raw_text", "text": "a"}]] * 101}], "101 rows"),
        ([{"type": "table", "rows": [[{"type": "raw_text", "text": "a"}], []]}], "differ in length"),
        ([{"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "a"}], "duplicate block_id"),
        ([{"type": "no_such_block"}], "unknown block type"),
        ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76},
                                            "action_id": "x"}]}], "75"),
    ],
)
def test_check_block_limits_finds_each_violation(blocks, problem):
    problems = check_block_limits(blocks)
    assert any(problem in p for p in problems), problems


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, templates in msg.TEXT.items():
        assert set(templates) == set(msg.LANGS), key
        fields = [sorted(re.findall(r"{(\w+)}", t)) for t in templates.values()]
        assert fields[0] == fields[1], key
    assert msg.help_text("zh") != msg.help_text("en") and "/metrics" in msg.help_text("zh")
    assert msg.timeout(2.5, "en").startswith("The query took longer than 2.5 s")


HOSTILE_ECHOES = ["<!channel>", "<!here>", "<@U0BOSS>", "<http://evil.example|payroll.pdf>", "<!subteam^S1>", "a & b"]
LIVE = re.compile(r"<[!@#]|<https?:")


def _texts(node) -> list[str]:
    """Every mrkdwn string in a block tree (plain_text and raw_text are never parsed for mentions)."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str) else []
        return own + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


@pytest.mark.parametrize("typed", HOSTILE_ECHOES)
@pytest.mark.parametrize("status", ["answered", "clarify", "no_match", "error", "denied"])
def test_echoed_user_text_never_comes_back_live(typed, status):
    """Whatever a question repeats back — restatement, reason, option label — is escaped in the
    notification text and in every mrkdwn block."""
    from metricloop.core.answer import Option

    answer = Answer(status=status, interpretation=f"Revenue for region {typed}", metrics=["revenue"],
                    message=f"I could not place {typed!s}.", options=[Option(metric="revenue", label=typed)],
                    columns=[], rows=[])
    blocks = blocks_for(answer, {}, question=f"revenue {typed}")
    texts = [fallback_text(answer, {}), *_texts(blocks)]
    assert not [t for t in texts if LIVE.search(t)], texts
    if typed == "a & b":
        assert any("a &amp; b" in t for t in texts)
